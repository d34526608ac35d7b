import path from 'node:path';
import type { CommandModule } from 'yargs';
import { ApiError } from '../../../shared/contract';
import { IMPORT_FORMATS, type ColumnMapping, type ImportResult } from '../../../shared/contracts/datasets';
import { ExitCode, type GlobalOptions, note, printJson, withCore } from '../context';
import { createProgressPrinter } from '../progress';

interface Options extends GlobalOptions {
  file: string;
  dataset: string;
  format: (typeof IMPORT_FORMATS)[number] | 'auto';
  strict: boolean;
  map?: string;
}

/** `--map text=biased_text,bias=is_biased` → ColumnMapping. */
export function parseMapping(spec: string): ColumnMapping {
  const mapping: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new ApiError('invalid-input', `--map: "${part}" is not FIELD=COLUMN`);
    mapping[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  if (!mapping.text) throw new ApiError('invalid-input', '--map must name the text column: text=COLUMN');
  return mapping as ColumnMapping;
}

function printReport(r: ImportResult): void {
  note(
    `${r.dataset}: imported ${r.imported}, duplicates ${r.duplicates}, rejected ${r.rejected}` +
      `${r.disagreements ? `, ${r.disagreements} gold/derived annotation disagreements` : ''} (${(r.durationMs / 1000).toFixed(1)} s, format ${r.format})`,
  );
  for (const e of r.errors) note(`  ${r.file}:${e.line}: ${e.field}: ${e.message}`);
  if (r.errorsOmitted) note(`  … and ${r.errorsOmitted} more errors`);
  if (r.rejectsFile)
    note(`Rejected rows, as they were, are in ${r.rejectsFile} (errors in ${r.rejectsFile}.errors.jsonl)`);
}

export const importCommand: CommandModule<GlobalOptions, Options> = {
  command: 'import <file>',
  describe: "Import a CMD file (paper JSON/JSONL, nested records, the authors' CSV, or CSV/JSONL with --map)",
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'the file to import' })
      .option('dataset', { type: 'string', demandOption: true, describe: 'dataset to import into (created if new)' })
      .option('format', {
        choices: ['auto', ...IMPORT_FORMATS] satisfies Options['format'][],
        default: 'auto' as const,
        describe: 'file format; detected from the bytes by default',
      })
      .option('strict', { type: 'boolean', default: false, describe: 'import nothing if any row fails validation' })
      .option('map', { type: 'string', describe: 'column mapping for csv/jsonl: text=COL,bias=COL,toxicity=COL,…' }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const started = core.datasets.startImport({
        dataset: argv.dataset,
        source: { kind: 'path', path: path.resolve(argv.file) },
        format: argv.format,
        strict: argv.strict,
        ...(argv.map ? { mapping: parseMapping(argv.map) } : {}),
      });
      const progress = createProgressPrinter();
      const stop = core.events.subscribe((e) => {
        if (e.type === 'job' && e.job.id === started.job.id && e.job.state === 'running') progress.update(e.job);
      });
      const onSignal = () => core.jobs.cancel(started.job.id);
      process.once('SIGINT', onSignal);
      try {
        const result = await started.done;
        progress.end();
        if (argv.json) printJson(result);
        printReport(result);
        // Valid rows are in; rejected ones are bad input the user has to look at.
        if (result.rejected > 0) throw new ExitCode(2);
      } finally {
        progress.end();
        stop();
        process.off('SIGINT', onSignal);
      }
    }),
};
