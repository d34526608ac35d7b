import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { ApiError, type Input, type JobInfo, type RunItem, RunSummary } from '../../../shared/api';
import { DEFAULT_TEMPLATE_NAME, type TargetInput } from '../../../shared/contracts/llm';
import { SPLITS } from '../../../shared/domain';
import { type Door, ExitCode, type GlobalOptions, note, printJson, withCore } from '../context';
import { jobResult } from '../follow';
import { type LoadFlags, loadOptions, withLoadFlags } from './models';

interface Options extends GlobalOptions, LoadFlags {
  model?: string;
  endpoint?: string;
  dataset: string;
  split: string;
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
export async function allItems(core: Door, runId: number): Promise<RunItem[]> {
  const items: RunItem[] = [];
  for (let offset = 0; ; offset += 5000) {
    const page = await core.invoke('runs.items', { id: runId, offset, limit: 5000, status: 'all' });
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) return items;
  }
}

/**
 * Follow a started run's job: progress with tokens/s on stderr, Ctrl-C (or SIGTERM) cancels it;
 * finished items stay stored. Answers the final summary (also when items failed); a cancelled
 * run says how to finish it, then throws the cancellation.
 */
export async function followRun(core: Door, started: { run: RunSummary; job: JobInfo }): Promise<RunSummary> {
  try {
    return await jobResult(core, started.job, RunSummary, {
      sigterm: true,
      detail: (e) =>
        e.type === 'run' && e.run.id === started.run.id && e.run.tokensPerSecond !== null
          ? `  ${e.run.tokensPerSecond.toFixed(0)} tokens/s`
          : undefined,
    });
  } catch (err) {
    if (err instanceof ApiError && err.kind === 'cancelled') {
      const { run: now } = await core.invoke('runs.get', { id: started.run.id });
      note(
        `Cancelled: ${now.done} of ${now.total} items are stored. Run the same command again (or srlab runs resume ${now.id}) to finish.`,
      );
    }
    throw err;
  }
}

/** Print a finished run as `--json` promises ({run, items, tokensPerSecond}) or as a short report. */
export async function reportRun(
  core: Door,
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
        .option('split', { type: 'string', default: 'test', describe: `${SPLITS.join(', ')} or all` })
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
      const target: TargetInput = argv.model
        ? {
            kind: 'local',
            model: argv.model,
            adapterScale: argv.adapterScale,
            ...(argv.adapter ? { adapter: path.resolve(argv.adapter) } : {}),
          }
        : { kind: 'endpoint', endpoint: argv.endpoint! };
      // The flags as given: core.call checks every value against the contract (runs.start's input).
      const input: Input<'runs.start'> = {
        ...(argv.name !== undefined ? { name: argv.name } : {}),
        target,
        source: {
          kind: 'dataset',
          dataset: argv.dataset,
          split: argv.split as (typeof SPLITS)[number],
          ...(argv.limit !== undefined ? { limit: argv.limit } : {}),
        },
        template: { name: argv.template },
        decoding: { temperature: argv.temperature, seed: argv.seed, maxTokens: argv.maxTokens, stop: argv.stop ?? [] },
        parallel: argv.parallel,
        load: loadOptions(argv),
      };
      // After a crash or Ctrl-C, the same command picks up where the run stopped.
      const unfinished = argv.fresh ? null : (await core.invoke('runs.findUnfinished', input)).run;
      if (unfinished)
        note(
          `Resuming run ${unfinished.id} (${unfinished.done} of ${unfinished.total} items already done; --fresh starts over)`,
        );
      const started = unfinished
        ? await core.invoke('runs.resume', { id: unfinished.id })
        : await core.invoke('runs.start', input);
      const run = await followRun(core, started);
      await reportRun(core, run, argv.json, { resumedFrom: unfinished ? started.run.done : 0 });
    }),
};
