// Server events → stores: job progress to the jobs store, job log lines to the job logs store;
// dataset changes refresh what shows them; model, run and playground events go to their areas' stores.
import { api } from '../api';
import { useDatasetsStore } from './datasets';
import { useJobLogsStore } from './jobLogs';
import { useJobsStore } from './jobs';
import { useModelsStore } from './models';
import { usePlaygroundStore } from './playground';
import { useRecordsStore } from './records';
import { useRunsStore } from './runs';
import { useStatsStore } from './stats';
import { useTargetsStore } from './targets';
import { useTrainingStore } from './training';
import { useWorkerStore } from './worker';

export function wireEvents(): () => void {
  return api.onEvent((event) => {
    switch (event.type) {
      case 'job':
        useJobsStore.getState().upsert(event.job);
        useWorkerStore.getState().onJob(event.job);
        return;
      case 'job-log':
        useJobLogsStore.getState().onLines(event.jobId, event.lines);
        return;
      case 'train-run':
        useTrainingStore.getState().upsert(event.run);
        return;
      case 'train-metric':
        useTrainingStore.getState().onMetric(event.runId, event.metric);
        return;
      case 'models-changed':
        void useModelsStore.getState().load();
        return;
      case 'run':
        useRunsStore.getState().upsert(event.run);
        return;
      case 'run-item':
        useRunsStore.getState().onItem(event.runId, event.item);
        return;
      case 'chat-token':
        usePlaygroundStore.getState().onToken(event.streamId, event.text);
        return;
      case 'datasets-changed': {
        void useDatasetsStore.getState().load();
        const selected = useDatasetsStore.getState().selected;
        if (event.dataset === null || event.dataset === selected) {
          useRecordsStore.getState().refresh();
          void useTargetsStore.getState().load(selected);
          const stats = useStatsStore.getState();
          if (selected && stats.dataset === selected && stats.stats) void stats.load(selected);
        }
        return;
      }
    }
  });
}
