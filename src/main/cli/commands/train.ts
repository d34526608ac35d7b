import type { CommandModule } from 'yargs';
import { ApiError } from '../../../shared/contract';
import type { JobInfo } from '../../../shared/contracts/jobs';
import type { TrainMetric, TrainRun } from '../../../shared/contracts/training';
import { type Door, type GlobalOptions, ExitCode, note, printJson, withCore } from '../context';
import { followJob } from '../follow';
import { runTrainPreflight, trainInputFromFlags } from './train-preflight';

interface TrainOptions extends GlobalOptions {
  action?: 'resume' | 'cancel' | 'show' | 'list' | 'preflight';
  run?: number;
  dataset?: string;
  split: string;
  eval?: string;
  base?: string;
  preset: string;
  template?: string;
  set: string[];
  name?: string;
  gguf: boolean;
  pue: number;
  carbon: number;
}

/**
 * Follow a training job: progress + loss on stderr; Ctrl-C (or SIGTERM) cancels (checkpoints
 * stay for resume). Answers the run as it ended, failed or not: the report says how.
 */
async function follow(core: Door, started: { run: TrainRun; job: JobInfo }): Promise<TrainRun> {
  await followJob(core, started.job, {
    sigterm: true,
    detail: (e) =>
      e.type === 'train-metric' && e.runId === started.run.id && e.metric.split === 'train'
        ? `  loss ${e.metric.loss.toFixed(4)}`
        : undefined,
  });
  return (await core.invoke('train.get', { id: started.run.id })).run;
}

function report(run: TrainRun, json: boolean, metrics?: TrainMetric[]): void {
  const out = {
    run: run.id,
    state: run.state,
    device: run.device,
    steps: run.step,
    initialLoss: run.initialLoss,
    finalLoss: run.finalLoss,
    bestEvalLoss: run.bestEvalLoss,
    adapterDir: run.adapterDir,
    adapterCheckpoint: run.adapterCheckpoint ?? null,
    ggufModel: run.ggufModel,
    adapterGguf: run.adapterGguf,
    checkpoints: run.checkpoints.map((c) => c.step),
    energy: run.energy,
    error: run.error,
    ...(metrics ? { metrics } : {}),
  };
  if (json)
    printJson(
      run.state === 'succeeded'
        ? out
        : { ...out, error: { kind: run.state === 'cancelled' ? 'cancelled' : 'failed', message: run.error } },
    );
  else {
    console.log(`run ${run.id} (${run.name}): ${run.state}${run.error ? ` — ${run.error}` : ''}`);
    console.log(
      `  steps       ${run.step}/${run.totalSteps ?? '?'} on ${run.device ?? '?'}, ${run.examples ?? '?'} examples (${run.truncated ?? 0} truncated)`,
    );
    console.log(
      `  loss        ${run.initialLoss?.toFixed(4) ?? '–'} → ${run.finalLoss?.toFixed(4) ?? '–'}${run.bestEvalLoss !== null ? `, best eval ${run.bestEvalLoss.toFixed(4)}` : ''}${run.stoppedEarly ? ' (stopped early)' : ''}`,
    );
    console.log(`  checkpoints ${run.checkpoints.map((c) => c.step).join(', ') || '–'}`);
    const from = run.adapterCheckpoint;
    console.log(
      `  adapter     ${run.adapterDir ?? '–'}${from ? ` (step ${from.step}, ${from.selected === 'best' ? 'best eval checkpoint' : 'last step'}; the merge and GGUF hold these weights)` : ''}`,
    );
    console.log(
      `  gguf        ${run.ggufModel ? `model library: ${run.ggufModel}` : '–'}${run.adapterGguf ? `; LoRA GGUF ${run.adapterGguf}` : ''}`,
    );
    const e = run.energy;
    if (e)
      console.log(
        `  energy      ${e.kwh !== null ? `${e.kwh.toFixed(5)} kWh (PUE ${e.pue}), ${e.co2Kg?.toFixed(5)} kgCO2e at ${e.carbonIntensity} kg/kWh — ${e.method}` : e.method}`,
      );
    if (run.stderrTail && run.state === 'failed') note(`worker stderr (last lines):\n${run.stderrTail}`);
  }
  if (run.state !== 'succeeded') throw new ExitCode(1);
}

/** The run an action names (its value is checked by the contract). */
function runId(argv: TrainOptions): number {
  if (argv.run === undefined) throw new ApiError('invalid-input', `give the run: srlab train ${argv.action} RUN`);
  return argv.run;
}

export const trainCommand: CommandModule<GlobalOptions, TrainOptions> = {
  command: 'train [action] [run]',
  describe:
    'LoRA/QLoRA fine-tuning: train --dataset D --base MODEL; train preflight --dataset D --base MODEL; train resume|cancel|show RUN; train list',
  builder: (y) =>
    y
      .positional('action', {
        choices: ['resume', 'cancel', 'show', 'list', 'preflight'] satisfies TrainOptions['action'][],
      })
      .positional('run', { type: 'number' })
      .option('dataset', { type: 'string', describe: 'dataset to train on' })
      .option('split', { type: 'string', default: 'train', describe: 'training split' })
      .option('eval', {
        type: 'string',
        describe: 'eval split for eval loss and early stopping (default dev; "none" for none)',
      })
      .option('base', { type: 'string', describe: 'base model: Hugging Face id or local folder' })
      .option('preset', { type: 'string', default: 'srllm-paper', describe: 'training preset' })
      .option('template', {
        type: 'string',
        describe: 'prompt template of the examples (llama2-chat): sr-llm-paper (default), srllm-authors-code, …',
      })
      .option('set', {
        type: 'string',
        array: true,
        default: [],
        describe: 'override a preset value: KEY=VALUE (repeatable)',
      })
      .option('name', { type: 'string', describe: 'run name (also the GGUF model name)' })
      .option('gguf', {
        type: 'boolean',
        default: true,
        describe: 'merge and convert to GGUF, register it in the model library',
      })
      .option('pue', { type: 'number', default: 1.0, describe: 'power usage effectiveness for the energy estimate' })
      .option('carbon', { type: 'number', default: 0.4, describe: 'carbon intensity, kgCO2e per kWh' }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      if (argv.action === 'list') {
        const { runs } = await core.invoke('train.list', {});
        if (argv.json) return printJson({ runs });
        for (const r of runs)
          console.log(
            `${r.id}\t${r.state}\t${r.name}\t${r.step}/${r.totalSteps ?? '?'}\t${r.finalLoss?.toFixed(4) ?? '–'}`,
          );
        return;
      }
      if (argv.action === 'show') {
        const id = runId(argv);
        const { run } = await core.invoke('train.get', { id });
        return report(run, argv.json, argv.json ? (await core.invoke('train.metrics', { id })).metrics : undefined);
      }
      if (argv.action === 'cancel') {
        const { run } = await core.invoke('train.cancel', { id: runId(argv) });
        if (argv.json) return printJson({ run: run.id, state: 'cancel-requested' });
        console.log(`cancel requested for run ${run.id}; it stops at the next step (checkpoints stay for resume)`);
        return;
      }
      if (argv.action === 'preflight') return runTrainPreflight(core, argv);
      const started =
        argv.action === 'resume'
          ? await core.invoke('train.resume', { id: runId(argv) })
          : await core.invoke('train.start', trainInputFromFlags(argv));
      report(await follow(core, started), argv.json);
    }),
};
