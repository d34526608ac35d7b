import { create } from 'zustand';
import { api } from '../api';
import type { JobInfo } from '../../../shared/contracts/jobs';

const FINAL = new Set<JobInfo['state']>(['succeeded', 'failed', 'cancelled']);
export const isFinal = (job: JobInfo) => FINAL.has(job.state);

interface JobsState {
  byId: Record<number, JobInfo>;
  /** Seed from jobs.list, so jobs started before this page opened show up too. */
  load(): Promise<void>;
  upsert(job: JobInfo): void;
}

/** A final state never goes back to running: events and call results can arrive out of order. */
function newer(current: JobInfo | undefined, incoming: JobInfo): boolean {
  if (!current) return true;
  if (isFinal(current) && !isFinal(incoming)) return false;
  return true;
}

export const useJobsStore = create<JobsState>()((set, get) => ({
  byId: {},
  async load() {
    try {
      const { jobs } = await api.call('jobs.list', { limit: 50 });
      for (const job of jobs) get().upsert(job);
    } catch {
      // The indicator simply stays empty; job events still arrive.
    }
  },
  upsert(job) {
    if (!newer(get().byId[job.id], job)) return;
    set((s) => ({ byId: { ...s.byId, [job.id]: job } }));
  },
}));

export const selectJobsById = (s: JobsState) => s.byId;
export const selectActiveJobs = (s: JobsState) => Object.values(s.byId).filter((j) => !isFinal(j));

/**
 * A selector for the queued or running job of `kind` on `dataset` (statistics and splits of
 * large datasets run as jobs whose params name the dataset); undefined when there is none.
 */
export const selectDatasetJob = (kind: JobInfo['kind'], dataset: string) => (s: JobsState) =>
  Object.values(s.byId).find(
    (j) => j.kind === kind && !isFinal(j) && (j.params as { dataset?: unknown } | null)?.dataset === dataset,
  );
