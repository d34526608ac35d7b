import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import { EXPORT_FORMATS, type ExportFormat } from '../../../shared/contracts/datasets';
import { SPLITS, type Split } from '../../../shared/domain';
import { type GlobalOptions, note, printJson, withCore } from '../context';

interface Options extends GlobalOptions {
  name: string;
  split: string;
  format: string;
  out?: string;
  system?: string;
  instruction?: string;
  all?: boolean;
  rawCsv?: boolean;
}

/** `@file` reads the value from a file, so long prompts need no shell quoting. */
function valueOrFile(v: string | undefined): string | undefined {
  return v?.startsWith('@') ? fs.readFileSync(v.slice(1), 'utf8') : v;
}

export const exportCommand: CommandModule<GlobalOptions, Options> = {
  command: 'export <name>',
  describe: 'Export a split: Llama-2 chat JSONL, Alpaca JSON, JSONL or CSV',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true })
      // Both checked by the contract (datasets.export), like every other input.
      .option('split', { type: 'string', default: 'train', describe: `${SPLITS.join(', ')} or all` })
      .option('format', { type: 'string', demandOption: true, describe: EXPORT_FORMATS.join(', ') })
      .option('out', { type: 'string', describe: "output file (default: a new file in the data home's exports/)" })
      .option('system', { type: 'string', describe: "system prompt (or @file); default: the paper's" })
      .option('instruction', {
        type: 'string',
        describe: "user-turn instruction with {text} (or @file); default: the paper's",
      })
      .option('all', { type: 'boolean', describe: 'include records without a benign variation (llama2-chat/alpaca)' })
      .option('raw-csv', {
        type: 'boolean',
        describe: "csv: exact bytes; no leading ' on cells starting with = + - @ (spreadsheet formulas)",
      }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const system = valueOrFile(argv.system);
      const instruction = valueOrFile(argv.instruction);
      const out = await core.invoke('datasets.export', {
        dataset: argv.name,
        // The flags as given: core.call checks them against the contract.
        split: argv.split as Split | 'all',
        format: argv.format as ExportFormat,
        ...(argv.out ? { out: argv.out } : {}),
        ...(system !== undefined ? { systemPrompt: system } : {}),
        ...(instruction !== undefined ? { instruction } : {}),
        ...(argv.all ? { requireBenign: false } : {}),
        ...(argv.rawCsv ? { rawCsv: true } : {}),
      });
      if (argv.json) return printJson(out);
      note(
        `wrote ${out.records} records to ${out.path}${out.skipped ? ` (skipped ${out.skipped} without a benign variation; --all keeps them)` : ''}`,
      );
    }),
};
