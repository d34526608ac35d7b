// The rounds capability's tables. A round keeps the records it drew (by id: a record removed
// with its dataset leaves the round), each annotator's assignment with its opaque key and their
// last answer, a log of every save (who, when, what), and the expert's adjudications (the
// current one per record, earlier ones in a log).
import type { Migration } from '../db/migrations';

export const migrations: readonly Migration[] = [
  {
    id: 'rounds',
    sql: `
-- A CMD annotation round: records of one dataset (or split), drawn with a seed, each labelled by
-- per_record of the annotators. title NULL: the default "Annotation round <id>".
CREATE TABLE rounds (
  id INTEGER PRIMARY KEY,
  title TEXT,
  dataset TEXT NOT NULL,
  split TEXT NOT NULL,
  seed INTEGER NOT NULL,
  per_record INTEGER NOT NULL,
  -- JSON array, in the order the researcher gave them.
  annotators TEXT NOT NULL,
  created_at TEXT NOT NULL,
  applied_at TEXT
);

-- The records of a round, in the order they were drawn.
CREATE TABLE round_records (
  round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
  record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  PRIMARY KEY (round_id, record_id)
) WITHOUT ROWID;

-- One annotator's place in a round: submitted_at set once they hand in.
CREATE TABLE round_annotators (
  round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
  annotator TEXT NOT NULL,
  submitted_at TEXT,
  PRIMARY KEY (round_id, annotator)
) WITHOUT ROWID;

-- One record given to one annotator: an opaque random key (what the annotator's page sees, never
-- the record id), the place in their own shuffled order, and their latest answer (JSON RoundAnswer).
CREATE TABLE round_items (
  round_id INTEGER NOT NULL,
  annotator TEXT NOT NULL,
  record_id INTEGER NOT NULL,
  key TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL,
  answer TEXT,
  answered_at TEXT,
  PRIMARY KEY (round_id, annotator, record_id),
  FOREIGN KEY (round_id, record_id) REFERENCES round_records(round_id, record_id) ON DELETE CASCADE,
  FOREIGN KEY (round_id, annotator) REFERENCES round_annotators(round_id, annotator) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX round_items_record ON round_items (round_id, record_id);

-- Every save of an answer, so a changed label keeps its history (who, when, what).
CREATE TABLE round_answer_log (
  id INTEGER PRIMARY KEY,
  round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
  annotator TEXT NOT NULL,
  record_id INTEGER NOT NULL,
  answer TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX round_answer_log_round ON round_answer_log (round_id);

-- The expert's resolution of a queued record (labels JSON: RoundLabels, nulls keep the majority).
CREATE TABLE round_adjudications (
  round_id INTEGER NOT NULL,
  record_id INTEGER NOT NULL,
  labels TEXT NOT NULL,
  benign TEXT,
  by TEXT NOT NULL,
  at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (round_id, record_id),
  FOREIGN KEY (round_id, record_id) REFERENCES round_records(round_id, record_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Adjudications a later one replaced.
CREATE TABLE round_adjudication_log (
  id INTEGER PRIMARY KEY,
  round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
  record_id INTEGER NOT NULL,
  labels TEXT NOT NULL,
  benign TEXT,
  by TEXT NOT NULL,
  at TEXT NOT NULL,
  note TEXT NOT NULL,
  replaced_at TEXT NOT NULL
);
`,
  },
];
