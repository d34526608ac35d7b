// Filter bar state → the `filter` input of `datasets.records`. Values are put in their
// canonical order so that the same selection always gives the same query (and cache key).
import { ANNOTATION_VALUES, LABEL_VALUES, SPLITS, type LabelName } from '../../../../shared/domain';
import type { RecordFilter } from '../../../../shared/contracts/datasets';

export const SPLIT_FILTER_VALUES = [...SPLITS, 'none'] as const;
export type SplitFilterValue = (typeof SPLIT_FILTER_VALUES)[number];

/** The chip dimensions of the filter bar, with their values in display order. */
export const CHIP_DIMENSIONS = {
  ...LABEL_VALUES,
  annotation: ANNOTATION_VALUES,
  split: SPLIT_FILTER_VALUES,
} as const;
export type ChipDimension = keyof typeof CHIP_DIMENSIONS;

export type FilterState = { [D in ChipDimension]: string[] } & {
  target: string;
  q: string;
  disagreesOnly: boolean;
  /** A source's own columns (the dataset's `extra` fields, e.g. `dimension`): column → chosen values. */
  extra: Record<string, string[]>;
};

export const EMPTY_FILTER: FilterState = {
  bias: [],
  toxicity: [],
  sentiment: [],
  harm: [],
  annotation: [],
  split: [],
  target: '',
  q: '',
  disagreesOnly: false,
  extra: {},
};

/** Known values in canonical order; values outside the set are dropped (the server would reject them). */
function canonical(dimension: ChipDimension, selected: string[]): string[] {
  const known = CHIP_DIMENSIONS[dimension] as readonly string[];
  return known.filter((v) => selected.includes(v));
}

export function filterToQuery(f: FilterState): RecordFilter {
  const query: Record<string, unknown> = {};
  for (const dim of Object.keys(CHIP_DIMENSIONS) as ChipDimension[]) {
    const values = canonical(dim, f[dim]);
    if (values.length > 0) query[dim] = values;
  }
  const target = f.target.trim();
  if (target) query.target = target;
  const q = f.q.trim();
  if (q) query.q = q.slice(0, 500);
  if (f.disagreesOnly) query.disagreesOnly = true;
  // Columns and values sorted (code-unit order), so the same choice is the same query.
  const extra = Object.entries(f.extra)
    .filter(([, values]) => values.length > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([column, values]) => [column, [...new Set(values)].sort()] as const);
  if (extra.length > 0) query.extra = Object.fromEntries(extra);
  return query as RecordFilter;
}

export function toggleValue(list: string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/** How many filter conditions are active (for the "Clear filters" affordance); each source column counts. */
export function activeFilterCount(f: FilterState): number {
  const { extra, ...rest } = filterToQuery(f);
  return Object.keys(rest).length + Object.keys(extra ?? {}).length;
}

export const LABEL_DIMENSIONS: readonly LabelName[] = Object.keys(LABEL_VALUES) as LabelName[];
