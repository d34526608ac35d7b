import path from 'node:path';
import type { CommandModule } from 'yargs';
import { ApiError, zodIssues } from '../../../shared/contract';
import { ColumnMapping, IMPORT_FORMATS, type ImportResult } from '../../../shared/contracts/datasets';
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
  // The contract's schema refuses a misspelt field (`toxcity=label`) naming the valid ones,
  // as HTTP and IPC do; it is not silently ignored.
  const parsed = ColumnMapping.safeParse(mapping);
  if (!parsed.success) {
    throw new ApiError(
      'invalid-input',
      `--map: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      zodIssues(parsed.error),
    );
  }
  return parsed.data;
}

/** How many skipped duplicates and flagged values the human report lists (--json has the result's lists). */
const SHOWN = 20;

function printReport(r: ImportResult): void {
  note(
    `${r.dataset}: imported ${r.imported}, duplicates ${r.duplicates}, rejected ${r.rejected}` +
      `${r.flaggedTotal ? `, ${r.flaggedTotal} values kept but flagged` : ''}` +
      `${r.disagreements ? `, ${r.disagreements} gold/derived annotation disagreements` : ''} (${(r.durationMs / 1000).toFixed(1)} s, format ${r.format})`,
  );
  if (r.imported === 0 && r.rejected > 0 && r.duplicates === 0) note('Every row was rejected: nothing was imported.');
  for (const e of r.errors) note(`  ${r.file}:${e.line}: ${e.field}: ${e.message}`);
  if (r.errorsOmitted) note(`  … and ${r.errorsOmitted} more errors`);
  if (r.rejectsFile)
    note(`Rejected rows, as they were, are in ${r.rejectsFile} (errors in ${r.rejectsFile}.errors.jsonl)`);
  if (r.flagged.length) note('Kept but flagged:');
  for (const f of r.flagged.slice(0, SHOWN)) note(`  ${r.file}:${f.line}: ${f.field}: ${f.message}`);
  if (r.flaggedTotal > SHOWN)
    note(`  … and ${r.flaggedTotal - SHOWN} more (--json lists the first ${r.flagged.length})`);
  if (r.duplicateRows.length) note('Skipped duplicates:');
  for (const d of r.duplicateRows.slice(0, SHOWN)) {
    const where = d.duplicateOf === null ? `record ${d.recordId}` : `line ${d.duplicateOf}`;
    const of = d.earlierImport ? ` of ${d.earlierImport.file} (an earlier import)` : '';
    note(`  ${r.file}:${d.line}: duplicates ${where}${of}`);
  }
  if (r.duplicates > SHOWN && r.duplicateRows.length)
    note(`  … and ${r.duplicates - SHOWN} more (--json lists the first ${r.duplicateRows.length})`);
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
