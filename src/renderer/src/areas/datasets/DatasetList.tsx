import { useShallow } from 'zustand/react/shallow';
import type { DatasetSummary } from '../../../../shared/contracts/datasets';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount } from '../../lib/format';
import { selectDatasets, selectDatasetsStatus, selectSelectedName, useDatasetsStore } from './datasets';
import { selectOpenDialog, useUiStore } from '../../stores/ui';

export function DatasetList() {
  const datasets = useDatasetsStore(selectDatasets);
  const selected = useDatasetsStore(selectSelectedName);
  const { loaded, loading, error } = useDatasetsStore(useShallow(selectDatasetsStatus));
  const openDialog = useUiStore(selectOpenDialog);
  return (
    <aside className="dataset-list" aria-label="Datasets">
      <div className="dataset-list-header">
        <h2>Datasets</h2>
        <button type="button" className="btn primary small" onClick={() => openDialog('import')}>
          Import…
        </button>
      </div>
      <ErrorBanner message={error} onRetry={() => void useDatasetsStore.getState().load()} />
      {!loaded && loading && <p className="muted pad">Loading…</p>}
      {loaded && !error && datasets.length === 0 && <p className="muted pad">No datasets yet. Import one to begin.</p>}
      <ul className="dataset-items">
        {datasets.map((d) => (
          <li key={d.id}>
            <DatasetItem dataset={d} active={d.name === selected} />
          </li>
        ))}
      </ul>
    </aside>
  );
}

function DatasetItem({ dataset: d, active }: { dataset: DatasetSummary; active: boolean }) {
  const select = useDatasetsStore((s) => s.select);
  const split = d.splits.train + d.splits.dev + d.splits.test > 0;
  return (
    <button
      type="button"
      className={active ? 'dataset-item active' : 'dataset-item'}
      aria-current={active ? 'true' : undefined}
      onClick={() => select(d.name)}
    >
      <span className="dataset-item-name">{d.name}</span>
      <span className="dataset-item-meta">
        {formatCount(d.records)} records
        {d.disagreements > 0 && (
          <span className="warn-text" title="Records whose gold annotation differs from the paper’s rule">
            {' '}
            · ⚠ {formatCount(d.disagreements)}
          </span>
        )}
      </span>
      {split ? (
        <SplitBar splits={d.splits} total={d.records} />
      ) : (
        <span className="dataset-item-meta muted">not split</span>
      )}
    </button>
  );
}

const SPLIT_ORDER = ['train', 'dev', 'test', 'none'] as const;

function SplitBar({ splits, total }: { splits: DatasetSummary['splits']; total: number }) {
  const label = SPLIT_ORDER.filter((k) => splits[k] > 0)
    .map((k) => `${k} ${formatCount(splits[k])}`)
    .join(' · ');
  return (
    <span className="split-summary">
      <span className="split-bar" aria-hidden="true">
        {SPLIT_ORDER.map((k) =>
          splits[k] > 0 ? (
            <span
              key={k}
              className={`split-seg ${k}`}
              style={{ width: `${(100 * splits[k]) / Math.max(1, total)}%` }}
            />
          ) : null,
        )}
      </span>
      <span className="dataset-item-meta">{label}</span>
    </span>
  );
}
