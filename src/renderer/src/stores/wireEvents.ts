// Server events → stores: job progress to the jobs store; dataset changes refresh what shows them.
import { api } from '../api';
import { useDatasetsStore } from './datasets';
import { useJobsStore } from './jobs';
import { useRecordsStore } from './records';
import { useStatsStore } from './stats';
import { useTargetsStore } from './targets';

export function wireEvents(): () => void {
  return api.onEvent((event) => {
    if (event.type === 'job') {
      useJobsStore.getState().upsert(event.job);
      return;
    }
    void useDatasetsStore.getState().load();
    const selected = useDatasetsStore.getState().selected;
    if (event.dataset === null || event.dataset === selected) {
      useRecordsStore.getState().refresh();
      void useTargetsStore.getState().load(selected);
      const stats = useStatsStore.getState();
      if (selected && stats.dataset === selected && stats.stats) void stats.load(selected);
    }
  });
}
