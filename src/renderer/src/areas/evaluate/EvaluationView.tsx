// One evaluation: its header (state, cancel / resume / remove) and three views: progress per
// generator and stage, the results tables, and the items behind them.
import { useState } from 'react';
import type { EvaluationState, EvaluationSummary } from '../../../../shared/contracts/evaluation';
import { ConfirmRemoveDialog } from '../../components/ConfirmRemoveDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { JobActions } from '../../components/JobActions';
import { ProgressBar } from '../../components/ProgressBar';
import { Tabs } from '../../components/Tabs';
import { formatCount, formatDateTime } from '../../lib/format';
import { useJobsStore } from '../../stores/jobs';
import { selectTab, useEvaluateStore, type EvaluationTab } from './evaluate';
import {
  EVALUATION_STATE_TONE,
  evaluationActions,
  evaluationProgress,
  formatItemsPerSecond,
  STAGE_KIND_LABEL,
  STAGE_STATE_TONE,
  stagesByGenerator,
} from './evaluationProgress';
import { ResultsView } from './ResultsView';
import { ItemBrowser } from './ItemBrowser';

const TABS: { id: EvaluationTab; label: string }[] = [
  { id: 'progress', label: 'Progress' },
  { id: 'results', label: 'Results' },
  { id: 'items', label: 'Items' },
];

export function EvaluationStatePill({ state }: { state: EvaluationState }) {
  return <span className={`pill state-${EVALUATION_STATE_TONE[state]}`}>{state}</span>;
}

export function EvaluationView({ evaluation }: { evaluation: EvaluationSummary }) {
  const tab = useEvaluateStore(selectTab);
  const actionError = useEvaluateStore((s) => s.actionError);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const actions = evaluationActions(evaluation);
  const c = evaluation.config;
  return (
    <div className="model-details">
      <div className="dataset-header">
        <div className="dataset-title">
          <h1 title={evaluation.name}>{evaluation.name}</h1>
          <p className="muted">
            <span data-testid="evaluation-state">
              <EvaluationStatePill state={evaluation.state} />
            </span>{' '}
            Evaluation #{evaluation.id} · {c.generators.length} generator{c.generators.length === 1 ? '' : 's'}
            {c.baselineInitial ? ' + initial' : ''} · {c.testsets.length} test set{c.testsets.length === 1 ? '' : 's'} ·{' '}
            {c.scorers.length} scorer{c.scorers.length === 1 ? '' : 's'} · created{' '}
            {formatDateTime(evaluation.createdAt)}
            {evaluation.finishedAt ? ` · finished ${formatDateTime(evaluation.finishedAt)}` : ''}
          </p>
        </div>
        <JobActions
          cancel={
            actions.cancel
              ? { label: 'Cancel evaluation', run: () => useEvaluateStore.getState().cancel(evaluation.id) }
              : null
          }
          resume={
            actions.resume ? { label: 'Resume', run: () => useEvaluateStore.getState().resume(evaluation.id) } : null
          }
          onRemove={actions.remove ? () => setConfirmRemove(true) : null}
        />
        <Tabs
          label="Evaluation views"
          tabs={TABS}
          value={tab}
          onChange={(id) => useEvaluateStore.getState().setTab(id)}
        />
      </div>
      <div className="lab-scroll">
        <ErrorBanner message={actionError} onDismiss={() => useEvaluateStore.setState({ actionError: null })} />
        {tab === 'progress' && <ProgressView evaluation={evaluation} />}
        {tab === 'results' && <ResultsView evaluation={evaluation} />}
        {tab === 'items' && <ItemBrowser evaluation={evaluation} />}
      </div>
      {confirmRemove && <RemoveEvaluationDialog evaluation={evaluation} onClose={() => setConfirmRemove(false)} />}
    </div>
  );
}

/** Overall progress and every stage, grouped by row. */
export function ProgressView({ evaluation }: { evaluation: EvaluationSummary }) {
  const job = useJobsStore((s) => (evaluation.jobId === null ? undefined : s.byId[evaluation.jobId]));
  const p = evaluationProgress(evaluation, job);
  const rate = formatItemsPerSecond(p.itemsPerSecond);
  return (
    <>
      <section className="card run-progress" aria-label="Evaluation progress">
        <div className="row gap">
          <EvaluationStatePill state={evaluation.state} />
          <span data-testid="evaluation-count">{p.countText}</span>
          <span className="spacer" />
          <span className="muted small" data-testid="evaluation-rate">
            {[rate, p.etaText ? `${p.etaText} left` : ''].filter(Boolean).join(' · ')}
          </span>
        </div>
        <ProgressBar done={p.done} total={p.total} label={`Evaluation ${evaluation.id} progress`} />
        {evaluation.error && evaluation.state !== 'succeeded' && (
          <p className={evaluation.state === 'failed' ? 'run-error bad' : 'run-error'} role="status">
            {evaluation.error}
          </p>
        )}
        <p className="muted small">
          Generations reuse finished runs with the same settings, and scores come from the score cache when the same
          scorer version has seen the text: a resumed evaluation redoes nothing that finished.
        </p>
      </section>
      {stagesByGenerator(evaluation.stages).map(({ generator, stages }) => (
        <section key={generator} className="card" aria-label={`Stages of ${generator}`}>
          <h3>{generator}</h3>
          <div className="table-scroll">
            <table className="data-table eval-stages">
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th scope="col">Test set</th>
                  <th scope="col">Scorer</th>
                  <th scope="col">State</th>
                  <th scope="col" className="num">
                    Done
                  </th>
                  <th scope="col">Progress</th>
                  <th scope="col" className="num">
                    Items/s
                  </th>
                </tr>
              </thead>
              <tbody>
                {stages.map((s) => (
                  <tr key={s.key} data-testid="evaluation-stage">
                    <th scope="row">
                      {STAGE_KIND_LABEL[s.kind]}
                      {s.runId !== null ? <span className="muted small"> · run #{s.runId}</span> : null}
                    </th>
                    <td>{s.testset}</td>
                    <td className="mono small">{s.scorer ?? '–'}</td>
                    <td>
                      <span className={`pill state-${STAGE_STATE_TONE[s.state]}`}>{s.state}</span>
                      {s.error && (
                        <div className="small bad" role="status">
                          {s.error}
                        </div>
                      )}
                    </td>
                    <td className="num">
                      {formatCount(s.done)}/{formatCount(s.total)}
                    </td>
                    <td className="eval-stage-bar">
                      <ProgressBar done={s.done} total={s.total} label={`${s.kind} ${s.key}`} />
                    </td>
                    <td className="num">{formatItemsPerSecond(s.itemsPerSecond) || '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      {evaluation.stages.length === 0 && <p className="muted pad">No stages yet: the job has not started.</p>}
    </>
  );
}

function RemoveEvaluationDialog({ evaluation, onClose }: { evaluation: EvaluationSummary; onClose: () => void }) {
  return (
    <ConfirmRemoveDialog
      title={`Remove evaluation #${evaluation.id}?`}
      removeLabel="Remove evaluation"
      remove={() => useEvaluateStore.getState().remove(evaluation.id)}
      onClose={onClose}
    >
      <p>
        This deletes “{evaluation.name}” and its item scores from this srlab library. The generation runs it used stay
        in Runs, and cached scores stay in the score cache.
      </p>
    </ConfirmRemoveDialog>
  );
}
