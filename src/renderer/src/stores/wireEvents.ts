// Server events → stores: job progress to the jobs store and job log lines to the job logs store
// (both shared by every area); then every area reacts to what concerns it (its `onEvent`).
import { api } from '../api';
import { AREAS } from '../areas';
import { useJobLogsStore } from './jobLogs';
import { useJobsStore } from './jobs';

export function wireEvents(): () => void {
  return api.onEvent((event) => {
    if (event.type === 'job') useJobsStore.getState().upsert(event.job);
    else if (event.type === 'job-log') useJobLogsStore.getState().onLines(event.jobId, event.lines);
    for (const area of AREAS) {
      // One area's failure must not keep the event from the others.
      try {
        area.onEvent?.(event);
      } catch (err) {
        console.error(`srlab: the ${area.id} area failed on a ${event.type} event`, err);
      }
    }
  });
}
