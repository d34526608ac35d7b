import { useEffect } from 'react';
import { selectSelectedName, useDatasetsStore } from './datasets';
import { useFiltersStore } from './filters';
import { useRecordViewStore } from './recordView';
import { useStatsStore } from './stats';
import { useTargetsStore } from './targets';
import { selectDialog, selectTab, useUiStore } from '../../stores/ui';
import { DatasetHeader } from './DatasetHeader';
import { DatasetList } from './DatasetList';
import { ExportDialog } from './ExportDialog';
import { ImportDialog } from './ImportDialog';
import { RecordPanel } from './RecordPanel';
import { RecordsView } from './RecordsView';
import { RemoveDialog } from './RemoveDialog';
import { SplitDialog } from './SplitDialog';
import { StatsView } from './StatsView';

export function DatasetsArea() {
  const selected = useDatasetsStore(selectSelectedName);
  const tab = useUiStore(selectTab);
  const dialog = useUiStore(selectDialog);

  // Everything that shows one dataset starts fresh when another is chosen.
  useEffect(() => {
    useFiltersStore.getState().reset();
    useRecordViewStore.getState().close();
    useStatsStore.getState().clear();
    void useTargetsStore.getState().load(selected);
  }, [selected]);

  return (
    <div className="datasets">
      <DatasetList />
      <section className="dataset-main" aria-label="Dataset">
        {selected ? (
          <>
            <DatasetHeader />
            {tab === 'records' ? <RecordsView dataset={selected} /> : <StatsView dataset={selected} />}
          </>
        ) : (
          <NoDatasetSelected />
        )}
      </section>
      <RecordPanel />
      {dialog === 'import' && <ImportDialog />}
      {dialog === 'split' && selected && <SplitDialog dataset={selected} />}
      {dialog === 'export' && selected && <ExportDialog dataset={selected} />}
      {dialog === 'remove' && selected && <RemoveDialog dataset={selected} />}
    </div>
  );
}

function NoDatasetSelected() {
  const openDialog = useUiStore((s) => s.openDialog);
  const loaded = useDatasetsStore((s) => s.loaded);
  if (!loaded) return <div className="empty-state">Loading datasets…</div>;
  return (
    <div className="empty-state">
      <h2>No dataset yet</h2>
      <p>
        Import a CMD file (the paper’s flat or nested JSON, the authors’ CSV) or any CSV/JSON lines file with a column
        mapping.
      </p>
      <button type="button" className="btn primary" onClick={() => openDialog('import')}>
        Import a dataset…
      </button>
    </div>
  );
}
