import { Tabs } from '../../components/Tabs';
import { formatCount, formatDateTime } from '../../lib/format';
import { selectSelectedDataset, useDatasetsStore } from './datasets';
import { selectOpenDialog, selectSetTab, selectTab, useUiStore, type DatasetTab } from '../../stores/ui';

const TABS: { id: DatasetTab; label: string }[] = [
  { id: 'records', label: 'Records' },
  { id: 'stats', label: 'Statistics' },
];

export function DatasetHeader() {
  const dataset = useDatasetsStore(selectSelectedDataset);
  const tab = useUiStore(selectTab);
  const setTab = useUiStore(selectSetTab);
  const openDialog = useUiStore(selectOpenDialog);
  if (!dataset) return null;
  return (
    <div className="dataset-header">
      <div className="dataset-title">
        <h1>{dataset.name}</h1>
        <p className="muted">
          {formatCount(dataset.records)} records · imported {formatDateTime(dataset.createdAt)}
          {dataset.description ? ` · ${dataset.description}` : ''}
        </p>
      </div>
      <div className="dataset-actions">
        <button type="button" className="btn" onClick={() => openDialog('split')}>
          Split…
        </button>
        <button type="button" className="btn" onClick={() => openDialog('export')}>
          Export…
        </button>
        <button type="button" className="btn ghost danger" onClick={() => openDialog('remove')}>
          Remove
        </button>
      </div>
      <Tabs label="Dataset views" tabs={TABS} value={tab} onChange={setTab} />
    </div>
  );
}
