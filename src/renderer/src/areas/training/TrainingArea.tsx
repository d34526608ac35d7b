// Training: the Python worker (doctor, setup), LoRA/QLoRA runs with live curves, checkpoints,
// cancel/resume, artefacts and energy.
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatDateTime } from '../../lib/format';
import { formatMetric } from '../../lib/trainSeries';
import { useDatasetsStore } from '../datasets/datasets';
import {
  selectCreating,
  selectTrainRuns,
  selectTrainSelected,
  selectTrainSelectedId,
  selectTrainStatus,
  useTrainingStore,
} from './training';
import { selectDoctor, useWorkerStore, workerState } from './worker';
import '../../styles/llm.css';
import '../../styles/training.css';
import { NewTrainForm } from './NewTrainForm';
import { TrainRunView, TrainStatePill } from './TrainRunView';

export function TrainingArea() {
  const run = useTrainingStore(selectTrainSelected);
  const creating = useTrainingStore(selectCreating);
  const { loaded } = useTrainingStore(useShallow(selectTrainStatus));

  useEffect(() => {
    void useTrainingStore.getState().load();
    void useTrainingStore.getState().loadPresets();
    void useWorkerStore.getState().load();
    if (!useDatasetsStore.getState().loaded) void useDatasetsStore.getState().load();
  }, []);

  return (
    <div className="lab-area training-area">
      <TrainList />
      <section className="lab-main" aria-label="Training">
        {creating ? (
          <NewTrainForm />
        ) : run ? (
          <TrainRunView key={run.id} run={run} />
        ) : loaded ? (
          <NewTrainForm />
        ) : (
          <div className="empty-state">Loading training runs…</div>
        )}
      </section>
    </div>
  );
}

function TrainList() {
  const runs = useTrainingStore(selectTrainRuns);
  const selected = useTrainingStore(selectTrainSelectedId);
  const creating = useTrainingStore(selectCreating);
  const { loaded, loading, error } = useTrainingStore(useShallow(selectTrainStatus));
  return (
    <aside className="dataset-list train-list" aria-label="Training runs">
      <div className="dataset-list-header">
        <h2>Training</h2>
        <button type="button" className="btn primary small" onClick={() => useTrainingStore.getState().openNew()}>
          New training…
        </button>
      </div>
      <WorkerStatusLine />
      <ErrorBanner message={error} onRetry={() => void useTrainingStore.getState().load()} />
      {!loaded && loading && <p className="muted pad">Loading…</p>}
      {loaded && !error && runs.length === 0 && <p className="muted pad">No training runs yet.</p>}
      <ul className="dataset-items">
        {runs.map((r) => {
          const active = !creating && r.id === selected;
          const fraction = r.totalSteps ? Math.min(1, r.step / r.totalSteps) : 0;
          return (
            <li key={r.id}>
              <button
                type="button"
                className={active ? 'dataset-item run-item active' : 'dataset-item run-item'}
                aria-current={active ? 'true' : undefined}
                onClick={() => useTrainingStore.getState().select(r.id)}
              >
                <span className="dataset-item-name" title={r.name}>
                  #{r.id} {r.name}
                </span>
                <span className="dataset-item-meta row gap">
                  <TrainStatePill state={r.state} />
                  <span>
                    {r.step}/{r.totalSteps ?? '?'} steps
                    {r.finalLoss !== null ? ` · loss ${formatMetric(r.finalLoss)}` : ''}
                  </span>
                </span>
                <span className="split-bar" aria-hidden="true">
                  <span className="split-seg run-seg" style={{ width: `${fraction * 100}%` }} />
                </span>
                <span className="dataset-item-meta">{formatDateTime(r.createdAt)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}

function WorkerStatusLine() {
  const doctor = useWorkerStore(selectDoctor);
  if (!doctor) return null;
  return (
    <p className="muted small pad train-worker-line" data-testid="worker-line">
      Worker:{' '}
      {workerState(doctor) === 'ready'
        ? doctor.canRun.join(' · ')
        : workerState(doctor) === 'incomplete'
          ? 'incomplete, cannot train (see New training)'
          : 'not set up (see New training)'}
    </p>
  );
}
