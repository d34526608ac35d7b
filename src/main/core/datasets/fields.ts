// A dataset's fields: what its records can be filtered, charted and stratified by. The CMD
// labels, the effective annotation and the target are columns; a source's own columns beyond
// the CMD fields live per record in `extra` (the authors' CSV's `label` and `dimension`, say).
// Which `extra` columns count as categorical is srlab's rule (categoryOf, isCategorical), used
// alike by the field list, Statistics and the split, so the three always agree.
import { ApiError } from '../../../shared/contract';
import type { DatasetField, FieldCounts, FieldKind } from '../../../shared/contracts/datasets';
import type { Db } from '../db';
import { EFFECTIVE_ANNOTATION_SQL } from './records';

/** The key a missing value is counted under. */
export const MISSING = '(missing)';
/** The key the values beyond the listed ones are counted under. */
export const OTHER = '(other values)';
/** Field keys of `extra` columns: `extra.<column name>`. */
export const EXTRA_PREFIX = 'extra.';
/** The key that stratifies by nothing (one stratum). */
export const NO_STRATA = 'none';

/**
 * At most this many values are listed per field; an `extra` column with more distinct values is
 * free text or an id, not a category.
 */
export const MAX_LISTED = 50;
/** Distinct values counted per field; later new values go under "(other values)" (bounded memory). */
const MAX_TRACKED = 10_000;
/** `extra` columns looked at per dataset (a source with a new key per record would grow without bound). */
const MAX_EXTRA_KEYS = 200;

export interface CanonicalField {
  key: string;
  label: string;
  kind: FieldKind;
  /** Its value in SQL (a column, or the effective annotation). */
  sql: string;
}

/** The fields every dataset has, in the order they are offered. */
export const CANONICAL_FIELDS: readonly CanonicalField[] = [
  { key: 'annotation', label: 'Annotation', kind: 'annotation', sql: EFFECTIVE_ANNOTATION_SQL },
  { key: 'bias', label: 'Bias', kind: 'label', sql: 'bias' },
  { key: 'toxicity', label: 'Toxicity', kind: 'label', sql: 'toxicity' },
  { key: 'sentiment', label: 'Sentiment', kind: 'label', sql: 'sentiment' },
  { key: 'harm', label: 'Harm', kind: 'label', sql: 'harm' },
  { key: 'target', label: 'Target demographic', kind: 'target', sql: 'target' },
];

/** The column the authors' released CSV grades bias in ("Slightly Biased" / "Highly Biased"). */
export const AUTHORS_LABEL_COLUMN = 'label';

/**
 * An `extra` value as a category: a string as written (blank = missing), an integer or a boolean
 * as text; null when missing; undefined when it cannot be a category (a fraction, list or object).
 */
export function categoryOf(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return undefined;
}

