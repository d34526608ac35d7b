import type { CommandModule } from 'yargs';
import { type DatasetStats, type Describe } from '../../../shared/contracts/datasets';
import { SPLITS, type Split } from '../../../shared/domain';
import { type GlobalOptions, printJson, withCore } from '../context';
import { followJobs } from '../progress';
import { printTable } from './datasets';

interface Options extends GlobalOptions {
  name: string;
  split?: Split;
}

const n = (v: number | null, digits = 1) => (v === null ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(digits));
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

function printStats(s: DatasetStats): void {
  console.log(`${s.dataset}${s.split ? ` (${s.split})` : ''}: ${s.records} records\n`);
  for (const [label, counts] of Object.entries(s.labels)) {
    if (typeof counts === 'number') continue;
    console.log(
      `${label}: ${Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  }
  console.log(`gold/derived annotation disagreements: ${s.labels.disagreements}\n`);
  console.log('Text length (Table 2)');
  printTable(DESCRIBE_HEADER, [describeRow('chars', s.length.chars), describeRow('words', s.length.words)]);
  console.log('\nFlesch Reading Ease by sentiment (Figure 5)');
  printTable(DESCRIBE_HEADER, [
    describeRow('all', s.flesch.overall),
    ...Object.entries(s.flesch.bySentiment).map(([k, d]) => describeRow(k, d)),
  ]);
  console.log('\nBenign change (srlab measure: word Levenshtein / longer length)');
  printTable(
    DESCRIBE_HEADER,
    [describeRow('change', s.benignChange)].map((r) =>
      r.map((c, i) => (i >= 2 && c !== '–' ? Number(c).toFixed(3) : c)),
    ),
  );
}

export const statsCommand: CommandModule<GlobalOptions, Options> = {
  command: 'stats <name>',
  describe: 'Label distributions, text length, Flesch Reading Ease by sentiment, benign change',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true })
      .option('split', { choices: [...SPLITS] satisfies Split[], describe: 'only this split' }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      // Large datasets run as a job: its progress goes to stderr, Ctrl-C cancels it.
      const unfollow = followJobs(core, ['dataset-stats']);
      const stats = await core
        .invoke('datasets.stats', { dataset: argv.name, ...(argv.split ? { split: argv.split } : {}) })
        .finally(unfollow);
      if (argv.json) return printJson(stats);
      printStats(stats);
    }),
};
