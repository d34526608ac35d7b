import { create } from 'zustand';
import { api } from '../api';

interface TargetsState {
  dataset: string | null;
  targets: { value: string; count: number }[];
  load(dataset: string | null): Promise<void>;
}

export const useTargetsStore = create<TargetsState>()((set, get) => ({
  dataset: null,
  targets: [],
  async load(dataset) {
    set({ dataset, targets: dataset === get().dataset ? get().targets : [] });
    if (!dataset) return;
    try {
      const { targets } = await api.call('datasets.targets', { dataset });
      if (get().dataset === dataset) set({ targets });
    } catch {
      // The target filter then offers free text only.
    }
  },
}));

export const selectTargets = (s: TargetsState) => s.targets;