/** SQLite's JSON path of an `extra` column (the name quoted, so dots and brackets stay literal). */
export function extraPath(column: string): string {
  return `$."${column.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * SQL for an `extra` column's value as text, as categoryOf writes it (strings, integers,
 * true/false; NULL otherwise). Binds the column's path three times: pass extraPath() thrice.
 */
export const EXTRA_VALUE_SQL =
  "(CASE json_type(extra, ?) WHEN 'text' THEN extra ->> ? WHEN 'integer' THEN CAST(extra ->> ? AS TEXT) " +
  "WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END)";

/** Counts of one field's values, overall and per group (a split), with bounded memory. */
export class FieldTally {
  present = 0;
  /** Records whose (new) value came after MAX_TRACKED distinct ones: counted as "(other values)". */
  untracked = 0;
  readonly counts = new Map<string, number>();
  readonly groups = new Map<string, { present: number; counts: Map<string, number> }>();

  add(value: string | null, group?: string): void {
    if (value === null) return;
    this.present++;
    const tracked = this.counts.has(value) || this.counts.size < MAX_TRACKED;
    if (tracked) this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
    else this.untracked++;
    if (group === undefined) return;
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = { present: 0, counts: new Map() }));
    g.present++;
    if (tracked) g.counts.set(value, (g.counts.get(value) ?? 0) + 1);
  }

  get distinct(): number {
    return this.counts.size;
  }

  /** Values most frequent first (ties: by value, in code-unit order, the same on every machine). */
  ranked(): [string, number][] {
    return [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}

/** srlab's rule for an `extra` column to be a category: 2 to 50 distinct values, at least one repeated. */
export function isCategorical(t: FieldTally): boolean {
  return t.untracked === 0 && t.distinct >= 2 && t.distinct <= MAX_LISTED && t.present > t.distinct;
}

/** The `extra` columns of a stream of records, tallied; columns that cannot be categories are dropped. */
export class ExtraTally {
  private readonly tallies = new Map<string, FieldTally>();
  /** Columns seen with a value that cannot be a category, or with too many distinct values. */
  private readonly dropped = new Set<string>();

  add(extraJson: string, group?: string): void {
    if (extraJson === '{}') return;
    let extra: unknown;
    try {
      extra = JSON.parse(extraJson);
    } catch {
      return; // (stored by the import as JSON; a damaged row is no category of anything)
    }
    if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) return;
    for (const [column, raw] of Object.entries(extra as Record<string, unknown>)) {
      if (column === '' || this.dropped.has(column)) continue;
      const value = categoryOf(raw);
      let t = this.tallies.get(column);
      if (value === undefined) {
        this.drop(column);
        continue;
      }
      if (!t) {
        if (this.tallies.size + this.dropped.size >= MAX_EXTRA_KEYS) continue;
        this.tallies.set(column, (t = new FieldTally()));
      }
      t.add(value, group);
      if (t.distinct > MAX_LISTED) this.drop(column);
    }
  }

  private drop(column: string): void {
    this.tallies.delete(column);
    this.dropped.add(column);
  }

  /** The categorical columns, in the order they were first seen (a CSV's header order). */
  categorical(): [string, FieldTally][] {
    return [...this.tallies].filter(([, t]) => isCategorical(t));
  }
}

/** A field as datasets.fields lists it. */
export function fieldOf(key: string, label: string, kind: FieldKind, t: FieldTally): DatasetField {
  const ranked = t.ranked();
  const listed = ranked.slice(0, MAX_LISTED);
  return {
    key,
    label,
    kind,
    present: t.present,
    values: listed.map(([value, count]) => ({ value, count })),
    moreValues: ranked.length - listed.length,
  };
}

/**
 * A field's counts for Statistics: the MAX_LISTED most frequent values, then "(other values)",
 * then "(missing)" (`total` minus the records with a value). Per group (split) the same keys in
 * the same order, zeros included, so the groups' charts line up.
 */
export function fieldCounts(
  key: string,
  label: string,
  kind: FieldKind,
  t: FieldTally,
  total: number,
  groupTotals: Map<string, number> | null,
): FieldCounts {
  const listed = t.ranked().slice(0, MAX_LISTED);
  const truncated = t.distinct > listed.length || t.untracked > 0;
  const build = (counts: Map<string, number>, present: number, size: number) => {
    const out: Record<string, number> = {};
    let shown = 0;
    for (const [value] of listed) {
      const n = counts.get(value) ?? 0;
      out[value] = n;
      shown += n;
    }
    if (truncated) out[OTHER] = present - shown;
    if (size - present > 0) out[MISSING] = size - present;
    return out;
  };
  return {
    key,
    label,
    kind,
    counts: build(t.counts, t.present, total),
    bySplit: groupTotals
      ? Object.fromEntries(
          [...groupTotals].map(([g, size]) => {
            const gt = t.groups.get(g);
            return [g, build(gt?.counts ?? new Map(), gt?.present ?? 0, size)];
          }),
        )
      : null,
    distinct: t.distinct,
  };
}

interface FieldRow {
  annotation: string | null;
  bias: string | null;
  toxicity: string | null;
  sentiment: string | null;
  harm: string | null;
  target: string | null;
  extra: string;
}

/**
 * Every field of a dataset with its values: the canonical ones always (`present` 0 when no
 * record has it), then the categorical `extra` columns. One pass, in one read transaction.
 */
export function listFields(db: Db, datasetId: number): { fields: DatasetField[]; defaultStratifyBy: string } {
  return db.transaction(() => {
    const canonical = CANONICAL_FIELDS.map((f) => [f, new FieldTally()] as const);
    const extra = new ExtraTally();
    const rows = db
      .prepare<[number], FieldRow>(
        `SELECT ${EFFECTIVE_ANNOTATION_SQL} AS annotation, bias, toxicity, sentiment, harm, target, extra
           FROM records WHERE dataset_id = ?`,
      )
      .iterate(datasetId);
    for (const r of rows) {
      for (const [f, t] of canonical) t.add(r[f.key as keyof FieldRow]);
      extra.add(r.extra);
    }
    const extras = extra.categorical();
    const fields = [
      ...canonical.map(([f, t]) => fieldOf(f.key, f.label, f.kind, t)),
      ...extras.map(([column, t]) => fieldOf(EXTRA_PREFIX + column, column, 'extra', t)),
    ];
    const annotated = canonical[0]![1].present > 0;
    return {
      fields,
      defaultStratifyBy: chooseDefault(
        annotated,
        extras.some(([c]) => c === AUTHORS_LABEL_COLUMN),
      ).key,
    };
  })();
}

/**
 * The default stratification (srlab's, following METRICS.md section 11 where it applies): the
 * annotation when any record has one; else the authors' `label` column (their bias grade) when it
 * is a category; else nothing to stratify by.
 */
export function chooseDefault(annotated: boolean, hasAuthorsLabel: boolean): { key: string; reason: string } {
  if (annotated) return { key: 'annotation', reason: 'the default: records have an annotation' };
  if (hasAuthorsLabel)
    return {
      key: EXTRA_PREFIX + AUTHORS_LABEL_COLUMN,
      reason: `the default: no record has an annotation, so the authors' "${AUTHORS_LABEL_COLUMN}" column`,
    };
  return {
    key: NO_STRATA,
    reason: `the default: no record has an annotation and there is no "${AUTHORS_LABEL_COLUMN}" column`,
  };
}

