// Numbered schema migrations, applied in order at open; `PRAGMA user_version` records the last.
// Never edit a shipped migration: add the next number.

export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
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
  finished_at TEXT
);
`,
  },
];
