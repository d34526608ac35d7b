// One training run: state, steps with progress and ETA, live loss/eval/LR curves, checkpoints,
// cancel/resume, final artefacts (open the GGUF in Models), energy, and the full stored config.
import { useEffect, useMemo } from 'react';
import type { TrainRun } from '../../../../shared/contracts/training';
import { LineChart, type LineSeries } from '../../charts/LineChart';
import { ErrorBanner } from '../../components/ErrorBanner';
import { JobActions } from '../../components/JobActions';
import { JobLog } from '../../components/JobLog';
import { ProgressBar } from '../../components/ProgressBar';
import { formatCount, formatDateTime, formatEta } from '../../lib/format';
import { TRAIN_FIELDS } from './trainForm';
import {
  downsample,
  etaSeconds,
  formatDuration,
  formatMetric,
  latestTokensPerSecond,
  seriesOf,
  trainActions,
  TRAIN_STATE_TONE,
} from '../../lib/trainSeries';
import { selectGo, useAreaStore } from '../../stores/area';
import { useJobsStore } from '../../stores/jobs';
import { useModelsStore } from '../models/models';
import { selectTrainMetrics, useTrainingStore } from './training';

const MAX_POINTS = 600;

export function TrainStatePill({ state }: { state: TrainRun['state'] }) {
  return <span className={`pill state-${TRAIN_STATE_TONE[state]}`}>{state}</span>;
}

export function TrainRunView({ run }: { run: TrainRun }) {
  const job = useJobsStore((s) => (run.jobId === null ? undefined : s.byId[run.jobId]));
  const entry = useTrainingStore(selectTrainMetrics);
  const actionError = useTrainingStore((s) => s.actionError);
  const actions = trainActions(run);

  useEffect(() => {
    void useTrainingStore.getState().loadMetrics();
  }, [run.id]);
  // A run that just finished: pick up metrics that may have been logged while events were throttled.
  useEffect(() => {
    if (run.state !== 'running' && run.state !== 'queued') void useTrainingStore.getState().loadMetrics();
  }, [run.state]);

  const metrics = entry?.runId === run.id ? entry.metrics : [];
  const series = useMemo(() => seriesOf(metrics), [metrics]);
  const lossSeries: LineSeries[] = useMemo(
    () => [
      { label: 'train loss', points: downsample(series.trainLoss, MAX_POINTS) },
      { label: 'eval loss', points: downsample(series.evalLoss, MAX_POINTS), dashed: true },
    ],
    [series],
  );
  const lrSeries: LineSeries[] = useMemo(
    () => [{ label: 'learning rate', points: downsample(series.lr, MAX_POINTS) }],
    [series],
  );
  const tps = latestTokensPerSecond(metrics);
  const elapsed = (Date.now() - Date.parse(job?.startedAt ?? run.createdAt)) / 1000;
  const eta =
    job && job.state === 'running' && job.progress.etaSeconds !== null
      ? job.progress.etaSeconds
      : etaSeconds(run, elapsed);
  const lastTrain = series.trainLoss[series.trainLoss.length - 1]?.y ?? run.finalLoss;

  return (
    <div className="model-details">
      <div className="dataset-header">
        <div className="dataset-title">
          <h1 title={run.name}>{run.name}</h1>
          <p className="muted">
            Training run #{run.id} · {run.dataset}/{run.split}
            {run.evalSplit ? ` (eval ${run.evalSplit})` : ''} · preset {run.preset} · created{' '}
            {formatDateTime(run.createdAt)}
            {run.finishedAt ? ` · finished ${formatDateTime(run.finishedAt)}` : ''}
          </p>
        </div>
        <JobActions
          cancel={
            actions.cancel ? { label: 'Cancel training', run: () => useTrainingStore.getState().cancel(run.id) } : null
          }
          resume={
            actions.resume
              ? {
                  label: `Resume from step ${run.checkpoints[run.checkpoints.length - 1]!.step}`,
                  run: () => useTrainingStore.getState().resume(run.id),
                }
              : null
          }
        />
      </div>
      <div className="lab-scroll">
        <ErrorBanner message={actionError} onDismiss={() => useTrainingStore.setState({ actionError: null })} />
        <section className="card run-progress" aria-label="Training progress">
          <div className="row gap">
            <TrainStatePill state={run.state} />
            <span className="run-count" data-testid="train-step">
              step {formatCount(run.step)}
              {run.totalSteps !== null ? ` of ${formatCount(run.totalSteps)}` : ''}
            </span>
            {run.stoppedEarly && <span className="pill state-mild">stopped early</span>}
            <span className="spacer" />
            <span className="muted small">
              {[
                tps !== null ? `${formatCount(Math.round(tps))} tokens/s` : '',
                eta !== null ? `${formatEta(eta) || formatDuration(eta)} left` : '',
              ]
                .filter(Boolean)
                .join(' · ')}
            </span>
          </div>
          <ProgressBar done={run.step} total={run.totalSteps} label={`Training run ${run.id} progress`} />
          <dl className="stat-row">
            <div className="stat">
              <dt>Initial loss</dt>
              <dd>{formatMetric(run.initialLoss ?? series.trainLoss[0]?.y)}</dd>
            </div>
            <div className="stat">
              <dt>Latest train loss</dt>
              <dd data-testid="train-last-loss">{formatMetric(lastTrain)}</dd>
            </div>
            <div className="stat">
              <dt>Best eval loss</dt>
              <dd>{formatMetric(run.bestEvalLoss)}</dd>
            </div>
            <div className="stat">
              <dt>Examples</dt>
              <dd>{run.examples !== null ? formatCount(run.examples) : '–'}</dd>
            </div>
            <div className="stat">
              <dt>Truncated</dt>
              <dd className={run.truncated ? 'warn-text' : undefined}>
                {run.truncated !== null ? formatCount(run.truncated) : '–'}
              </dd>
            </div>
            <div className="stat">
              <dt>Device</dt>
              <dd>{run.device ?? '–'}</dd>
            </div>
          </dl>
          {run.error && run.state !== 'succeeded' && (
            <p className={run.state === 'failed' ? 'run-error bad' : 'run-error'} role="status">
              {run.error}
            </p>
          )}
          {run.stderrTail && (
            <details>
              <summary className="small">Worker stderr (last lines)</summary>
              <pre className="log-tail">{run.stderrTail}</pre>
            </details>
          )}
        </section>
        {run.jobId !== null && (
          <details className="card" data-testid="train-log-card">
            <summary>Worker log (truncation, optimizer fallbacks, resume, early stopping)</summary>
            <JobLog jobId={run.jobId} label={`Training run ${run.id} log`} testId="train-log" />
          </details>
        )}

        <section className="card" aria-labelledby="train-curves">
          <h3 id="train-curves">Curves</h3>
          <ErrorBanner
            message={entry?.runId === run.id ? entry.error : null}
            onRetry={() => void useTrainingStore.getState().loadMetrics()}
          />
          {metrics.length === 0 ? (
            <p className="muted" data-testid="train-curves-empty">
              {run.state === 'running' || run.state === 'queued'
                ? 'Waiting for the first logged step (the model loads first)…'
                : 'No metrics were logged for this run.'}
            </p>
          ) : (
            <div className="train-charts">
              <LineChart title="Loss" series={lossSeries} xMax={run.totalSteps} testId="chart-loss" />
              <LineChart title="Learning rate" series={lrSeries} kind="lr" xMax={run.totalSteps} testId="chart-lr" />
            </div>
          )}
        </section>

        <CheckpointsCard run={run} />
        <ArtefactsCard run={run} />
        <EnergyCard run={run} />
        <ConfigCard run={run} />
      </div>
    </div>
  );
}

