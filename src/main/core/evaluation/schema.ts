// The evaluation capability's tables. An evaluation keeps a snapshot of the items it evaluated
// (so its tables stay recomputable when a test set is removed or re-imported), which generation
// run produced each generator's outputs, which scorer (id + version) scored them, and one row per
// item × row × scorer: the stored data every table and export is recomputed from.
import type { Migration } from '../db/migrations';

export const EVALUATION_MIGRATIONS: readonly Migration[] = [
  {
    id: 'evaluations',
    sql: `
CREATE TABLE evaluations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  -- The parsed EvaluationConfig (defaults filled in) and its canonical hash (to find an unfinished one to resume).
  config TEXT NOT NULL,
  config_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  -- JSON EvaluationStage[]: progress per generation / scorer / likelihood stage.
  stages TEXT NOT NULL DEFAULT '[]',
  job_id INTEGER,
  -- The process running it (pid@host) and when it last reported: gone means interrupted.
  owner TEXT,
  heartbeat_at TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX evaluations_config_hash ON evaluations (config_hash);

-- The test sets evaluated, in config order: key (cmd:<dataset>/<split> or a test set name) and kind.
CREATE TABLE evaluation_testsets (
  evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  label TEXT NOT NULL,
  kind TEXT NOT NULL,
  position INTEGER NOT NULL,
  items INTEGER NOT NULL,
  PRIMARY KEY (evaluation_id, key)
) WITHOUT ROWID;

-- The items evaluated, per test set key (cmd:<dataset>/<split> or a test set name), as they were at the start.
CREATE TABLE evaluation_items (
  evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
  testset TEXT NOT NULL,
  idx INTEGER NOT NULL,
  grp TEXT,
  subgroup TEXT,
  text TEXT NOT NULL,
  fields TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (evaluation_id, testset, idx)
) WITHOUT ROWID;

-- Which generation run holds a generator's outputs on a test set (reused, resumed or started).
CREATE TABLE evaluation_runs (
  evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
  generator TEXT NOT NULL,
  testset TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  PRIMARY KEY (evaluation_id, generator, testset)
) WITHOUT ROWID;

-- The scorers an evaluation used, as they were (a new version rescored the items).
CREATE TABLE evaluation_scorers (
  evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
  scorer_id TEXT NOT NULL,
  version TEXT NOT NULL,
  measure TEXT NOT NULL,
  threshold REAL NOT NULL,
  description TEXT NOT NULL,
  spec TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (evaluation_id, scorer_id)
) WITHOUT ROWID;

-- One score per item × row (a generator label or 'initial') × scorer.
CREATE TABLE evaluation_scores (
  evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
  generator TEXT NOT NULL,
  testset TEXT NOT NULL,
  idx INTEGER NOT NULL,
  scorer_id TEXT NOT NULL,
  scorer_version TEXT NOT NULL,
  score REAL,
  -- score > the scorer's threshold (NULL on error).
  verdict INTEGER,
  label TEXT,
  probs TEXT,
  error TEXT,
  PRIMARY KEY (evaluation_id, generator, testset, scorer_id, idx)
) WITHOUT ROWID;

-- The likelihood results (StereoSet, CrowS-Pairs) an evaluation's Tables 7–8 are built from, as they were.
CREATE TABLE evaluation_likelihood (
  evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
  generator TEXT NOT NULL,
  kind TEXT NOT NULL,
  testset TEXT NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (evaluation_id, generator, kind)
) WITHOUT ROWID;
`,
  },
];
