// One import at a time: upload (browser) or path (desktop), then the import job, whose
// progress and final report arrive as job events (with polling as a safety net).
import { create } from 'zustand';
import { api, errorIssues, errorMessage } from '../../api';
import { importRequest, type ImportForm } from './importForm';
import { isFinal, useJobsStore } from '../../stores/jobs';

export type ImportPhase = 'form' | 'uploading' | 'starting' | 'job';

const POLL_MS = 2000;

interface ImportFlowState {
  phase: ImportPhase;
  /** The file and settings of the last attempt, so a failed import can be edited and retried. */
  draft: { file: File; form: ImportForm } | null;
  upload: { sent: number; total: number } | null;
  jobId: number | null;
  dataset: string | null;
  error: string | null;
  issues: { path: string; message: string }[];
  start(file: File, form: ImportForm): Promise<void>;
  cancel(): Promise<void>;
  /** Back to the form; `keepDraft` keeps the last file and settings filled in. */
  reset(keepDraft?: boolean): void;
}

let uploadAbort: AbortController | null = null;
let pollToken = 0;

async function pollUntilFinal(jobId: number, token: number) {
  const jobs = useJobsStore.getState();
  while (token === pollToken) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    if (token !== pollToken) return;
    const current = useJobsStore.getState().byId[jobId];
    if (current && isFinal(current)) return;
    try {
      jobs.upsert((await api.call('jobs.get', { id: jobId })).job);
    } catch {
      // keep waiting for events; the next poll retries
    }
  }
}

export const useImportFlowStore = create<ImportFlowState>()((set, get) => ({
  phase: 'form',
  draft: null,
  upload: null,
  jobId: null,
  dataset: null,
  error: null,
  issues: [],
  async start(file, form) {
    const request = importRequest(form);
    uploadAbort = new AbortController();
    set({
      phase: 'uploading',
      draft: { file, form },
      upload: { sent: 0, total: file.size },
      error: null,
      issues: [],
      dataset: request.dataset,
    });
    try {
      const source = await api.importSource(
        file,
        (sent, total) => set({ upload: { sent, total } }),
        uploadAbort.signal,
      );
      set({ phase: 'starting' });
      const { job } = await api.call('datasets.import', { ...request, source });
      useJobsStore.getState().upsert(job);
      set({ phase: 'job', jobId: job.id });
      void pollUntilFinal(job.id, ++pollToken);
    } catch (err) {
      set({ phase: 'form', error: errorMessage(err), issues: errorIssues(err) });
    } finally {
      uploadAbort = null;
    }
  },
  async cancel() {
    const { phase, jobId } = get();
    if (phase === 'uploading') {
      uploadAbort?.abort();
      return;
    }
    if (jobId === null) return;
    try {
      useJobsStore.getState().upsert((await api.call('jobs.cancel', { id: jobId })).job);
    } catch (err) {
      set({ error: errorMessage(err) });
    }
  },
  reset(keepDraft = false) {
    pollToken++;
    uploadAbort?.abort();
    set((s) => ({
      phase: 'form',
      draft: keepDraft ? s.draft : null,
      upload: null,
      jobId: null,
      dataset: null,
      error: null,
      issues: [],
    }));
  },
}));
