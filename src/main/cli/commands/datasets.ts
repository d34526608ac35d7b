import type { CommandModule } from 'yargs';
import { type GlobalOptions, printJson, withCore } from '../context';

export const datasetsCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'datasets',
  describe: 'List datasets with their record and split counts',
  handler: (argv) =>
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
    }),
};

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}
