import { create } from 'zustand';
import { api, errorMessage } from '../../api';
import type { DatasetSummary } from '../../../../shared/contracts/datasets';
import { readSelection, writeSelection } from '../../lib/rememberedSelection';

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

export const useDatasetsStore = create<DatasetsState>()((set, get) => ({
  datasets: [],
  loaded: false,
  loading: false,
  error: null,
  selected: readSelection(SELECTED_KEY),
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
    writeSelection(SELECTED_KEY, name);
    set({ selected: name });
  },
}));

export const selectDatasets = (s: DatasetsState) => s.datasets;
export const selectSelectedName = (s: DatasetsState) => s.selected;
export const selectSelectedDataset = (s: DatasetsState) => s.datasets.find((d) => d.name === s.selected) ?? null;
export const selectDatasetsStatus = (s: DatasetsState) => ({ loaded: s.loaded, loading: s.loading, error: s.error });
