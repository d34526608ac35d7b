// The schema as srlab shipped it before migrations moved into capabilities: the global numbered
// list (versions 1-5), verbatim from src/main/core/db/migrations.ts at that time, and a way to make
// a data home as such a srlab left it. Frozen: the tests that open old databases build them here.
import Database from 'better-sqlite3';
import { contentHash, type RecordRow } from '../../../src/main/core/datasets/records';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Work SQL cannot do (e.g. hashing), run after `sql` in the same transaction. */
  run?: (db: Database.Database) => void;
}

export const LEGACY_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'datasets, records, edits, imports, jobs, settings',
    sql: `
CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  file TEXT NOT NULL,
  format TEXT NOT NULL,
  imported INTEGER NOT NULL,
  duplicates INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  rejects_file TEXT,
  finished_at TEXT NOT NULL
);

-- One CMD record. Labels are stored in their canonical spelling, NULL when the source had none.
CREATE TABLE records (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  import_id INTEGER REFERENCES imports(id) ON DELETE SET NULL,
  source_id TEXT,
  source_line INTEGER,
  text TEXT NOT NULL,
  bias TEXT,
  toxicity TEXT,
  sentiment TEXT,
  harm TEXT,
  annotation_gold TEXT,
  annotation_derived TEXT,
  annotation_strict TEXT,
  disagrees INTEGER NOT NULL DEFAULT 0,
  target TEXT,
  biased_words TEXT NOT NULL DEFAULT '[]',
  benign TEXT,
  extra TEXT NOT NULL DEFAULT '{}',
  split TEXT CHECK (split IN ('train', 'dev', 'test')),
  content_hash TEXT NOT NULL,
  UNIQUE (dataset_id, content_hash)
);
CREATE INDEX records_dataset_split ON records (dataset_id, split);

-- Every manual change to a record: who, when, what it was before.
CREATE TABLE record_edits (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
  field TEXT NOT NULL,
  before TEXT,
  after TEXT,
  editor TEXT NOT NULL,
  note TEXT,
  at TEXT NOT NULL
);
CREATE INDEX record_edits_record ON record_edits (record_id);

-- Small app-wide facts, e.g. that the demo dataset was offered once (so a deleted demo stays deleted).
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  state TEXT NOT NULL,
  params TEXT NOT NULL,
  progress TEXT NOT NULL,
  result TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  -- The process running the job: desktop, serve mode and CLI share one database, so a job is
  -- only "interrupted" when the process that owns it is gone.
  owner_pid INTEGER
);
`,
  },
  {
    version: 2,
    name: 'models, prompt templates, endpoints, secrets, generation runs, response cache',
    sql: `
-- A registered GGUF file. gguf: JSON GgufSummary read from its header; source: JSON ModelSource.
CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  source TEXT NOT NULL,
  gguf TEXT NOT NULL,
  added_at TEXT NOT NULL
);

-- Versioned prompt templates: a save under an existing name adds the next version.
CREATE TABLE prompt_templates (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  format TEXT NOT NULL,
  system_prompt TEXT NOT NULL,
  instruction TEXT NOT NULL,
  builtin INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  UNIQUE (name, version)
);

-- OpenAI-compatible endpoints. The API key is never here: key_backend says where it is kept.
CREATE TABLE endpoints (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  base_url TEXT NOT NULL,
  model TEXT NOT NULL,
  concurrency INTEGER NOT NULL,
  requests_per_minute INTEGER NOT NULL,
  timeout_ms INTEGER NOT NULL,
  max_retries INTEGER NOT NULL,
  key_backend TEXT,
  created_at TEXT NOT NULL
);

-- Ciphertext only (Electron safeStorage); plain-text secrets are never stored.
CREATE TABLE secrets (
  name TEXT PRIMARY KEY,
  ciphertext BLOB NOT NULL,
  updated_at TEXT NOT NULL
);

-- A generation run: settings (JSON RunSettings) are everything needed to reproduce it.
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  settings TEXT NOT NULL,
  settings_hash TEXT NOT NULL,
  provenance TEXT NOT NULL,
  total INTEGER NOT NULL,
  generation_ms REAL NOT NULL DEFAULT 0,
  job_id INTEGER,
  -- The process running it (pid@host) and when it last reported: a run whose process is gone is interrupted.
  owner TEXT,
  heartbeat_at TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX runs_settings_hash ON runs (settings_hash);

-- One input of a run; output columns stay NULL until the item is generated.
CREATE TABLE run_items (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  record_id INTEGER,
  input TEXT NOT NULL,
  reference TEXT,
  prompt TEXT NOT NULL,
  output TEXT,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  finish_reason TEXT,
  error TEXT,
  generate_ms REAL,
  cached INTEGER NOT NULL DEFAULT 0,
  finished_at TEXT,
  PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;

-- Endpoint responses by request hash, so a rerun costs nothing.
CREATE TABLE response_cache (
  key TEXT PRIMARY KEY,
  response TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'training runs and their metrics',
    sql: `
-- A LoRA/QLoRA training run; \`data\` is the JSON TrainRun (config, data hash, versions,
-- checkpoints, artefacts, energy) so every run is reproducible from its row.
CREATE TABLE train_runs (
  id INTEGER PRIMARY KEY,
  state TEXT NOT NULL,
  data TEXT NOT NULL,
  job_id INTEGER,
  -- The srlab process running it: a run whose process is gone was interrupted.
  owner_pid INTEGER,
  -- Set by \`srlab train cancel\` from another process; the owner polls it.
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  finished_at TEXT
);

CREATE TABLE train_metrics (
  run_id INTEGER NOT NULL REFERENCES train_runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  split TEXT NOT NULL,
  loss REAL NOT NULL,
  lr REAL,
  grad_norm REAL,
  tokens_per_second REAL,
  at TEXT NOT NULL
);
CREATE INDEX train_metrics_run ON train_metrics (run_id, step);
`,
  },
  {
    version: 4,
    name: 'job log tails',
    sql: `
-- The last lines a job logged (e.g. pip's output during worker setup): a JSON array of
-- {seq, at, level, text}, at most 500, so another process or a restarted app can show them.
ALTER TABLE jobs ADD COLUMN log_tail TEXT;
`,
  },
  {
    version: 5,
    name: 'content hashes cover the extra columns',
    sql: '',
    run: rehashRecordsWithExtraColumns,
  },
];

