import type { CommandModule } from 'yargs';
import { ApiError } from '../../../shared/contract';
import { type GlobalOptions, printJson, withCore } from '../context';
import { followJobsDuring } from '../follow';

interface Options extends GlobalOptions {
  name: string;
  seed: number;
  ratios: string;
  stratifyBy?: string;
}

/** `70,10,20` → [70, 10, 20]. Only the flag's syntax is checked here; the contract checks the values. */
export function parseRatios(spec: string): [number, number, number] {
  const parts = spec.split(/[,/:]/).map((p) => (p.trim() === '' ? NaN : Number(p.trim())));
  if (parts.length !== 3 || parts.some((p) => Number.isNaN(p))) {
    throw new ApiError('invalid-input', `--ratios "${spec}": give three numbers, e.g. 70,10,20`);
  }
  return parts as [number, number, number];
}

export const splitCommand: CommandModule<GlobalOptions, Options> = {
  command: 'split <name>',
  describe: "Assign train/dev/test splits, seeded and stratified (by annotation, else the authors' label)",
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true })
      .option('seed', { type: 'number', default: 42 })
      .option('ratios', { type: 'string', default: '70,10,20', describe: 'train,dev,test weights' })
      .option('stratify-by', {
        type: 'string',
        describe:
          'field to stratify by: annotation, bias, toxicity, sentiment, harm, target, a column of the source ' +
          '(e.g. label, dimension; see srlab datasets fields NAME) or none. Default: annotation where any ' +
          "record has one, else the authors' label column",
      }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const ratios = parseRatios(argv.ratios);
      // Large datasets run as a job: its progress goes to stderr, Ctrl-C cancels it (nothing changes).
      const unfollow = followJobsDuring(core, ['split']);
      const out = await core
        .invoke('datasets.split', {
          dataset: argv.name,
          seed: argv.seed,
          ratios,
          ...(argv.stratifyBy !== undefined ? { stratifyBy: argv.stratifyBy } : {}),
        })
        .finally(unfollow);
      if (argv.json) return printJson(out);
      console.log(
        `${out.dataset}: train ${out.counts.train}, dev ${out.counts.dev}, test ${out.counts.test} (seed ${out.seed})`,
      );
      const by = out.stratifiedBy;
      console.log(
        `stratified by ${by.key === 'none' ? 'nothing' : `${by.label} (${by.key})`}${by.defaultReason ? `: ${by.defaultReason}` : ''}`,
      );
      for (const [stratum, c] of Object.entries(out.byStratum))
        console.log(`  ${stratum}: train ${c.train}, dev ${c.dev}, test ${c.test}`);
    }),
};
