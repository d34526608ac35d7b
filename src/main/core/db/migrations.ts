// Schema migrations belong to capabilities: each capability's capability.ts lists its own, in
// order, and db/index.ts applies them in registry order, recording each by `<capability>/<id>`
// in the schema_migrations table. Never edit or rename a shipped migration: add the next one.
import type Database from 'better-sqlite3';

export interface Migration {
  /** Unique within its capability and never changed once shipped (recorded as `<capability>/<id>`). */
  id: string;
  sql: string;
  /** Work SQL cannot do (e.g. hashing), run after `sql` in the same transaction. */
  run?: (db: Database.Database) => void;
}

/** A capability's migrations, as the database module sees them. */
export interface OwnedMigrations {
  capability: string;
  migrations: readonly Migration[];
}

/**
 * Before migrations moved into capabilities, one global list numbered them and `PRAGMA
 * user_version` held the last one applied. A data home from then is adopted by marking what its
 * version had applied — entry N-1 lists what global migration N became — so nothing re-runs.
 * Frozen: never add to it.
 */
export const SHIPPED_VERSIONS: readonly (readonly string[])[] = [
  /* 1 */ ['datasets/records', 'system/settings', 'jobs/jobs'],
  /* 2 */ ['llm/models-templates-endpoints', 'runs/runs'],
  /* 3 */ ['training/train-runs'],
  /* 4 */ ['jobs/log-tail'],
  /* 5 */ ['datasets/rehash-extra-columns'],
  /* 6: development builds of issue 10 only */ ['access/evaluator-tokens'],
];
