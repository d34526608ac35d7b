import { create } from 'zustand';
import { api, errorMessage } from '../api';
import type { DatasetSummary } from '../../../shared/contracts/datasets';

const SELECTED_KEY = 'srlab.dataset';

interface DatasetsState {
  datasets: DatasetSummary[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  selected: string | null;
  load(): Promise<void>;
  select(name: string | null): void;
}

function rememberedSelection(): string | null {
  try {
    return sessionStorage.getItem(SELECTED_KEY);
  } catch {
    return null;
  }
}

export const useDatasetsStore = create<DatasetsState>()((set, get) => ({
  datasets: [],
  loaded: false,
  loading: false,
  error: null,
  selected: rememberedSelection(),
  async load() {
    set({ loading: true, error: null });
    try {
      const { datasets } = await api.call('datasets.list', {});
      const { selected } = get();
      // Keep the selection while it exists; otherwise fall back to the first dataset.
      const stillThere = datasets.some((d) => d.name === selected);
      set({ datasets, loaded: true, loading: false });
      if (!stillThere) get().select(datasets[0]?.name ?? null);
    } catch (err) {
      set({ loading: false, loaded: true, error: errorMessage(err) });
    }
  },
  select(name) {
    if (name === get().selected) return;
    try {
      if (name) sessionStorage.setItem(SELECTED_KEY, name);
      else sessionStorage.removeItem(SELECTED_KEY);
    } catch {
      // storage may be unavailable (private mode); the selection then lasts for this page only
    }
    set({ selected: name });
  },
}));

export const selectDatasets = (s: DatasetsState) => s.datasets;
export const selectSelectedName = (s: DatasetsState) => s.selected;
export const selectSelectedDataset = (s: DatasetsState) => s.datasets.find((d) => d.name === s.selected) ?? null;
export const selectDatasetsStatus = (s: DatasetsState) => ({ loaded: s.loaded, loading: s.loading, error: s.error });
