// The Compare view's leaderboard: filters (test set, scorer, free text), sorting by any column
// (nulls last whichever the direction), the change against the baseline with its CI, and the
// CSV export of exactly the rows shown. Pure.
import type { LeaderboardRow } from '../../../../shared/contracts/evaluation';

export const SORT_KEYS = ['evaluation', 'generator', 'testset', 'scorer', 'value', 'n', 'change'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface LeaderboardView {
  testset: string;
  scorer: string;
  /** Matched case-insensitively against evaluation, generator, test set and scorer. */
  text: string;
  sort: SortKey;
  descending: boolean;
}

export const DEFAULT_LEADERBOARD_VIEW: LeaderboardView = {
  testset: '',
  scorer: '',
  text: '',
  sort: 'value',
  descending: false,
};

/** The distinct values of a column, sorted, for the filter selects. */
export function distinct(rows: LeaderboardRow[], key: 'testset' | 'scorer' | 'generator'): string[] {
  return [...new Set(rows.map((r) => r[key]))].sort((a, b) => a.localeCompare(b));
}

export function filterRows(rows: LeaderboardRow[], view: Pick<LeaderboardView, 'testset' | 'scorer' | 'text'>) {
  const text = view.text.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!view.testset || r.testset === view.testset) &&
      (!view.scorer || r.scorer === view.scorer) &&
      (!text || [r.evaluation, r.generator, r.testset, r.scorer].some((s) => s.toLowerCase().includes(text))),
  );
}

function sortValue(r: LeaderboardRow, key: SortKey): string | number | null {
  switch (key) {
    case 'evaluation':
      return r.evaluation;
    case 'generator':
      return r.generator;
    case 'testset':
      return r.testset;
    case 'scorer':
      return r.scorer;
    case 'value':
      return r.value;
    case 'n':
      return r.n;
    case 'change':
      return r.change;
  }
}

/** A sorted copy; rows without a value go last in both directions; ties keep a stable order. */
export function sortRows(rows: LeaderboardRow[], sort: SortKey, descending: boolean): LeaderboardRow[] {
  const sign = descending ? -1 : 1;
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const va = sortValue(a.r, sort);
      const vb = sortValue(b.r, sort);
      const na = va === null || (typeof va === 'number' && !Number.isFinite(va));
      const nb = vb === null || (typeof vb === 'number' && !Number.isFinite(vb));
      if (na || nb) return na === nb ? a.i - b.i : na ? 1 : -1;
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map(({ r }) => r);
}

/** Filtered, then sorted: what the table shows and the export writes. */
export function leaderboardRows(rows: LeaderboardRow[], view: LeaderboardView): LeaderboardRow[] {
  return sortRows(filterRows(rows, view), view.sort, view.descending);
}

/** Clicking a header: sort by it, or flip the direction when it is already the sort. */
export function toggleSort(view: LeaderboardView, key: SortKey): LeaderboardView {
  return view.sort === key ? { ...view, descending: !view.descending } : { ...view, sort: key, descending: false };
}

/** "+3.2 pp [−1.0, +7.5]", "baseline", or '–'. */
export function formatChange(r: Pick<LeaderboardRow, 'change' | 'changeCi' | 'isBaseline'>, digits = 1): string {
  if (r.isBaseline) return 'baseline';
  if (r.change === null || !Number.isFinite(r.change)) return '–';
  const ci = r.changeCi ? ` [${signed(r.changeCi[0], digits)}, ${signed(r.changeCi[1], digits)}]` : '';
  return `${signed(r.change, digits)} pp${ci}`;
}

/** Whether the CI of the change excludes 0 (a change the bootstrap supports). */
export function changeIsClear(r: Pick<LeaderboardRow, 'changeCi' | 'isBaseline'>): boolean {
  return !r.isBaseline && r.changeCi !== null && (r.changeCi[0] > 0 || r.changeCi[1] < 0);
}

function signed(v: number, digits: number): string {
  const s = Math.abs(v).toFixed(digits);
  if (Number(s) === 0) return s;
  return v > 0 ? `+${s}` : `−${s}`;
}

/** A CSV field: quoted when it holds a comma, quote, or line break; a leading =+-@ is defused for spreadsheets. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const LEADERBOARD_CSV_HEADER = [
  'evaluation_id',
  'evaluation',
  'generator',
  'testset',
  'scorer',
  'percent_positive',
  'n',
  'change_pp',
  'change_ci_low',
  'change_ci_high',
  'is_baseline',
  'run_ids',
  'model_sha256',
  'scorer_version',
];

/** The rows as CSV (RFC 4180, CRLF), with a comment line saying which filters and baseline produced them. */
export function leaderboardCsv(rows: LeaderboardRow[], view: LeaderboardView, baseline: string): string {
  const filters = [
    `baseline=${baseline}`,
    view.testset ? `testset=${view.testset}` : null,
    view.scorer ? `scorer=${view.scorer}` : null,
    view.text.trim() ? `text=${view.text.trim()}` : null,
    `sort=${view.sort}${view.descending ? ' desc' : ''}`,
  ].filter(Boolean);
  const lines = [
    csvField(`# srlab leaderboard; ${filters.join('; ')}`),
    LEADERBOARD_CSV_HEADER.join(','),
    ...rows.map((r) =>
      [
        r.evaluationId,
        r.evaluation,
        r.generator,
        r.testset,
        r.scorer,
        r.value,
        r.n,
        r.change,
        r.changeCi?.[0] ?? null,
        r.changeCi?.[1] ?? null,
        r.isBaseline ? 'true' : 'false',
        r.provenance.runIds.join(' '),
        r.provenance.modelSha256,
        r.provenance.scorer?.version ?? null,
      ]
        .map((v) => csvField(v))
        .join(','),
    ),
  ];
  return lines.join('\r\n') + '\r\n';
}

/** Generators that can be a baseline (every generator seen, "initial" first when there). */
export function baselineChoices(generators: string[]): string[] {
  const set = [...new Set(generators)].sort((a, b) => a.localeCompare(b));
  const i = set.indexOf('initial');
  if (i > 0) set.unshift(...set.splice(i, 1));
  return set;
}
