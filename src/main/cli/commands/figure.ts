// `srlab figure`: one publication figure as a file (SVG, PNG at a chosen DPI, or vector PDF),
// drawn from an evaluation, a dataset, a human-evaluation session, numbers in a JSON file, or a
// saved spec. Beside FILE go its data (STEM.csv), its spec (STEM.spec.json: source ids, settings,
// adjusted positions) and its caption (STEM.caption.txt), where STEM is FILE without its
// extension; `--spec STEM.spec.json` redraws the identical figure. None of them may be the
// --input or --spec file it reads.
import fs from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { ApiError } from '../../../shared/contract';
import { DEFAULT_DPI, MAX_DPI, MIN_DPI } from '../../../shared/contracts/figures';
import {
  FIGURE_FORMATS,
  FIGURE_KINDS,
  FIGURE_THEMES,
  type FigureFormat,
  type FigureKind,
  type FigureSpecInput,
  type FigureThemeName,
  type FigureWidth,
} from '../../../shared/figures/spec';
import { type GlobalOptions, note, printJson, withCore } from '../context';
import { jsonValueLines } from './metrics';

interface Options extends GlobalOptions {
  kind?: FigureKind;
  evaluation?: number;
  humaneval?: number;
  dataset?: string;
  split?: 'train' | 'dev' | 'test' | 'all';
  input?: string;
  spec?: string;
  format?: FigureFormat;
  out: string;
  width?: FigureWidth;
  theme?: FigureThemeName;
  dpi?: number;
  option?: string[];
  caption?: string;
}

/** Read a JSON file; a syntax error names the file and line. */
function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ApiError('not-found', `cannot read the ${what} file ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    let where = '';
    try {
      jsonValueLines(text);
    } catch (syntax) {
      const pos = (syntax as { pos?: number }).pos;
      if (typeof pos === 'number') where = ` line ${text.slice(0, pos).split('\n').length}:`;
    }
    throw new ApiError(
      'invalid-input',
      `${file}:${where} not valid JSON (${err instanceof Error ? err.message : err})`,
    );
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `key=value` options: the value read as JSON when it is JSON (numbers, true, arrays…), else as text. */
export function parseOptionArgs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ApiError('invalid-input', `--option ${pair}: write it as key=value`);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Plain text (e.g. --option weighting=pmi).
    }
    out[key] = value;
  }
  return out;
}

/** The spec the flags name; a saved spec (--spec) is taken as it is, flags given beside it override. */
function specFrom(argv: Options): FigureSpecInput {
  const sources = [
    argv.evaluation !== undefined,
    argv.humaneval !== undefined,
    argv.dataset !== undefined,
    argv.input !== undefined,
    argv.spec !== undefined,
  ];
  if (sources.filter(Boolean).length !== 1)
    throw new ApiError(
      'invalid-input',
      'give exactly one of --evaluation ID, --humaneval ID, --dataset NAME, --input FILE.json or --spec FILE.json',
    );
  const overrides = {
    ...(argv.width ? { width: argv.width } : {}),
    ...(argv.theme ? { theme: argv.theme } : {}),
    ...(argv.caption !== undefined ? { caption: argv.caption } : {}),
  };
  const options = parseOptionArgs(argv.option ?? []);
  if (argv.spec) {
    const saved = readJsonFile(argv.spec, 'spec');
    if (!isObject(saved)) throw new ApiError('invalid-input', `${argv.spec}: a figure spec is a JSON object`);
    if (argv.kind && saved.kind !== argv.kind)
      throw new ApiError(
        'invalid-input',
        `--kind ${argv.kind} differs from the spec's kind ${String(saved.kind)} in ${argv.spec}`,
      );
    return {
      ...(saved as FigureSpecInput),
      ...overrides,
      options: { ...(isObject(saved.options) ? saved.options : {}), ...options },
    };
  }
  if (!argv.kind) throw new ApiError('invalid-input', '--kind is required (unless --spec gives it)');
  let source: FigureSpecInput['source'];
  if (argv.evaluation !== undefined) source = { kind: 'evaluation', evaluation: argv.evaluation };
  else if (argv.humaneval !== undefined) source = { kind: 'humaneval', session: argv.humaneval };
  else if (argv.dataset !== undefined) source = { kind: 'dataset', dataset: argv.dataset, split: argv.split ?? 'all' };
  else {
    const data = readJsonFile(argv.input!, 'input');
    if (!isObject(data)) throw new ApiError('invalid-input', `${argv.input}: the figure's input is a JSON object`);
    source = { kind: 'input', data };
  }
  return { kind: argv.kind, source, ...overrides, options };
}

/**
 * A kind refuses inline input as "input.<field>: why" (carried as spec.source.data): say on which
 * line of the input file that field is, as `srlab metrics` does.
 */
