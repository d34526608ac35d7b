// `srlab eval stereoset` and `srlab eval crows-pairs`: a local model's StereoSet (intrasentence)
// and CrowS-Pairs scores from sentence log-likelihoods (METRICS.md sections 1–2), computed as a
// job and stored (the evaluation tables reuse them). Mounted under `srlab eval` by eval.ts.
import type { Argv, CommandModule } from 'yargs';
import { LikelihoodResult, type LikelihoodRunInput } from '../../../shared/contracts/likelihood';
import { type GlobalOptions, printJson, withCore } from '../context';
import { jobResult } from '../follow';
import { type LoadFlags, loadOptions, withLoadFlags } from './models';

interface Options extends GlobalOptions, LoadFlags {
  model: string;
  testset: string;
  limit?: number;
  adapter?: string;
  adapterRun?: number;
  adapterScale: number;
}

function builder(y: Argv<GlobalOptions>, what: string): Argv<Options> {
  return withLoadFlags(
    y
      .option('model', { type: 'string', demandOption: true, describe: 'a model from the library (srlab models)' })
      .option('testset', {
        type: 'string',
        demandOption: true,
        describe: `an imported ${what} test set (srlab testsets list)`,
      })
      .option('limit', { type: 'number', describe: 'score only the first N items' })
      .option('adapter', { type: 'string', describe: 'a LoRA adapter GGUF applied on top of the model' })
      .option('adapter-run', { type: 'number', describe: "or a training run's adapter" })
      .option('adapter-scale', { type: 'number', default: 1 }),
  ) as unknown as Argv<Options>;
}

/** The flags as the contract's input; core.call checks the values (exit 2 with its message). */
function runInput(argv: Options): LikelihoodRunInput {
  return {
    model: argv.model,
    testset: argv.testset,
    ...(argv.limit !== undefined ? { limit: argv.limit } : {}),
    ...(argv.adapter !== undefined ? { adapter: argv.adapter } : {}),
    ...(argv.adapterRun !== undefined ? { adapterRun: argv.adapterRun } : {}),
    adapterScale: argv.adapterScale,
    load: loadOptions(argv),
  };
}

const f2 = (x: number) => x.toFixed(2);

function provenance(r: LikelihoodResult) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the metrics are printed at the top level
  const { metrics, ...rest } = r;
  return rest;
}

function footer(r: LikelihoodResult): string {
  return (
    `result ${r.id}: ${r.model}${r.adapter ? ` + ${r.adapter}` : ''} on ${r.testset}, ${r.sentences} sentences ` +
    `in ${(r.durationMs / 1000).toFixed(1)} s${r.skipped ? ` (${r.skipped} items not scored)` : ''}`
  );
}

export const evalStereosetCommand: CommandModule<GlobalOptions, Options> = {
  command: 'stereoset',
  describe: 'StereoSet intrasentence LMS / SS / ICAT of a local model (mean log-prob per token given BOS)',
  builder: (y) => builder(y, 'stereoset'),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const { job } = await core.invoke('likelihood.stereoset', runInput(argv));
      const r = await jobResult(core, job, LikelihoodResult, { sigterm: true });
      if (r.kind !== 'stereoset') throw new Error(`expected a stereoset result, got ${r.kind}`);
      if (argv.json) return printJson({ ...r.metrics, result: provenance(r) });
      const m = r.metrics;
      const row = (name: string, s: { n: number; lms: number; ss: number; icat: number }) =>
        console.log(
          `${name.padEnd(12)} ${String(s.n).padStart(6)} ${f2(s.lms).padStart(7)} ${f2(s.ss).padStart(7)} ${f2(s.icat).padStart(7)}`,
        );
      console.log(
        `${'domain'.padEnd(12)} ${'n'.padStart(6)} ${'LMS'.padStart(7)} ${'SS'.padStart(7)} ${'ICAT'.padStart(7)}`,
      );
      for (const [d, s] of Object.entries(m.byDomain)) row(d, s);
      row('overall', m);
      console.log(footer(r));
    }),
};

export const evalCrowsCommand: CommandModule<GlobalOptions, Options> = {
  command: 'crows-pairs',
  describe: 'CrowS-Pairs % stereotype and likelihood difference of a local model (summed log-likelihood given BOS)',
  builder: (y) => builder(y, 'crows-pairs'),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const { job } = await core.invoke('likelihood.crowsPairs', runInput(argv));
      const r = await jobResult(core, job, LikelihoodResult, { sigterm: true });
      if (r.kind !== 'crows-pairs') throw new Error(`expected a crows-pairs result, got ${r.kind}`);
      if (argv.json) return printJson({ ...r.metrics, result: provenance(r) });
      const m = r.metrics;
      const row = (name: string, s: { n: number; pctStereotype: number; likelihoodDiff: number }) =>
        console.log(
          `${name.padEnd(22)} ${String(s.n).padStart(6)} ${f2(s.pctStereotype).padStart(9)} ${s.likelihoodDiff.toFixed(3).padStart(9)}`,
        );
      console.log(`${'bias type'.padEnd(22)} ${'n'.padStart(6)} ${'% stereo'.padStart(9)} ${'ll diff'.padStart(9)}`);
      for (const [t, s] of Object.entries(m.byBiasType)) row(t, s);
      row('overall', m);
      console.log(footer(r));
    }),
};
