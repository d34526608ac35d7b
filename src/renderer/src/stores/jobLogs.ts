// Job logs (e.g. pip's output during worker setup): seeded with jobs.log, then kept live from
// job-log events. Lines are merged by sequence number, so an event that races the first load
// neither duplicates nor loses a line.
import { create } from 'zustand';
import { api, errorMessage } from '../api';
import type { JobLogLine } from '../../../shared/contracts/jobs';
import { mergeLines } from '../lib/jobLog';

export interface JobLogState {
  lines: JobLogLine[];
  /** Lines were dropped before the first one kept (the tail holds 500). */
  truncatedBefore: boolean;
  loading: boolean;
  error: string | null;
}

interface JobLogsState {
  byJob: Record<number, JobLogState>;
  /** Fetch a job's whole stored tail (after a restart, a reconnect, or when a panel opens). */
  load(jobId: number): Promise<void>;
  /** A job-log event. */
  onLines(jobId: number, lines: JobLogLine[]): void;
}

const EMPTY: JobLogState = { lines: [], truncatedBefore: false, loading: false, error: null };

export const useJobLogsStore = create<JobLogsState>()((set, get) => ({
  byJob: {},
  async load(jobId) {
    const patch = (p: Partial<JobLogState>) =>
      set((s) => ({ byJob: { ...s.byJob, [jobId]: { ...(s.byJob[jobId] ?? EMPTY), ...p } } }));
    patch({ loading: true, error: null });
    try {
      const out = await api.call('jobs.log', { id: jobId });
      const current = get().byJob[jobId] ?? EMPTY;
      const { lines, dropped } = mergeLines(current.lines, out.lines);
      patch({
        lines,
        truncatedBefore: current.truncatedBefore || dropped || out.truncatedBefore === true,
        loading: false,
      });
    } catch (err) {
      patch({ loading: false, error: errorMessage(err) });
    }
  },
  onLines(jobId, incoming) {
    if (incoming.length === 0) return;
    set((s) => {
      const current = s.byJob[jobId] ?? EMPTY;
      const { lines, dropped } = mergeLines(current.lines, incoming);
      return {
        byJob: {
          ...s.byJob,
          [jobId]: { ...current, lines, truncatedBefore: current.truncatedBefore || dropped },
        },
      };
    });
  },
}));