/** What a stratification key names. */
export type StratifyField =
  | { kind: 'none'; key: typeof NO_STRATA; label: string }
  | { kind: 'canonical'; key: string; label: string; sql: string }
  | { kind: 'extra'; key: string; label: string; column: string };

/**
 * Resolve what a user typed: a canonical key (any case), `none`, `extra.<column>`, or a bare
 * column name for `extra.<column>`. Whether the column exists is checked against the data.
 */
export function resolveStratifyKey(raw: string): StratifyField {
  const s = raw.trim();
  if (s.toLowerCase() === NO_STRATA) return { kind: 'none', key: NO_STRATA, label: 'nothing (one stratum)' };
  const canonical = CANONICAL_FIELDS.find((f) => f.key === s.toLowerCase());
  if (canonical) return { kind: 'canonical', key: canonical.key, label: canonical.label, sql: canonical.sql };
  const column = s.startsWith(EXTRA_PREFIX) ? s.slice(EXTRA_PREFIX.length) : s;
  if (column === '') throw new ApiError('invalid-input', `stratify by "${raw}": name a field`);
  return { kind: 'extra', key: EXTRA_PREFIX + column, label: column, column };
}

/** The error for a field that cannot stratify this dataset, naming those that can. */
export function notAStratifyField(db: Db, datasetId: number, key: string, why: string): ApiError {
  const { fields } = listFields(db, datasetId);
  const usable = [...fields.filter((f) => f.kind !== 'extra' || f.present > 0).map((f) => f.key), NO_STRATA];
  return new ApiError('invalid-input', `cannot stratify by "${key}": ${why}; the fields are: ${usable.join(', ')}`);
}
