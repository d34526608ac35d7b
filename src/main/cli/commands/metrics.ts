// `srlab metrics ttest|fleiss|krippendorff|stereoset --input FILE.json`: the pure metric maths on
// given numbers (issue 11). The file's JSON goes to the contract as it is; a refusal names the
// file and the line of each refused field.
import fs from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import type { Input, Method, Output } from '../../../shared/api';
import { ApiError } from '../../../shared/contract';
import { type Door, type GlobalOptions, note, printJson, withCore } from '../context';

interface Options extends GlobalOptions {
  input: string;
}

/** 1-based line of the character at `pos`. */
function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Where a JSON text stops being valid: its character offset. */
class JsonSyntaxError extends Error {
  constructor(readonly pos: number) {
    super(`JSON syntax error at ${pos}`);
  }
}

const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const JSON_LITERAL = /true|false|null/y;

/**
 * Scan a JSON text strictly and note the line where each value starts, keyed by its dotted
 * path as the contract's issues name it ("items.3.stereotype"; the root is ""). Throws
 * JsonSyntaxError at the first offending character, which Node's JSON.parse does not always give.
 */
export function jsonValueLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const fail = (): never => {
    throw new JsonSyntaxError(i);
  };
  const ws = () => {
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') break;
    }
  };
  const expectChar = (c: string) => (text[i] === c ? i++ : fail());
  const str = (): string => {
    if (text[i] !== '"') fail();
    const start = i;
    for (i++; i < text.length && text[i] !== '"'; i++) {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail();
    }
    if (i >= text.length) fail();
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return fail();
    }
  };
  const token = (re: RegExp) => {
    re.lastIndex = i;
    return re.exec(text) ? (i = re.lastIndex) : fail();
  };
  const value = (path: string): void => {
    ws();
    lines.set(path, line);
    const at = (key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        const key = str();
        ws();
        expectChar(':');
        value(at(key));
        ws();
        if (text[i] === '}') return void i++;
        expectChar(',');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (let k = 0; ; k++) {
        value(at(k));
        ws();
        if (text[i] === ']') return void i++;
        expectChar(',');
      }
    }
    if (c === '"') return void str();
    token(c === '-' || (c !== undefined && c >= '0' && c <= '9') ? JSON_NUMBER : JSON_LITERAL);
  };
  value('');
  ws();
  if (i < text.length) fail();
  return lines;
}

/** Read and parse the input file; a syntax error names the file, line and column. */
/** How messages name the input: its path, or "stdin" for "-". */
const inputName = (file: string) => (file === '-' ? 'stdin' : file);

