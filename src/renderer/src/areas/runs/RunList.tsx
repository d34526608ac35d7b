import { useShallow } from 'zustand/react/shallow';
import type { RunSummary } from '../../../../shared/contracts/runs';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatDateTime } from '../../lib/format';
import { formatTokensPerSecond } from '../../lib/llmFormat';
import { RUN_STATE_TONE, runProgress } from './runProgress';
import { selectRuns, selectRunsStatus, selectSelectedRunId, useRunsStore } from './runs';

export function RunList() {
  const runs = useRunsStore(selectRuns);
  const selected = useRunsStore(selectSelectedRunId);
  const { loaded, loading, error } = useRunsStore(useShallow(selectRunsStatus));
  const open = useRunsStore((s) => s.openNewRun);
  return (
    <aside className="dataset-list" aria-label="Runs">
      <div className="dataset-list-header">
        <h2>Runs</h2>
        <button type="button" className="btn primary small" onClick={() => open()}>
          New run…
        </button>
      </div>
      <ErrorBanner message={error} onRetry={() => void useRunsStore.getState().load()} />
      {!loaded && loading && <p className="muted pad">Loading…</p>}
      {loaded && !error && runs.length === 0 && <p className="muted pad">No runs yet.</p>}
      <ul className="dataset-items">
        {runs.map((r) => (
          <li key={r.id}>
            <RunItemButton run={r} active={r.id === selected} />
          </li>
        ))}
      </ul>
    </aside>
  );
}

export function StatePill({ state }: { state: RunSummary['state'] }) {
  const tone = RUN_STATE_TONE[state];
  return <span className={`pill state-${tone}`}>{state}</span>;
}

function RunItemButton({ run, active }: { run: RunSummary; active: boolean }) {
  const select = useRunsStore((s) => s.select);
  const p = runProgress(run);
  return (
    <button
      type="button"
      className={active ? 'dataset-item run-item active' : 'dataset-item run-item'}
      aria-current={active ? 'true' : undefined}
      onClick={() => select(run.id)}
    >
      <span className="dataset-item-name" title={run.name}>
        #{run.id} {run.name}
      </span>
      <span className="dataset-item-meta row gap">
        <StatePill state={run.state} />
        <span>
          {p.processed}/{p.total}
          {p.tokensPerSecond !== null ? ` · ${formatTokensPerSecond(p.tokensPerSecond)}` : ''}
        </span>
      </span>
      <span className="split-bar" aria-hidden="true">
        <span
          className={`split-seg run-seg ${RUN_STATE_TONE[run.state]}`}
          style={{ width: `${(p.fraction ?? 0) * 100}%` }}
        />
      </span>
      <span className="dataset-item-meta">
        {formatDateTime(run.createdAt)}
        {run.finishedAt ? ` → ${formatDateTime(run.finishedAt)}` : ''}
      </span>
    </button>
  );
}
