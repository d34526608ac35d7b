// Evaluate: generators × test sets × scorers as one resumable job, the paper's tables with the
// paper's own numbers beside them, the items behind every number, and a leaderboard across
// evaluations.
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatDateTime } from '../../lib/format';
import { useDatasetsStore } from '../datasets/datasets';
import { useEndpointsStore } from '../models/endpoints';
import { useModelsStore } from '../models/models';
import { useTemplatesStore } from '../../stores/templates';
import { useJobsStore } from '../../stores/jobs';
import '../../styles/llm.css';
import './evaluate.css';
import {
  selectEvaluateStatus,
  selectEvaluations,
  selectMode,
  selectSelectedEvaluation,
  selectSelectedEvaluationId,
  useEvaluateStore,
} from './evaluate';
import { EVALUATION_STATE_TONE, evaluationProgress } from './evaluationProgress';
import { EvaluationView, EvaluationStatePill } from './EvaluationView';
import { NewEvaluationForm } from './NewEvaluationForm';
import { CompareView } from './CompareView';

export function EvaluateArea() {
  const evaluation = useEvaluateStore(selectSelectedEvaluation);
  const mode = useEvaluateStore(selectMode);
  const { loaded } = useEvaluateStore(useShallow(selectEvaluateStatus));

  useEffect(() => {
    void useEvaluateStore.getState().load();
    void useEvaluateStore.getState().loadChoices();
    void useModelsStore.getState().load();
    void useEndpointsStore.getState().load();
    void useTemplatesStore.getState().load();
    if (!useDatasetsStore.getState().loaded) void useDatasetsStore.getState().load();
  }, []);

  return (
    <div className="lab-area evaluate-area">
      <EvaluationList />
      <section className="lab-main" aria-label="Evaluation">
        {mode === 'new' ? (
          <NewEvaluationForm />
        ) : mode === 'compare' ? (
          <CompareView />
        ) : evaluation ? (
          <EvaluationView key={evaluation.id} evaluation={evaluation} />
        ) : loaded ? (
          <NoEvaluation />
        ) : (
          <div className="empty-state">Loading evaluations…</div>
        )}
      </section>
    </div>
  );
}

function NoEvaluation() {
  return (
    <div className="empty-state">
      <h2>No evaluation yet</h2>
      <p>
        An evaluation runs generators (local models, adapters, endpoints) over test sets (the CMD test split, imported
        standard test sets), scores the inputs and every output with the scorers you choose, and builds the paper’s
        tables from what it stored. Finished generations and cached scores are reused; a stopped evaluation resumes.
      </p>
      <button type="button" className="btn primary" onClick={() => useEvaluateStore.getState().setMode('new')}>
        New evaluation…
      </button>
    </div>
  );
}

function EvaluationList() {
  const evaluations = useEvaluateStore(selectEvaluations);
  const selected = useEvaluateStore(selectSelectedEvaluationId);
  const mode = useEvaluateStore(selectMode);
  const { loaded, loading, error } = useEvaluateStore(useShallow(selectEvaluateStatus));
  const jobs = useJobsStore((s) => s.byId);
  return (
    <aside className="dataset-list" aria-label="Evaluations">
      <div className="dataset-list-header">
        <h2>Evaluations</h2>
        <button type="button" className="btn primary small" onClick={() => useEvaluateStore.getState().setMode('new')}>
          New evaluation…
        </button>
      </div>
      <div className="pad">
        <button
          type="button"
          className={mode === 'compare' ? 'btn small active' : 'btn small'}
          aria-pressed={mode === 'compare'}
          onClick={() => useEvaluateStore.getState().setMode('compare')}
        >
          Compare (leaderboard)
        </button>
      </div>
      <ErrorBanner message={error} onRetry={() => void useEvaluateStore.getState().load()} />
      {!loaded && loading && <p className="muted pad">Loading…</p>}
      {loaded && !error && evaluations.length === 0 && <p className="muted pad">No evaluations yet.</p>}
      <ul className="dataset-items">
        {evaluations.map((e) => {
          const active = mode === 'evaluation' && e.id === selected;
          const p = evaluationProgress(e, e.jobId !== null ? jobs[e.jobId] : null);
          return (
            <li key={e.id}>
              <button
                type="button"
                className={active ? 'dataset-item run-item active' : 'dataset-item run-item'}
                aria-current={active ? 'true' : undefined}
                onClick={() => useEvaluateStore.getState().select(e.id)}
              >
                <span className="dataset-item-name" title={e.name}>
                  #{e.id} {e.name}
                </span>
                <span className="dataset-item-meta row gap">
                  <EvaluationStatePill state={e.state} />
                  <span>{p.fraction === null ? '' : `${Math.floor(p.fraction * 100)}%`}</span>
                </span>
                <span className="split-bar" aria-hidden="true">
                  <span
                    className={`split-seg run-seg ${EVALUATION_STATE_TONE[e.state]}`}
                    style={{ width: `${(p.fraction ?? 0) * 100}%` }}
                  />
                </span>
                <span className="dataset-item-meta">{formatDateTime(e.createdAt)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