function CheckpointsCard({ run }: { run: TrainRun }) {
  const best = run.bestEvalLoss;
  return (
    <section className="card" aria-labelledby="train-ckpts">
      <h3 id="train-ckpts">Checkpoints</h3>
      {run.checkpoints.length === 0 ? (
        <p className="muted" data-testid="train-ckpts-empty">
          None yet: one lands every {run.config.save_steps} steps.
        </p>
      ) : (
        <table className="data-table" data-testid="train-ckpts">
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Train loss</th>
              <th scope="col">Eval loss</th>
              <th scope="col">Saved</th>
              <th scope="col">Folder</th>
            </tr>
          </thead>
          <tbody>
            {run.checkpoints.map((c) => (
              <tr key={c.step} data-adapter={run.adapterCheckpoint?.step === c.step || undefined}>
                <td>
                  {formatCount(c.step)}
                  {run.adapterCheckpoint?.step === c.step && (
                    <span className="pill good" title="The adapter, the merge and the GGUF hold this step’s weights">
                      {' '}
                      adapter
                    </span>
                  )}
                </td>
                <td>{formatMetric(c.trainLoss)}</td>
                <td className={c.evalLoss !== null && c.evalLoss === best ? 'good-text' : undefined}>
                  {formatMetric(c.evalLoss)}
                  {c.evalLoss !== null && c.evalLoss === best ? ' (best)' : ''}
                </td>
                <td>{formatDateTime(c.createdAt)}</td>
                <td>
                  <code className="path" title={c.dir}>
                    {c.dir.split(/[\\/]/).pop()}
                  </code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ArtefactsCard({ run }: { run: TrainRun }) {
  const go = useAreaStore(selectGo);
  const openModel = (name: string) => {
    void useModelsStore.getState().load();
    useModelsStore.getState().select(name);
    go('models');
  };
  const rows: [string, string | null, string][] = [
    ['Run folder', run.runDir, 'everything of this run'],
    ['LoRA adapter', run.adapterDir, 'PEFT adapter (safetensors)'],
    ['Merged model', run.mergedDir, 'base + adapter, Hugging Face format'],
  ];
  // Older runs have no record of it (null or absent).
  const from = run.adapterCheckpoint ?? null;
  return (
    <section className="card" aria-labelledby="train-artefacts">
      <h3 id="train-artefacts">Artefacts</h3>
      <table className="kv">
        <tbody>
          <tr>
            <th scope="row">Weights from</th>
            <td data-testid="adapter-from">
              {from ? (
                <>
                  step {formatCount(from.step)} ({from.selected === 'best' ? 'best eval checkpoint' : 'last step'}
                  {from.evalLoss !== null ? `, eval loss ${formatMetric(from.evalLoss)}` : ''})
                  <span className="muted small"> · {from.reason}; the adapter, merge and GGUF below hold these</span>
                </>
              ) : (
                <span className="muted">
                  {run.state === 'succeeded' ? 'not recorded (an older run)' : 'when training ends'} · final_checkpoint{' '}
                  {run.config.final_checkpoint ?? 'last'}
                </span>
              )}
            </td>
          </tr>
          {rows.map(([label, value, hint]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>
                {value ? (
                  <code className="path" title={hint}>
                    {value}
                  </code>
                ) : (
                  <span className="muted">not yet</span>
                )}
              </td>
            </tr>
          ))}
          <tr>
            <th scope="row">GGUF (merged)</th>
            <td>
              {run.ggufModel ? (
                <span className="row gap">
                  <code>{run.ggufModel}</code>
                  <button
                    type="button"
                    className="btn small primary"
                    onClick={() => openModel(run.ggufModel!)}
                    data-testid="open-gguf"
                  >
                    Open in Models
                  </button>
                </span>
              ) : (
                <span className="muted">
                  {!run.exportGguf
                    ? 'not asked for (export was off)'
                    : run.state === 'succeeded'
                      ? 'not exported'
                      : 'after training'}
                </span>
              )}
            </td>
          </tr>
          <tr>
            <th scope="row">Adapter GGUF</th>
            <td>
              {run.adapterGguf ? <code className="path">{run.adapterGguf}</code> : <span className="muted">–</span>}
              {run.adapterGguf && (
                <span className="muted small"> (use with the base GGUF as a LoRA in Runs or the Playground)</span>
              )}
            </td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

function EnergyCard({ run }: { run: TrainRun }) {
  const e = run.energy;
  return (
    <section className="card" aria-labelledby="train-energy">
      <h3 id="train-energy">Energy and CO2</h3>
      {!e ? (
        <p className="muted">Measured while training; shown when the run ends.</p>
      ) : (
        <>
          <dl className="stat-row">
            <div className="stat">
              <dt>Energy</dt>
              <dd>
                {e.kwh !== null ? `${e.kwh.toPrecision(3)} kWh${e.measured ? '' : ' (estimate)'}` : 'not measured'}
              </dd>
            </div>
            <div className="stat">
              <dt>CO2e</dt>
              <dd>
                {e.co2Kg !== null ? `${e.co2Kg.toPrecision(3)} kg${e.measured ? '' : ' (estimate)'}` : 'not measured'}
              </dd>
            </div>
            <div className="stat">
              <dt>GPU / CPU</dt>
              <dd>
                {e.gpuKwh !== null ? `${e.gpuKwh.toPrecision(3)}` : '–'} /{' '}
                {e.cpuKwh !== null ? `${e.cpuKwh.toPrecision(3)}` : '–'} kWh
              </dd>
            </div>
            <div className="stat">
              <dt>PUE</dt>
              <dd>{e.pue}</dd>
            </div>
            <div className="stat">
              <dt>Intensity</dt>
              <dd>{e.carbonIntensity} kgCO2e/kWh</dd>
            </div>
            <div className="stat">
              <dt>Time</dt>
              <dd>{formatDuration(e.seconds)}</dd>
            </div>
          </dl>
          <p className="muted small">{e.method}</p>
        </>
      )}
    </section>
  );
}

function ConfigCard({ run }: { run: TrainRun }) {
  const versions = Object.entries(run.versions);
  return (
    <section className="card" aria-labelledby="train-config">
      <h3 id="train-config">Stored config (everything needed to reproduce this run)</h3>
      <div className="card-grid tight">
        <table className="kv">
          <tbody>
            <tr>
              <th scope="row">Base</th>
              <td>
                <code className="path">{run.base}</code>
              </td>
            </tr>
            <tr>
              <th scope="row">Prompt template</th>
              <td data-testid="train-template">
                {run.template ? (
                  <span title={`${run.template.systemPrompt}\n\n${run.template.instruction}`}>
                    {run.template.name ?? 'inline'}
                    {run.template.version !== null ? ` v${run.template.version}` : ''}
                  </span>
                ) : (
                  <span className="muted">not recorded (an older run: the paper’s prompt)</span>
                )}
              </td>
            </tr>
            <tr>
              <th scope="row">Data SHA-256</th>
              <td>
                <code className="mono">{run.dataHash ?? '–'}</code>
              </td>
            </tr>
            {versions.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td className={v ? 'mono' : 'muted'}>{v ?? 'absent'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="kv" data-testid="train-config">
          <tbody>
            {TRAIN_FIELDS.map((f) => {
              const v = run.config[f.key];
              return (
                <tr key={f.key}>
                  <th scope="row" title={f.label}>
                    <code>{f.key}</code>
                  </th>
                  <td>{Array.isArray(v) ? (v.length ? v.join(', ') : '(all linear)') : String(v ?? '–')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
