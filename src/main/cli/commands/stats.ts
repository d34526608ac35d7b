import type { CommandModule } from 'yargs';
import { type DatasetStats, type Describe } from '../../../shared/contracts/datasets';
import { SPLITS, type Split } from '../../../shared/domain';
import { formatSignificant } from '../../../shared/format';
import { type GlobalOptions, printJson, withCore } from '../context';
import { followJobsDuring } from '../follow';
import { printTable } from './datasets';

interface Options extends GlobalOptions {
  name: string;
  split?: string;
}

/** Four significant digits, trailing zeros dropped: only digits that were computed are shown. */
const n = (v: number | null) => formatSignificant(v, 4);
const describeRow = (label: string, d: Describe) => [
  label,
  String(d.count),
  n(d.mean),
  n(d.std),
  n(d.min),
  n(d.p25),
  n(d.p50),
  n(d.p75),
  n(d.max),
];
const DESCRIBE_HEADER = ['', 'count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max'];

const MISSING = '(missing)';
const countsLine = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** Counts, or "not in this dataset" when every record lacks the field (rather than one "(missing)" bar). */
function printCounts(label: string, counts: Record<string, number>): void {
  const none = Object.entries(counts).every(([k, v]) => k === MISSING || v === 0);
  console.log(`${label}: ${none ? 'not in this dataset' : countsLine(counts)}`);
}

export function printStats(s: DatasetStats): void {
  console.log(`${s.dataset}${s.split ? ` (${s.split})` : ''}: ${s.records} records\n`);
  for (const [label, counts] of Object.entries(s.labels)) {
    if (typeof counts === 'number') continue;
    printCounts(label, counts);
  }
  for (const f of s.fields) printCounts(f.kind === 'extra' ? `${f.label} (column)` : f.label, f.counts);
  console.log(`gold/derived annotation disagreements: ${s.labels.disagreements}\n`);
  console.log('Text length (Table 2)');
  printTable(DESCRIBE_HEADER, [describeRow('chars', s.length.chars), describeRow('words', s.length.words)]);
  console.log('\nFlesch Reading Ease by sentiment (Figure 5)');
  printTable(DESCRIBE_HEADER, [
    describeRow('all', s.flesch.overall),
    ...Object.entries(s.flesch.bySentiment).map(([k, d]) => describeRow(k, d)),
  ]);
  console.log('\nBenign change (srlab measure: word Levenshtein / longer length)');
  printTable(DESCRIBE_HEADER, [describeRow('change', s.benignChange)]);
}

export const statsCommand: CommandModule<GlobalOptions, Options> = {
  command: 'stats <name>',
  describe: 'Label distributions, text length, Flesch Reading Ease by sentiment, benign change',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true })
      .option('split', { type: 'string', describe: `only this split: ${SPLITS.join(', ')}` }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      // Large datasets run as a job: its progress goes to stderr, Ctrl-C cancels it.
      const unfollow = followJobsDuring(core, ['dataset-stats']);
      const stats = await core
        .invoke('datasets.stats', {
          dataset: argv.name,
          // The flag as given: the contract checks it is a split.
          ...(argv.split !== undefined ? { split: argv.split as Split } : {}),
        })
        .finally(unfollow);
      if (argv.json) return printJson(stats);
      printStats(stats);
    }),
};
