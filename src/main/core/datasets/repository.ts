import { ApiError } from '../../../shared/contract';
import type { DatasetSummary, LabelEdit, RecordFilter } from '../../../shared/contracts/datasets';
import type { CmdRecord } from '../../../shared/domain';
import { annotationDisagrees, deriveAnnotation } from '../../../shared/metrics/annotation';
import type { Db } from '../db';
import { EFFECTIVE_ANNOTATION_SQL, type RecordRow, rowToRecord } from './records';
import { EXTRA_VALUE_SQL, extraPath } from './fields';

export interface DatasetRef {
  id: number;
  name: string;
}

export function findDataset(db: Db, name: string): DatasetRef {
  const row = db.prepare<[string], DatasetRef>('SELECT id, name FROM datasets WHERE name = ?').get(name);
  if (!row) {
    const names = db
      .prepare<[], { name: string }>('SELECT name FROM datasets ORDER BY name')
      .all()
      .map((r) => r.name);
    throw new ApiError(
      'not-found',
      `no dataset "${name}"${names.length ? ` (have: ${names.join(', ')})` : ' (none imported yet)'}`,
    );
  }
  return row;
}

export function listDatasets(db: Db): DatasetSummary[] {
  const rows = db
    .prepare<
      [],
      {
        id: number;
        name: string;
        description: string | null;
        created_at: string;
        records: number;
        train: number;
        dev: number;
        test: number;
        disagreements: number;
      }
    >(
      `SELECT d.id, d.name, d.description, d.created_at,
              COUNT(r.id) AS records,
              COALESCE(SUM(r.split = 'train'), 0) AS train,
              COALESCE(SUM(r.split = 'dev'), 0) AS dev,
              COALESCE(SUM(r.split = 'test'), 0) AS test,
              COALESCE(SUM(r.disagrees), 0) AS disagreements
         FROM datasets d LEFT JOIN records r ON r.dataset_id = d.id
        GROUP BY d.id ORDER BY d.name`,
    )
    .all();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    createdAt: r.created_at,
    records: r.records,
    splits: { train: r.train, dev: r.dev, test: r.test, none: r.records - r.train - r.dev - r.test },
    disagreements: r.disagreements,
  }));
}

