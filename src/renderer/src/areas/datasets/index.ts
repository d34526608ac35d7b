// The Datasets area: import, browse, edit, split, stats and export of datasets.
import { defineArea } from '../area';
import { useDatasetsStore } from './datasets';
import { DatasetsArea } from './DatasetsArea';
import { useRecordsStore } from './records';
import { useStatsStore } from './stats';
import { useTargetsStore } from './targets';

export const datasetsArea = defineArea({
  id: 'datasets',
  label: 'Datasets',
  icon: '▤',
  Component: DatasetsArea,
  // The dataset list is loaded at once: the Runs and Training areas pick from it too.
  onStart: () => void useDatasetsStore.getState().load(),
  onEvent(event) {
    if (event.type !== 'datasets-changed') return;
    void useDatasetsStore.getState().load();
    // What shows the selected dataset (records, targets, stats already computed) follows it.
    const selected = useDatasetsStore.getState().selected;
    if (event.dataset === null || event.dataset === selected) {
      useRecordsStore.getState().refresh();
      void useTargetsStore.getState().load(selected);
      const stats = useStatsStore.getState();
      if (selected && stats.dataset === selected && stats.stats) void stats.load(selected);
    }
  },
});