/** Record fields a manual edit can change, by the name record_edits.field uses. */
const EDITABLE = [
  'bias',
  'toxicity',
  'sentiment',
  'harm',
  'annotationGold',
  'targetDemographic',
  'biasedWords',
  'benignVariation',
] as const;

/**
 * Migration 5: the content hash now covers a record's extra source columns (issue 9: two rows
 * that differ only there are both kept). A record without extra columns hashes as before; the
 * others get the new hash of the content they were imported with — manual edits are undone
 * for the hash through record_edits' earliest `before` per field, since an edit never changes
 * the hash — so re-importing the same file still finds them as duplicates. In pages by id, so
 * memory does not grow with the dataset.
 */
function rehashRecordsWithExtraColumns(db: Database.Database): void {
  const original = new Map<number, Map<string, unknown>>();
  const edits = db
    .prepare<[], { record_id: number; field: string; before: string | null }>(
      'SELECT record_id, field, before FROM record_edits ORDER BY id',
    )
    .all();
  for (const e of edits) {
    let fields = original.get(e.record_id);
    if (!fields) original.set(e.record_id, (fields = new Map()));
    if (!fields.has(e.field)) fields.set(e.field, e.before === null ? null : (JSON.parse(e.before) as unknown));
  }
  const page = db.prepare<[number], RecordRow>(
    "SELECT * FROM records WHERE id > ? AND extra <> '{}' ORDER BY id LIMIT 5000",
  );
  const update = db.prepare<[string, number]>('UPDATE records SET content_hash = ? WHERE id = ?');
  for (let after = 0; ;) {
    const rows = page.all(after);
    if (rows.length === 0) break;
    for (const r of rows) {
      const v: Record<(typeof EDITABLE)[number], unknown> = {
        bias: r.bias,
        toxicity: r.toxicity,
        sentiment: r.sentiment,
        harm: r.harm,
        annotationGold: r.annotation_gold,
        targetDemographic: r.target,
        biasedWords: JSON.parse(r.biased_words) as unknown,
        benignVariation: r.benign,
      };
      const before = original.get(r.id);
      if (before) for (const k of EDITABLE) if (before.has(k)) v[k] = before.get(k);
      const hash = contentHash({
        text: r.text,
        labels: {
          bias: v.bias as string | null,
          toxicity: v.toxicity as string | null,
          sentiment: v.sentiment as string | null,
          harm: v.harm as string | null,
        },
        annotationGold: v.annotationGold as string | null,
        targetDemographic: v.targetDemographic as string | null,
        biasedWords: v.biasedWords as string[],
        benignVariation: v.benignVariation as string | null,
        extraJson: r.extra,
      });
      update.run(hash, r.id);
    }
    after = rows.at(-1)!.id;
  }
}

/** A database file as a srlab of the old scheme left it at `version` (1-5). */
export function buildLegacyDb(file: string, version: number): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  for (const m of LEGACY_MIGRATIONS.filter((x) => x.version <= version)) {
    db.transaction(() => {
      if (m.sql.trim() !== '') db.exec(m.sql);
      m.run?.(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db;
}
