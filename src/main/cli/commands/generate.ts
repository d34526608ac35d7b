import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { ApiError } from '../../../shared/contract';
import { Decoding, DEFAULT_TEMPLATE_NAME, type Target } from '../../../shared/contracts/llm';
import type { RunItem, RunSummary } from '../../../shared/contracts/runs';
import { SPLITS } from '../../../shared/domain';
import type { Core } from '../../core';
import type { StartRunInput, StartedRun } from '../../core/runs';
import { ExitCode, type GlobalOptions, note, printJson, withCore } from '../context';
import { createProgressPrinter } from '../progress';
import { type LoadFlags, loadOptions, withLoadFlags } from './models';

interface Options extends GlobalOptions, LoadFlags {
  model?: string;
  endpoint?: string;
  dataset: string;
  split: (typeof SPLITS)[number] | 'all';
  limit?: number;
  parallel: number;
  maxTokens: number;
  adapter?: string;
  adapterScale: number;
  template: string;
  temperature: number;
  seed: number;
  stop?: string[];
  name?: string;
  fresh: boolean;
}

/** Every item of a run, page by page. */
export async function allItems(core: Core, runId: number): Promise<RunItem[]> {
  const items: RunItem[] = [];
  for (let offset = 0; ; offset += 5000) {
    const page = await core.invoke('runs.items', { id: runId, offset, limit: 5000, status: 'all' });
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) return items;
  }
}

/** Follow a started run: progress on stderr, Ctrl-C cancels (finished items stay stored). */
export async function followRun(core: Core, started: StartedRun): Promise<RunSummary> {
  const progress = createProgressPrinter();
  let tokensPerSecond: number | null = null;
  const stop = core.events.subscribe((e) => {
    if (e.type === 'run' && e.run.id === started.run.id) tokensPerSecond = e.run.tokensPerSecond;
    if (e.type === 'job' && e.job.id === started.job.id && e.job.state === 'running') {
      const tps = tokensPerSecond === null ? '' : `  ${tokensPerSecond.toFixed(0)} tokens/s`;
      progress.update({ ...e.job, title: `${e.job.title}${tps}` });
    }
  });
  const onSignal = () => core.jobs.cancel(started.job.id);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await started.done;
  } finally {
    progress.end();
    stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Print a finished run as `--json` promises ({run, items, tokensPerSecond}) or as a short report. */
export async function reportRun(
  core: Core,
  run: RunSummary,
  json: boolean,
  extra: Record<string, unknown> = {},
): Promise<void> {
  if (json) {
    printJson({ run, items: await allItems(core, run.id), tokensPerSecond: run.tokensPerSecond, ...extra });
  } else {
    const tps = run.tokensPerSecond === null ? '–' : run.tokensPerSecond.toFixed(1);
    console.log(
      `run ${run.id} (${run.name}): ${run.state}, ${run.done}/${run.total} items, ${run.errors} errors, ` +
        `${run.generatedTokens} tokens in ${(run.generationMs / 1000).toFixed(2)} s of generation = ${tps} tokens/s`,
    );
    console.log(`See every item: srlab runs show ${run.id}`);
  }
  if (run.errors > 0) {
    note(`${run.errors} item${run.errors === 1 ? '' : 's'} failed (the others are stored): srlab runs show ${run.id}`);
    throw new ExitCode(1);
  }
}

export const generateCommand: CommandModule<GlobalOptions, Options> = {
  command: 'generate',
  describe: 'Generate a benign variation for every record of a dataset split (a generation run)',
  builder: (y) =>
    withLoadFlags(
      y
        .option('model', { type: 'string', describe: 'a model from the library (srlab models)' })
        .option('endpoint', { type: 'string', describe: 'or an OpenAI-compatible endpoint by name' })
        .option('dataset', { type: 'string', demandOption: true })
        .option('split', { choices: [...SPLITS, 'all'] satisfies Options['split'][], default: 'test' as const })
        .option('limit', { type: 'number', describe: 'only the first N records of the split' })
        .option('parallel', { type: 'number', default: 1, describe: 'sequences generated at once (batched)' })
        .option('max-tokens', { type: 'number', default: 256 })
        .option('adapter', { type: 'string', describe: 'a LoRA adapter GGUF applied on top of the model' })
        .option('adapter-scale', { type: 'number', default: 1 })
        .option('template', {
          type: 'string',
          default: DEFAULT_TEMPLATE_NAME,
          describe: 'prompt template name (srlab runs templates)',
        })
        .option('temperature', { type: 'number', default: 0, describe: '0 = greedy (the paper)' })
        .option('seed', { type: 'number', default: 42 })
        .option('stop', { type: 'string', array: true, describe: 'stop strings (repeatable)' })
        .option('name', { type: 'string', describe: 'a name for the run' })
        .option('fresh', {
          type: 'boolean',
          default: false,
          describe: 'start a new run even if an unfinished one has the same settings',
        }),
    ) as unknown as Argv<Options>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      if (!argv.model === !argv.endpoint)
        throw new ApiError('invalid-input', 'give either --model NAME or --endpoint NAME');
      for (const [flag, v, min] of [
        ['limit', argv.limit, 1],
        ['parallel', argv.parallel, 1],
        ['max-tokens', argv.maxTokens, 1],
      ] as const) {
        if (v !== undefined && (!Number.isInteger(v) || v < min))
          throw new ApiError('invalid-input', `--${flag} must be a whole number ≥ ${min}`);
      }
      const decoding = Decoding.safeParse({
        temperature: argv.temperature,
        seed: argv.seed,
        maxTokens: argv.maxTokens,
        stop: argv.stop ?? [],
      });
      if (!decoding.success)
        throw new ApiError(
          'invalid-input',
          `decoding settings: ${decoding.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      const target: Target = argv.model
        ? {
            kind: 'local',
            model: argv.model,
            adapterScale: argv.adapterScale,
            ...(argv.adapter ? { adapter: path.resolve(argv.adapter) } : {}),
          }
        : { kind: 'endpoint', endpoint: argv.endpoint! };
      const input: StartRunInput = {
        ...(argv.name ? { name: argv.name } : {}),
        target,
        source: {
          kind: 'dataset',
          dataset: argv.dataset,
          split: argv.split,
          ...(argv.limit ? { limit: argv.limit } : {}),
        },
        template: { name: argv.template },
        decoding: decoding.data,
        parallel: argv.parallel,
        load: loadOptions(argv),
      };
      // After a crash or Ctrl-C, the same command picks up where the run stopped.
      const unfinished = argv.fresh ? null : await core.runs.findUnfinished(input);
      let started: StartedRun;
      if (unfinished) {
        note(
          `Resuming run ${unfinished.id} (${unfinished.done} of ${unfinished.total} items already done; --fresh starts over)`,
        );
        started = await core.runs.resume(unfinished.id);
      } else {
        started = await core.runs.start(input);
      }
      let run: RunSummary;
      try {
        run = await followRun(core, started);
      } catch (err) {
        const now = core.runs.get(started.run.id);
        if (err instanceof ApiError && err.kind === 'cancelled') {
          note(
            `Cancelled: ${now.done} of ${now.total} items are stored. Run the same command again (or srlab runs resume ${now.id}) to finish.`,
          );
        }
        throw err;
      }
      await reportRun(core, run, argv.json, { resumedFrom: started.alreadyDone });
    }),
};
