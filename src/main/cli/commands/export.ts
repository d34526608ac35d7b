import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import { EXPORT_FORMATS, type ExportFormat } from '../../../shared/contracts/datasets';
import { SPLITS, type Split } from '../../../shared/domain';
import { type GlobalOptions, note, printJson, withCore } from '../context';

interface Options extends GlobalOptions {
  name: string;
  split: Split | 'all';
  format: ExportFormat;
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
      .option('split', { choices: [...SPLITS, 'all'] satisfies Options['split'][], default: 'train' as const })
      .option('format', { choices: [...EXPORT_FORMATS] satisfies ExportFormat[], demandOption: true })
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
        split: argv.split,
        format: argv.format,
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
