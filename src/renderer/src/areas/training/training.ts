// Training runs: presets, the run list (kept live by train-run events), the selected run's
// metrics (kept live by train-metric events), and the New training run view.
import { create } from 'zustand';
import { api, errorIssues, errorMessage } from '../../api';
import type { TrainMetric, TrainPreset, TrainRun } from '../../../../shared/contracts/training';
import type { Input } from '../../../../shared/api';
import { addMetric, upsertTrainRun } from '../../lib/trainSeries';
import { useJobsStore } from '../../stores/jobs';
import { readSelectedId, writeSelection } from '../../lib/rememberedSelection';

const SELECTED_KEY = 'srlab.train';

export interface MetricsEntry {
  runId: number;
  metrics: TrainMetric[];
  loading: boolean;
  error: string | null;
}

interface TrainingState {
  presets: TrainPreset[];
  presetsError: string | null;
  runs: TrainRun[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  selected: number | null;
  /** true: the New training run form shows instead of a run. */
  creating: boolean;
  metrics: MetricsEntry | null;
  actionError: string | null;
  startError: { message: string; issues: { path: string; message: string }[] } | null;
  starting: boolean;
  load(): Promise<void>;
  loadPresets(): Promise<void>;
  select(id: number | null): void;
  openNew(): void;
  closeNew(): void;
  upsert(run: TrainRun): void;
  onMetric(runId: number, metric: TrainMetric): void;
  loadMetrics(): Promise<void>;
  start(input: Input<'train.start'>): Promise<boolean>;
  cancel(id: number): Promise<void>;
  resume(id: number): Promise<void>;
}

let metricsToken = 0;
/** Metrics that arrived while the list was being fetched: merged into the answer. */
let arrivedWhileLoading: TrainMetric[] = [];

export const useTrainingStore = create<TrainingState>()((set, get) => ({
  presets: [],
  presetsError: null,
  runs: [],
  loaded: false,
  loading: false,
  error: null,
  selected: readSelectedId(SELECTED_KEY),
  creating: false,
  metrics: null,
  actionError: null,
  startError: null,
  starting: false,
  async load() {
    set({ loading: true, error: null });
    try {
      const { runs } = await api.call('train.list', { limit: 500 });
      let list = get().runs;
      for (const r of runs) list = upsertTrainRun(list, r);
      set({ runs: list, loaded: true, loading: false });
      const { selected, creating } = get();
      if (!creating && !list.some((r) => r.id === selected)) get().select(list[0]?.id ?? null);
      if (!creating && list.length === 0) set({ creating: true });
    } catch (err) {
      set({ loading: false, loaded: true, error: errorMessage(err) });
    }
  },
  async loadPresets() {
    try {
      const { presets } = await api.call('train.presets', {});
      set({ presets, presetsError: null });
    } catch (err) {
      set({ presetsError: errorMessage(err) });
    }
  },
  select(id) {
    writeSelection(SELECTED_KEY, id);
    if (id === get().selected && !get().creating) return;
    set({
      selected: id,
      creating: false,
      actionError: null,
      metrics: get().metrics?.runId === id ? get().metrics : null,
    });
  },
  openNew: () => set({ creating: true, startError: null }),
  closeNew: () => set({ creating: false }),
  upsert(run) {
    const runs = upsertTrainRun(get().runs, run);
    if (runs !== get().runs) set({ runs });
  },
  onMetric(runId, metric) {
    const entry = get().metrics;
    if (!entry || entry.runId !== runId) return;
    if (entry.loading) arrivedWhileLoading.push(metric);
    set({ metrics: { ...entry, metrics: addMetric(entry.metrics, metric) } });
  },
  async loadMetrics() {
    const id = get().selected;
    if (id === null) return;
    const token = ++metricsToken;
    arrivedWhileLoading = [];
    const prev = get().metrics;
    set({ metrics: { runId: id, metrics: prev?.runId === id ? prev.metrics : [], loading: true, error: null } });
    try {
      const { metrics } = await api.call('train.metrics', { id });
      if (token !== metricsToken) return;
      const merged = arrivedWhileLoading.reduce(addMetric, metrics);
      arrivedWhileLoading = [];
      set({ metrics: { runId: id, metrics: merged, loading: false, error: null } });
    } catch (err) {
      if (token !== metricsToken) return;
      set((s) => ({ metrics: s.metrics ? { ...s.metrics, loading: false, error: errorMessage(err) } : null }));
    }
  },
  async start(input) {
    set({ starting: true, startError: null });
    try {
      const { run, job } = await api.call('train.start', input);
      useJobsStore.getState().upsert(job);
      get().upsert(run);
      set({ starting: false, creating: false });
      get().select(run.id);
      return true;
    } catch (err) {
      set({ starting: false, startError: { message: errorMessage(err), issues: errorIssues(err) } });
      return false;
    }
  },
  async cancel(id) {
    set({ actionError: null });
    try {
      get().upsert((await api.call('train.cancel', { id })).run);
    } catch (err) {
      set({ actionError: errorMessage(err) });
    }
  },
  async resume(id) {
    set({ actionError: null });
    try {
      const { run, job } = await api.call('train.resume', { id });
      useJobsStore.getState().upsert(job);
      get().upsert(run);
    } catch (err) {
      set({ actionError: errorMessage(err) });
    }
  },
}));

export const selectTrainRuns = (s: TrainingState) => s.runs;
export const selectTrainSelectedId = (s: TrainingState) => s.selected;
export const selectTrainSelected = (s: TrainingState) => s.runs.find((r) => r.id === s.selected) ?? null;
export const selectTrainStatus = (s: TrainingState) => ({ loaded: s.loaded, loading: s.loading, error: s.error });
export const selectCreating = (s: TrainingState) => s.creating;
export const selectPresets = (s: TrainingState) => s.presets;
export const selectTrainMetrics = (s: TrainingState) => s.metrics;