function noteInputLine(err: unknown, file: string): void {
  if (!(err instanceof ApiError) || err.kind !== 'invalid-input') return;
  const m = /input\.([^:\s]+): (.*)$/.exec(err.message);
  if (!m) return;
  let lines: Map<string, number>;
  try {
    lines = jsonValueLines(fs.readFileSync(file, 'utf8'));
  } catch {
    return;
  }
  let p = m[1]!;
  while (!lines.has(p) && p !== '') p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '';
  note(`srlab: ${file}: line ${lines.get(p) ?? 1}: ${m[1]}: ${m[2]}`);
}

/** The format: --format, else FILE's extension. */
function formatOf(argv: Options): FigureFormat {
  if (argv.format) return argv.format;
  const ext = path.extname(argv.out).slice(1).toLowerCase();
  if ((FIGURE_FORMATS as readonly string[]).includes(ext)) return ext as FigureFormat;
  throw new ApiError(
    'invalid-input',
    `--format is required: ${argv.out} does not end in .${FIGURE_FORMATS.join(', .')}`,
  );
}

/** Where the data, spec and caption files go: FILE without its extension, then .csv/.spec.json/.caption.txt. */
export function sidecarPaths(file: string): { data: string; spec: string; caption: string } {
  const ext = path.extname(file);
  const stem = ext ? file.slice(0, -ext.length) : file;
  return { data: `${stem}.csv`, spec: `${stem}.spec.json`, caption: `${stem}.caption.txt` };
}

/** Refuse, before anything is written, to write over the file the figure is drawn from. */
function refuseOverwritingSource(argv: Options, written: string[]): void {
  for (const [flag, given] of [
    ['--input', argv.input],
    ['--spec', argv.spec],
  ] as const) {
    if (!given || given === '-') continue;
    const source = path.resolve(given);
    if (written.includes(source))
      throw new ApiError(
        'invalid-input',
        `--out ${argv.out} would write over ${flag} ${given} (the figure's ${source === written[0] ? 'file' : 'data, spec or caption file'}); choose another --out`,
      );
  }
}

export const figureCommand: CommandModule<GlobalOptions, Options> = {
  command: 'figure',
  describe: 'A publication figure (SVG, PNG or vector PDF) with its data CSV, spec JSON and caption beside it',
  builder: (y) =>
    y
      .option('kind', { choices: FIGURE_KINDS, describe: 'what to draw' })
      .option('evaluation', { type: 'number', describe: 'draw from this evaluation (srlab eval list)' })
      .option('humaneval', {
        type: 'number',
        describe: 'draw from this human-evaluation session (srlab humaneval list; kind human)',
      })
      .option('dataset', { type: 'string', describe: 'draw from this dataset (srlab datasets)' })
      .option('split', {
        choices: ['train', 'dev', 'test', 'all'] as const,
        describe: "the dataset's split (default all)",
      })
      .option('input', { type: 'string', describe: 'draw numbers given in this JSON file (see each kind)' })
      .option('spec', { type: 'string', describe: 'redraw from a saved spec (the .spec.json written beside a figure)' })
      .option('format', { choices: FIGURE_FORMATS, describe: "svg, png or pdf (default: --out's extension)" })
      .option('out', { type: 'string', demandOption: true, describe: 'the figure file to write' })
      .option('width', {
        choices: ['single', 'double'] as const,
        describe: 'single (3.5 in) or double (7 in) column; default double',
      })
      .option('theme', { choices: FIGURE_THEMES, describe: 'paper, slides or dark; default paper' })
      .option('dpi', { type: 'number', describe: `PNG resolution (${MIN_DPI}–${MAX_DPI}; default ${DEFAULT_DPI})` })
      .option('option', {
        type: 'string',
        array: true,
        describe: "the kind's options as key=value (values read as JSON when they are)",
      })
      .option('caption', { type: 'string', describe: 'replace the generated caption' }) as Argv<Options>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const file = path.resolve(argv.out);
      const side = sidecarPaths(file);
      refuseOverwritingSource(argv, [file, side.data, side.spec, side.caption]);
      const spec = specFrom(argv);
      const format = formatOf(argv);
      const out = await core
        .invoke('figures.export', { spec, format, ...(argv.dpi !== undefined ? { dpi: argv.dpi } : {}) })
        .catch((err: unknown) => {
          if (argv.input) noteInputLine(err, argv.input);
          throw err;
        });
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, Buffer.from(out.base64, 'base64'));
      fs.writeFileSync(side.data, out.dataCsv);
      fs.writeFileSync(side.spec, out.specJson);
      fs.writeFileSync(side.caption, `${out.caption}\n`);
      if (argv.json)
        return printJson({
          file,
          format,
          data: side.data,
          spec: side.spec,
          caption: side.caption,
          width: out.width,
          height: out.height,
        });
      note(
        `wrote ${file} (${out.width} × ${out.height} pt) with ${path.basename(side.data)}, ${path.basename(side.spec)}, ${path.basename(side.caption)}`,
      );
      console.log(out.caption);
    }),
};