function readJson(file: string): { text: string; data: unknown } {
  let text: string;
  try {
    // "-" is stdin (fd 0), which also works for a pipe where /dev/stdin may not.
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch {
    throw new ApiError('not-found', `cannot read ${inputName(file)}`);
  }
  try {
    return { text, data: JSON.parse(text) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    let where = '';
    try {
      jsonValueLines(text);
    } catch (syntax) {
      if (syntax instanceof JsonSyntaxError) where = ` line ${lineAt(text, syntax.pos)}`;
    }
    throw new ApiError('invalid-input', `${inputName(file)}:${where} not valid JSON (${message})`);
  }
}

/**
 * Hand the file's JSON to `method` through the door. When the contract refuses it, first say
 * where in the file each refused field is, then let the contract's own message through.
 */
async function callWithFile<M extends Method>(core: Door, method: M, file: string): Promise<Output<M>> {
  const { text, data } = readJson(file);
  try {
    // Unchecked here on purpose: the contract validates it, as for every transport.
    return await core.invoke(method, data as Input<M>);
  } catch (err) {
    if (err instanceof ApiError && err.kind === 'invalid-input') {
      const lines = jsonValueLines(text);
      for (const issue of err.issues ?? []) {
        // A missing field has no line of its own: name its closest present parent.
        let p = issue.path;
        while (!lines.has(p) && p !== '') p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '';
        note(
          `srlab: ${inputName(file)}: line ${lines.get(p) ?? 1}: ${issue.path || '(the whole input)'}: ${issue.message}`,
        );
      }
    }
    throw err;
  }
}

const fmt = (x: number | null, digits = 4) => (x === null ? 'undefined' : x.toFixed(digits));
const pfmt = (x: number | null) => (x === null ? 'undefined' : x < 1e-4 ? x.toExponential(3) : x.toFixed(6));

function sub(
  command: string,
  describe: string,
  example: string,
  run: (core: Door, argv: Options) => Promise<void>,
): CommandModule<GlobalOptions, Options> {
  return {
    command,
    describe: `${describe}. Input: ${example}`,
    builder: (y) =>
      y.option('input', {
        type: 'string',
        demandOption: true,
        describe: `a JSON file ("-" for stdin): ${example}`,
      }) as Argv<Options>,
    handler: (argv) => withCore(argv, (core) => run(core, argv)),
  };
}

const ttest = sub(
  'ttest',
  'One-sample t-test against a hypothesised mean',
  '{"values": [..], "mu": 0, "alpha": 0.05} (or "summary": {"n", "mean", "sd"} instead of values)',
  async (core, argv) => {
    const r = await callWithFile(core, 'metrics.ttest', argv.input);
    if (argv.json) return printJson(r);
    console.log(`n ${r.n}, mean ${fmt(r.mean, 6)}, sd ${fmt(r.sd, 6)} against μ ${r.mu}`);
    console.log(`t ${fmt(r.t, 6)}, df ${r.df}`);
    console.log(`p two-sided ${pfmt(r.p_two_sided)}, greater ${pfmt(r.p_greater)}, less ${pfmt(r.p_less)}`);
    console.log(
      `critical t at α ${r.alpha}: two-sided ${fmt(r.t_crit_two_sided_05)}, one-sided ${fmt(r.t_crit_one_sided)}`,
    );
    console.log(`${(100 * (1 - r.alpha)).toFixed(0)}% CI of the mean: [${fmt(r.ci[0], 6)}, ${fmt(r.ci[1], 6)}]`);
  },
);

const fleiss = sub(
  'fleiss',
  "Fleiss' kappa of an items × categories count matrix",
  '{"matrix": [[0,0,14], [2,6,6], ..]}',
  async (core, argv) => {
    const r = await callWithFile(core, 'metrics.fleiss', argv.input);
    if (argv.json) return printJson(r);
    console.log(
      `Fleiss' kappa ${fmt(r.kappa, 5)} (${r.items} items, ${r.raters} raters; P̄ ${fmt(r.pBar, 5)}, Pe ${fmt(r.pe, 5)})`,
    );
    for (const c of r.perCategory) console.log(`  category ${c.category}: share ${fmt(c.p)}, kappa ${fmt(c.kappa)}`);
  },
);

const krippendorff = sub(
  'krippendorff',
  "Krippendorff's alpha of raters × units ratings (null = missing)",
  '{"ratings": [[1,2,null], [1,3,3]], "level": "ordinal"|"nominal"|"interval"}',
  async (core, argv) => {
    const r = await callWithFile(core, 'metrics.krippendorff', argv.input);
    if (argv.json) return printJson(r);
    console.log(
      `Krippendorff's alpha (${r.level}) ${fmt(r.alpha)} (${r.raters} raters, ${r.pairableUnits} of ${r.units} units pairable)`,
    );
  },
);

const stereoset = sub(
  'stereoset',
  'StereoSet LMS, SS and ICAT from sentence scores',
  '{"items": [{"target", "domain"?, "stereotype", "anti", "unrelated"}, ..]}',
  async (core, argv) => {
    const r = await callWithFile(core, 'metrics.stereoset', argv.input);
    if (argv.json) return printJson(r);
    const row = (name: string, s: { n: number; lms: number | null; ss: number | null; icat: number | null }) =>
      console.log(
        `${name.padEnd(12)} n ${String(s.n).padStart(5)}  LMS ${fmt(s.lms, 2)}  SS ${fmt(s.ss, 2)}  ICAT ${fmt(s.icat, 2)}`,
      );
    row('overall', r);
    for (const [d, s] of Object.entries(r.byDomain)) row(d, s);
  },
);

export const metricsCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'metrics <command>',
  describe: 'Metric maths on given numbers (ttest, fleiss, krippendorff, stereoset)',
  builder: (y) =>
    y
      .command(ttest as never)
      .command(fleiss as never)
      .command(krippendorff as never)
      .command(stereoset as never)
      .demandCommand(1),
  handler: () => undefined,
};
