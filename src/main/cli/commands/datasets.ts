import type { CommandModule } from 'yargs';
import { type GlobalOptions, printJson, withCore } from '../context';

/** The listing, for `srlab datasets` and `srlab datasets list` alike. */
const listDatasets = (argv: GlobalOptions) =>
  withCore(argv, async (core) => {
    const { datasets } = await core.invoke('datasets.list', {});
    if (argv.json) return printJson({ datasets });
    if (datasets.length === 0) return console.log('No datasets yet. Import one: srlab import FILE --dataset NAME');
    const rows = datasets.map((d) => [
      d.name,
      String(d.records),
      String(d.splits.train),
      String(d.splits.dev),
      String(d.splits.test),
      String(d.splits.none),
    ]);
    printTable(['dataset', 'records', 'train', 'dev', 'test', 'unsplit'], rows);
  });

const listCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'list',
  describe: 'List datasets with their record and split counts (the same as srlab datasets)',
  handler: listDatasets,
};

/** Values shown per field by `datasets fields` (the rest are counted). */
const VALUES_SHOWN = 12;

interface FieldsOptions extends GlobalOptions {
  name: string;
}

const fieldsCommand: CommandModule<GlobalOptions, FieldsOptions> = {
  command: 'fields <name>',
  describe: 'The fields a dataset can be filtered, charted and stratified by (srlab split --stratify-by KEY)',
  builder: (y) => y.positional('name', { type: 'string', demandOption: true }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('datasets.fields', { dataset: argv.name });
      if (argv.json) return printJson(out);
      // One line per field (a table would right-align the long value lists).
      const keyWidth = Math.max(...out.fields.map((f) => f.key.length));
      for (const f of out.fields) {
        const shown = f.values.slice(0, VALUES_SHOWN);
        const more = f.values.length - shown.length + f.moreValues;
        const values =
          f.present === 0
            ? 'not in this dataset'
            : `${f.present} records: ${shown.map((v) => `${v.value} ${v.count}`).join(', ')}${more > 0 ? `, … ${more} more values` : ''}`;
        console.log(`${f.key.padEnd(keyWidth)}  ${f.kind === 'extra' ? `${f.label} (column)` : f.label}: ${values}`);
      }
      console.log(`\nsrlab split stratifies by ${out.defaultStratifyBy} unless told (--stratify-by FIELD, or none).`);
    }),
};

export const datasetsCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'datasets',
  describe: 'Datasets: list (default), fields',
  builder: (y) => y.command(listCommand as never).command(fieldsCommand as never),
  handler: listDatasets,
};

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}
