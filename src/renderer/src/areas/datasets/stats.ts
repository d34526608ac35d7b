import { create } from 'zustand';
import { api, ApiCallError, errorMessage } from '../../api';
import type { DatasetStats } from '../../../../shared/contracts/datasets';
import type { Split } from '../../../../shared/domain';

export type StatsSplit = Split | 'all';

interface StatsState {
  dataset: string | null;
  split: StatsSplit;
  stats: DatasetStats | null;
  loading: boolean;
  error: string | null;
  load(dataset: string, split?: StatsSplit): Promise<void>;
  clear(): void;
}

export const useStatsStore = create<StatsState>()((set, get) => ({
  dataset: null,
  split: 'all',
  stats: null,
  loading: false,
  error: null,
  async load(dataset, split = get().split) {
    set({ dataset, split, loading: true, error: null });
    try {
      const stats = await api.call('datasets.stats', split === 'all' ? { dataset } : { dataset, split });
      // Drop answers overtaken by a newer request.
      if (get().dataset === dataset && get().split === split) set({ stats, loading: false });
    } catch (err) {
      const message =
        err instanceof ApiCallError && err.kind === 'cancelled' ? 'Statistics cancelled.' : errorMessage(err);
      if (get().dataset === dataset && get().split === split) set({ loading: false, error: message });
    }
  },
  clear: () => set({ dataset: null, stats: null, error: null, loading: false }),
}));

export const selectStatsView = (s: StatsState) => ({
  dataset: s.dataset,
  split: s.split,
  stats: s.stats,
  loading: s.loading,
  error: s.error,
});
export const selectLoadStats = (s: StatsState) => s.load;
