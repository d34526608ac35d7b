// The tables of blind human evaluation. A session names its compared models by slot; items name
// slots, never runs, so everything an evaluator is sent can be read from the items and their
// assignments alone. Every save is logged (who, what, when) besides the current answer.
import type { Migration } from '../db/migrations';

export const HUMANEVAL_MIGRATIONS: readonly Migration[] = [
  {
    id: 'sessions',
    sql: `
-- A scoring session: built here from runs (origin 'lab') or imported from a session file to score
-- offline (origin 'offline'). uid is the random id session and answers files carry (never the db id).
CREATE TABLE humaneval_sessions (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL,
  title TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('lab', 'offline')),
  mode TEXT NOT NULL CHECK (mode IN ('single', 'pairs')),
  seed INTEGER NOT NULL,
  sample INTEGER NOT NULL,
  per_item INTEGER NOT NULL,
  stratified INTEGER NOT NULL,
  prompts INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX humaneval_sessions_uid ON humaneval_sessions (uid);

-- The compared models (lab sessions only): slot 1..M in the order the runs were given.
CREATE TABLE humaneval_models (
  session_id INTEGER NOT NULL REFERENCES humaneval_sessions(id) ON DELETE CASCADE,
  slot INTEGER NOT NULL,
  run_id INTEGER,
  label TEXT NOT NULL,
  PRIMARY KEY (session_id, slot)
);

-- An evaluator of a session: the key that signs their session and answers files, and when they submitted.
CREATE TABLE humaneval_evaluators (
  session_id INTEGER NOT NULL REFERENCES humaneval_sessions(id) ON DELETE CASCADE,
  evaluator TEXT NOT NULL,
  secret TEXT NOT NULL,
  submitted_at TEXT,
  PRIMARY KEY (session_id, evaluator)
);

-- One thing to score: a response (slot) or an A/B pair (slot, slot_b) to one prompt, under a random key.
CREATE TABLE humaneval_items (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES humaneval_sessions(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  prompt TEXT NOT NULL,
  prompt_index INTEGER NOT NULL,
  record_id INTEGER,
  slot INTEGER,
  slot_b INTEGER,
  response TEXT,
  response_b TEXT,
  UNIQUE (session_id, key)
);

-- Which evaluator scores which item, in which place of their own order, and their current answer.
CREATE TABLE humaneval_assignments (
  session_id INTEGER NOT NULL REFERENCES humaneval_sessions(id) ON DELETE CASCADE,
  evaluator TEXT NOT NULL,
  item_id INTEGER NOT NULL REFERENCES humaneval_items(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  answer TEXT,
  answered_at TEXT,
  PRIMARY KEY (session_id, evaluator, item_id)
);

-- Every save, kept: the scores as entered, with time and evaluator ('browser' or 'import').
CREATE TABLE humaneval_answer_log (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES humaneval_sessions(id) ON DELETE CASCADE,
  evaluator TEXT NOT NULL,
  item_id INTEGER NOT NULL,
  answer TEXT NOT NULL,
  at TEXT NOT NULL,
  source TEXT NOT NULL
);
CREATE INDEX humaneval_answer_log_session ON humaneval_answer_log (session_id, evaluator);
`,
  },
];
