// Stored likelihood results: one row per finished run, with its metrics and per-item sentence
// scores as JSON (a few hundred kB for the whole of StereoSet), so tables can cite and recompute them.
import { ApiError } from '../../../shared/contract';
import type {
  CrowsMetrics,
  LikelihoodItems,
  LikelihoodKind,
  LikelihoodResult,
  StereosetMetrics,
} from '../../../shared/contracts/likelihood';
import type { Db } from '../db';

export const MIGRATIONS = [
  {
    id: 'results',
    sql: `
-- A finished StereoSet / CrowS-Pairs likelihood run: which model (and adapter) scored which test set.
CREATE TABLE likelihood_results (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  model TEXT NOT NULL,
  model_sha256 TEXT NOT NULL,
  adapter TEXT,
  adapter_sha256 TEXT,
  adapter_scale REAL NOT NULL,
  testset TEXT NOT NULL,
  -- The test set as it was (a re-import under the same name gets a new id).
  testset_id INTEGER NOT NULL,
  item_limit INTEGER,
  skipped INTEGER NOT NULL,
  sentences INTEGER NOT NULL,
  -- JSON StereosetMetrics | CrowsMetrics
  metrics TEXT NOT NULL,
  -- JSON StereosetItemScore[] | CrowsItemScore[]
  scores TEXT NOT NULL,
  -- JSON: load options and the job that computed it
  settings TEXT NOT NULL,
  duration_ms REAL NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX likelihood_results_lookup ON likelihood_results (model, testset, kind);
`,
  },
];

interface Row {
  id: number;
  kind: LikelihoodKind;
  model: string;
  model_sha256: string;
  adapter: string | null;
  adapter_sha256: string | null;
  adapter_scale: number;
  testset: string;
  testset_id: number;
  item_limit: number | null;
  skipped: number;
  sentences: number;
  metrics: string;
  duration_ms: number;
  created_at: string;
}

export type NewResult = Omit<LikelihoodResult, 'id'> & { scores: LikelihoodItems['items']; settings: unknown };

const COLUMNS =
  'id, kind, model, model_sha256, adapter, adapter_sha256, adapter_scale, testset, testset_id, item_limit, skipped, sentences, metrics, duration_ms, created_at';

function fromRow(r: Row): LikelihoodResult {
  const base = {
    id: r.id,
    model: r.model,
    modelSha256: r.model_sha256,
    adapter: r.adapter,
    adapterSha256: r.adapter_sha256,
    adapterScale: r.adapter_scale,
    testset: r.testset,
    testsetId: r.testset_id,
    limit: r.item_limit,
    skipped: r.skipped,
    sentences: r.sentences,
    durationMs: r.duration_ms,
    createdAt: r.created_at,
  };
  return r.kind === 'stereoset'
    ? { ...base, kind: 'stereoset', metrics: JSON.parse(r.metrics) as StereosetMetrics }
    : { ...base, kind: 'crows-pairs', metrics: JSON.parse(r.metrics) as CrowsMetrics };
}

export interface LookupKey {
  kind: LikelihoodKind;
  model: string;
  modelSha256: string;
  adapterSha256: string | null;
  adapterScale: number;
  testset: string;
  testsetId: number;
  limit: number | null;
}

export function createRepository(db: Db) {
  return {
    insert(r: NewResult): LikelihoodResult {
      const id = db
        .prepare(
          `INSERT INTO likelihood_results (kind, model, model_sha256, adapter, adapter_sha256, adapter_scale, testset,
             testset_id, item_limit, skipped, sentences, metrics, scores, settings, duration_ms, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.kind,
          r.model,
          r.modelSha256,
          r.adapter,
          r.adapterSha256,
          r.adapterScale,
          r.testset,
          r.testsetId,
          r.limit,
          r.skipped,
          r.sentences,
          JSON.stringify(r.metrics),
          JSON.stringify(r.scores),
          JSON.stringify(r.settings),
          r.durationMs,
          r.createdAt,
        ).lastInsertRowid;
      return this.get(Number(id));
    },
    get(id: number): LikelihoodResult {
      const row = db.prepare<[number], Row>(`SELECT ${COLUMNS} FROM likelihood_results WHERE id = ?`).get(id);
      if (!row) throw new ApiError('not-found', `no likelihood result ${id}`);
      return fromRow(row);
    },
    scores(id: number): LikelihoodItems {
      const row = db
        .prepare<[number], { kind: LikelihoodKind; scores: string }>(
          'SELECT kind, scores FROM likelihood_results WHERE id = ?',
        )
        .get(id);
      if (!row) throw new ApiError('not-found', `no likelihood result ${id}`);
      return { kind: row.kind, items: JSON.parse(row.scores) } as LikelihoodItems;
    },
    list(f: {
      model?: string | undefined;
      testset?: string | undefined;
      kind?: LikelihoodKind | undefined;
      limit: number;
    }) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      for (const [column, value] of [
        ['model', f.model],
        ['testset', f.testset],
        ['kind', f.kind],
      ] as const) {
        if (value === undefined) continue;
        where.push(`${column} = ?`);
        args.push(value);
      }
      const sql = `SELECT ${COLUMNS} FROM likelihood_results ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT ?`;
      return db
        .prepare<(string | number)[], Row>(sql)
        .all(...args, f.limit)
        .map(fromRow);
    },
    /** The newest result computed with exactly these inputs (model file, adapter file, test set as imported, limit). */
    latest(k: LookupKey): LikelihoodResult | null {
      const row = db
        .prepare<unknown[], Row>(
          `SELECT ${COLUMNS} FROM likelihood_results
           WHERE kind = ? AND model = ? AND model_sha256 = ? AND adapter_sha256 IS ? AND adapter_scale = ?
             AND testset = ? AND testset_id = ? AND item_limit IS ?
           ORDER BY id DESC LIMIT 1`,
        )
        .get(k.kind, k.model, k.modelSha256, k.adapterSha256, k.adapterScale, k.testset, k.testsetId, k.limit);
      return row ? fromRow(row) : null;
    },
    remove(id: number): number {
      const n = db.prepare('DELETE FROM likelihood_results WHERE id = ?').run(id).changes;
      if (n === 0) throw new ApiError('not-found', `no likelihood result ${id}`);
      return id;
    },
  };
}