/** Translate a filter into SQL; values are bound, never interpolated. */
function whereClause(datasetId: number, f: RecordFilter): { sql: string; params: unknown[] } {
  const clauses = ['dataset_id = ?'];
  const params: unknown[] = [datasetId];
  const inList = (column: string, values: readonly string[] | undefined) => {
    if (!values || values.length === 0) return;
    clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  inList('bias', f.bias);
  inList('toxicity', f.toxicity);
  inList('sentiment', f.sentiment);
  inList('harm', f.harm);
  inList(EFFECTIVE_ANNOTATION_SQL, f.annotation);
  if (f.split && f.split.length > 0) {
    const named = f.split.filter((s) => s !== 'none');
    const parts = [];
    if (named.length) {
      parts.push(`split IN (${named.map(() => '?').join(', ')})`);
      params.push(...named);
    }
    if (f.split.includes('none')) parts.push('split IS NULL');
    clauses.push(`(${parts.join(' OR ')})`);
  }
  // A source's own columns (kept in `extra`): the value as the field list shows it (fields.ts).
  for (const [column, values] of Object.entries(f.extra ?? {})) {
    if (values.length === 0) continue;
    const at = extraPath(column);
    clauses.push(`${EXTRA_VALUE_SQL} IN (${values.map(() => '?').join(', ')})`);
    params.push(at, at, at, ...values);
  }
  if (f.target !== undefined && f.target !== '') {
    clauses.push('target = ?');
    params.push(f.target);
  }
  if (f.q) {
    // instr on lower() is a plain substring test: no LIKE wildcards to escape.
    clauses.push('instr(lower(text), lower(?)) > 0');
    params.push(f.q);
  }
  if (f.disagreesOnly) clauses.push('disagrees = 1');
  return { sql: clauses.join(' AND '), params };
}

export function queryRecords(db: Db, datasetId: number, filter: RecordFilter, offset: number, limit: number) {
  const { sql, params } = whereClause(datasetId, filter);
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM records WHERE ${sql}`).get(...params) as { n: number }).n;
  // Page through ids first (an index walk), then read only the rows of the page: a deep
  // OFFSET over whole rows would read every skipped text (8x slower at 50,000 rows in).
  const rows = db
    .prepare(
      `SELECT * FROM records WHERE id IN (SELECT id FROM records WHERE ${sql} ORDER BY id LIMIT ? OFFSET ?) ORDER BY id`,
    )
    .all(...params, limit, offset) as RecordRow[];
  return { total, rows: rows.map(rowToRecord) };
}

interface EditRow {
  id: number;
  record_id: number;
  field: string;
  before: string | null;
  after: string | null;
  editor: string;
  note: string | null;
  at: string;
}

export function getRecord(db: Db, id: number): { record: CmdRecord; edits: LabelEdit[] } {
  const row = db.prepare<[number], RecordRow>('SELECT * FROM records WHERE id = ?').get(id);
  if (!row) throw new ApiError('not-found', `no record ${id}`);
  const edits = db
    .prepare<[number], EditRow>('SELECT * FROM record_edits WHERE record_id = ? ORDER BY id')
    .all(id)
    .map((e) => ({
      id: e.id,
      recordId: e.record_id,
      field: e.field,
      before: e.before === null ? null : (JSON.parse(e.before) as unknown),
      after: e.after === null ? null : (JSON.parse(e.after) as unknown),
      editor: e.editor,
      note: e.note,
      at: e.at,
    }));
  return { record: rowToRecord(row), edits };
}

export type RecordChanges = Partial<{
  bias: string | null;
  toxicity: string | null;
  sentiment: string | null;
  harm: string | null;
  annotationGold: string | null;
  targetDemographic: string | null;
  biasedWords: string[];
  benignVariation: string | null;
}>;

const COLUMN: Record<keyof RecordChanges, string> = {
  bias: 'bias',
  toxicity: 'toxicity',
  sentiment: 'sentiment',
  harm: 'harm',
  annotationGold: 'annotation_gold',
  targetDemographic: 'target',
  biasedWords: 'biased_words',
  benignVariation: 'benign',
};

/**
 * Apply a manual edit: one transaction that changes the record, re-derives its annotation
 * and keeps who/when/before/after for every changed field. The content hash stays the one
 * the record was imported with, so re-importing the original file still finds it as a duplicate.
 */
export function editRecord(
  db: Db,
  id: number,
  changes: RecordChanges,
  editor: string,
  note: string | null,
  at: string,
) {
  // IMMEDIATE: it reads before it writes, and a deferred transaction that has read cannot wait
  // for another writer's lock (SQLite answers busy at once); this one waits out busy_timeout.
  const apply = db.transaction(() => {
    const { record } = getRecord(db, id);
    const current: Record<keyof RecordChanges, unknown> = {
      bias: record.labels.bias,
      toxicity: record.labels.toxicity,
      sentiment: record.labels.sentiment,
      harm: record.labels.harm,
      annotationGold: record.annotationGold,
      targetDemographic: record.targetDemographic,
      biasedWords: record.biasedWords,
      benignVariation: record.benignVariation,
    };
    const insertEdit = db.prepare(
      'INSERT INTO record_edits (record_id, field, before, after, editor, note, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const next = { ...current };
    for (const [field, value] of Object.entries(changes) as [keyof RecordChanges, unknown][]) {
      if (value === undefined || JSON.stringify(current[field]) === JSON.stringify(value)) continue;
      next[field] = value;
      const stored = field === 'biasedWords' ? JSON.stringify(value) : value;
      db.prepare(`UPDATE records SET ${COLUMN[field]} = ? WHERE id = ?`).run(stored, id);
      insertEdit.run(id, field, JSON.stringify(current[field]), JSON.stringify(value), editor, note, at);
    }
    const derived = deriveAnnotation({
      bias: next.bias as string | null,
      toxicity: next.toxicity as string | null,
      sentiment: next.sentiment as string | null,
      harm: next.harm as string | null,
    });
    const gold = next.annotationGold as string | null;
    db.prepare('UPDATE records SET annotation_derived = ?, annotation_strict = ?, disagrees = ? WHERE id = ?').run(
      derived.paper,
      derived.strict,
      annotationDisagrees(gold, derived.paper) ? 1 : 0,
      id,
    );
  });
  apply.immediate();
  return getRecord(db, id);
}

export function listTargets(db: Db, datasetId: number) {
  return db
    .prepare<[number], { value: string; count: number }>(
      `SELECT target AS value, COUNT(*) AS count FROM records
        WHERE dataset_id = ? AND target IS NOT NULL GROUP BY target ORDER BY count DESC, target`,
    )
    .all(datasetId);
}

/** The name of the dataset record `id` belongs to (not-found as getRecord). */
export function datasetOfRecord(db: Db, id: number): string {
  const name = db
    .prepare<[number], string>('SELECT d.name FROM records r JOIN datasets d ON d.id = r.dataset_id WHERE r.id = ?')
    .pluck()
    .get(id);
  if (name === undefined) throw new ApiError('not-found', `no record ${id}`);
  return name;
}

export function removeDataset(db: Db, ref: DatasetRef): number {
  // IMMEDIATE: the count and the delete see the same records, and the lock is waited for (see editRecord).
  return db
    .transaction(() => {
      const n = (db.prepare('SELECT COUNT(*) AS n FROM records WHERE dataset_id = ?').get(ref.id) as { n: number }).n;
      db.prepare('DELETE FROM datasets WHERE id = ?').run(ref.id);
      return n;
    })
    .immediate();
}
