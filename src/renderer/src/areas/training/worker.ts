// The Python worker: the doctor report (what this machine has and can run) and the setup job.
import { create } from 'zustand';
import { api, errorMessage } from '../../api';
import type { JobInfo } from '../../../../shared/contracts/jobs';
import type { WorkerDoctor } from '../../../../shared/contracts/training';
import { isFinal, useJobsStore } from '../../stores/jobs';

interface WorkerState {
  doctor: WorkerDoctor | null;
  loading: boolean;
  error: string | null;
  /** The setup job started from this page (its progress and log come from job events). */
  setupJobId: number | null;
  setupError: string | null;
  load(): Promise<void>;
  /** `pythonIndex`: one of the doctor's `pythons` to make the venv from (default: python3 on PATH). */
  setup(cpu: boolean, pythonIndex?: number): Promise<void>;
  /** A job event: a finished setup job refreshes the doctor report. */
  onJob(job: JobInfo): void;
}

export const useWorkerStore = create<WorkerState>()((set, get) => ({
  doctor: null,
  loading: false,
  error: null,
  setupJobId: null,
  setupError: null,
  async load() {
    set({ loading: true, error: null });
    try {
      const doctor = await api.call('worker.doctor', {});
      set({ doctor, loading: false });
    } catch (err) {
      set({ loading: false, error: errorMessage(err) });
    }
  },
  async setup(cpu, pythonIndex) {
    set({ setupError: null });
    try {
      const { job } = await api.call('worker.setup', { cpu, ...(pythonIndex !== undefined ? { pythonIndex } : {}) });
      useJobsStore.getState().upsert(job);
      set({ setupJobId: job.id });
    } catch (err) {
      set({ setupError: errorMessage(err) });
    }
  },
  onJob(job) {
    if (job.kind !== 'worker-setup') return;
    if (get().setupJobId === null && !isFinal(job)) set({ setupJobId: job.id });
    if (isFinal(job) && (get().setupJobId === job.id || get().setupJobId === null)) void get().load();
  },
}));

export const selectDoctor = (s: WorkerState) => s.doctor;
export const selectDoctorStatus = (s: WorkerState) => ({ loading: s.loading, error: s.error });
export const selectSetupJobId = (s: WorkerState) => s.setupJobId;
/** The newest worker-setup job this page knows of (one from before a restart or another process too). */
export const selectLatestSetupJobId = (s: { byId: Record<number, JobInfo> }): number | null => {
  let id: number | null = null;
  for (const job of Object.values(s.byId)) if (job.kind === 'worker-setup' && (id === null || job.id > id)) id = job.id;
  return id;
};

/** not set up (no venv), incomplete (a venv that cannot train: a failed or partial setup), ready. */
export function workerState(doctor: WorkerDoctor): 'not-set-up' | 'incomplete' | 'ready' {
  if (!doctor.installed) return 'not-set-up';
  return doctor.canRun.length === 0 ? 'incomplete' : 'ready';
}

export const WORKER_STATE_LABEL = { 'not-set-up': 'not set up', incomplete: 'incomplete', ready: 'installed' } as const;
