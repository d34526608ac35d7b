import path from 'node:path';
import type { CommandModule } from 'yargs';
import { ApiError } from '../../../shared/contract';
import { type ColumnMapping, IMPORT_FORMATS, ImportResult } from '../../../shared/contracts/datasets';
import { ExitCode, type GlobalOptions, note, printJson, withCore } from '../context';
import { jobResult } from '../follow';

interface Options extends GlobalOptions {
  file: string;
  dataset: string;
  format: string;
  strict: boolean;
  map?: string;
}

/**
 * `--map text=biased_text,bias=is_biased` → {text: 'biased_text', bias: 'is_biased'}. Only the
 * flag's syntax is checked here; the contract's ColumnMapping checks the fields (a misspelt
 * `toxcity=label` is refused naming the valid ones, as over HTTP and IPC).
 */
export function parseMapping(spec: string): ColumnMapping {
  const mapping: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new ApiError('invalid-input', `--map: "${part}" is not FIELD=COLUMN`);
    mapping[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return mapping as ColumnMapping; // unchecked here: core.call checks it against the contract
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
        type: 'string',
        default: 'auto',
        // Checked by the contract (datasets.import), like every other input.
        describe: `file format: auto (detected from the bytes), ${IMPORT_FORMATS.join(', ')}`,
      })
      .option('strict', { type: 'boolean', default: false, describe: 'import nothing if any row fails validation' })
      .option('map', { type: 'string', describe: 'column mapping for csv/jsonl: text=COL,bias=COL,toxicity=COL,…' }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const { job } = await core.invoke('datasets.import', {
        dataset: argv.dataset,
        source: { kind: 'path', path: path.resolve(argv.file) },
        // A flag's raw value; core.call checks it against the contract, as every face's input.
        format: argv.format as (typeof IMPORT_FORMATS)[number],
        strict: argv.strict,
        ...(argv.map ? { mapping: parseMapping(argv.map) } : {}),
      });
      const result = await jobResult(core, job, ImportResult);
      if (argv.json) printJson(result);
      printReport(result);
      // Valid rows are in; rejected ones are bad input the user has to look at.
      if (result.rejected > 0) throw new ExitCode(2);
    }),
};
