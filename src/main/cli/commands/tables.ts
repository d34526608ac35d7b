// `srlab tables EVALUATION --format latex|csv|md [--reference] [--out FILE]`: an evaluation's
// tables as text, recomputed from its stored item scores — LaTeX (booktabs, best value per column
// in bold), Markdown or CSV (one line per cell with its provenance).
import fs from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { EXPORT_FORMATS, type ExportFormat, TABLE_IDS, type TableId } from '../../../shared/contracts/evaluation';
import { type GlobalOptions, note, printJson, withCore } from '../context';

interface Options extends GlobalOptions {
  evaluation: string;
  format: ExportFormat;
  reference: boolean;
  out?: string;
  table?: string[];
}

export const tablesCommand: CommandModule<GlobalOptions, Options> = {
  command: 'tables <evaluation>',
  describe: "An evaluation's tables (paper Tables 5–9, counterfactual consistency, t-test) as LaTeX, CSV or Markdown",
  builder: (y) =>
    y
      .positional('evaluation', {
        type: 'string',
        demandOption: true,
        describe: 'an evaluation id or name (srlab eval list)',
      })
      .option('format', { choices: EXPORT_FORMATS, default: 'latex' as ExportFormat })
      .option('reference', { type: 'boolean', default: false, describe: "add the paper's numbers as reference rows" })
      .option('out', { type: 'string', describe: 'write to this file instead of stdout' })
      .option('table', {
        type: 'string',
        array: true,
        describe: `only these tables: ${TABLE_IDS.join(', ')}`,
      }) as Argv<Options>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const evaluation = /^\d+$/.test(argv.evaluation) ? Number(argv.evaluation) : argv.evaluation;
      const out = await core.invoke('evaluation.export', {
        evaluation,
        format: argv.format,
        reference: argv.reference,
        ...(argv.table ? { tables: argv.table as TableId[] } : {}),
      });
      if (argv.out) {
        const file = path.resolve(argv.out);
        fs.writeFileSync(file, out.text);
        if (argv.json) return printJson({ file, format: argv.format, bytes: Buffer.byteLength(out.text) });
        note(`wrote ${file}`);
        return;
      }
      if (argv.json) return printJson(out);
      process.stdout.write(out.text);
    }),
};
