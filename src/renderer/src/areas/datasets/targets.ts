import { create } from 'zustand';
import { api } from '../../api';
import type { DatasetField } from '../../../../shared/contracts/datasets';

/** The selected dataset's targets and fields: what the filter bar and the split dialog offer. */
interface TargetsState {
  dataset: string | null;
  targets: { value: string; count: number }[];
  /** Fields to filter, chart and stratify by (datasets.fields); empty until loaded. */
  fields: DatasetField[];
  /** The field a split stratifies by when not told; null until loaded. */
  defaultStratifyBy: string | null;
  load(dataset: string | null): Promise<void>;
}

export const useTargetsStore = create<TargetsState>()((set, get) => ({
  dataset: null,
  targets: [],
  fields: [],
  defaultStratifyBy: null,
  async load(dataset) {
    const same = dataset === get().dataset;
    set({
      dataset,
      targets: same ? get().targets : [],
      fields: same ? get().fields : [],
      defaultStratifyBy: same ? get().defaultStratifyBy : null,
    });
    if (!dataset) return;
    await Promise.all([
      api
        .call('datasets.targets', { dataset })
        .then(({ targets }) => {
          if (get().dataset === dataset) set({ targets });
        })
        .catch(() => undefined), // The target filter then offers free text only.
      api
        .call('datasets.fields', { dataset })
        .then(({ fields, defaultStratifyBy }) => {
          if (get().dataset === dataset) set({ fields, defaultStratifyBy });
        })
        .catch(() => undefined), // No column filters then; the split dialog offers its default.
    ]);
  },
}));

export const selectTargets = (s: TargetsState) => s.targets;
export const selectFields = (s: TargetsState) => s.fields;
export const selectDefaultStratifyBy = (s: TargetsState) => s.defaultStratifyBy;
