import { create } from 'zustand';
import { EMPTY_FILTER, toggleValue, type ChipDimension, type FilterState } from './filterQuery';

interface FiltersState {
  filter: FilterState;
  toggle(dimension: ChipDimension, value: string): void;
  /** Add or remove one value of a source column (an `extra` field). */
  toggleExtra(column: string, value: string): void;
  /** Match exactly these values of a source column (none: any value). */
  setExtra(column: string, values: string[]): void;
  setTarget(target: string): void;
  /** The applied search text (the input debounces before calling this). */
  setSearch(q: string): void;
  setDisagreesOnly(on: boolean): void;
  reset(): void;
}

export const useFiltersStore = create<FiltersState>()((set) => ({
  filter: EMPTY_FILTER,
  toggle: (dimension, value) =>
    set((s) => ({ filter: { ...s.filter, [dimension]: toggleValue(s.filter[dimension], value) } })),
  toggleExtra: (column, value) =>
    set((s) => ({
      filter: { ...s.filter, extra: { ...s.filter.extra, [column]: toggleValue(s.filter.extra[column] ?? [], value) } },
    })),
  setExtra: (column, values) =>
    set((s) => ({ filter: { ...s.filter, extra: { ...s.filter.extra, [column]: values } } })),
  setTarget: (target) => set((s) => ({ filter: { ...s.filter, target } })),
  setSearch: (q) => set((s) => ({ filter: { ...s.filter, q } })),
  setDisagreesOnly: (disagreesOnly) => set((s) => ({ filter: { ...s.filter, disagreesOnly } })),
  reset: () => set({ filter: EMPTY_FILTER }),
}));

export const selectFilter = (s: FiltersState) => s.filter;
