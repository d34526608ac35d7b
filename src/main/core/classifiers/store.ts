// Persistence of classifiers (one row each; training details as JSON) and style-trait lists.
import { ClassifierInfo, type TraitList } from '../../../shared/contracts/classifiers';
import type { Db } from '../db';
import { processAlive } from '../jobs';

export const MIGRATIONS = [
  {
    id: 'classifiers',
    sql: `
-- A Hugging Face sequence classifier usable as a scorer: trained here (training JSON set) or
-- registered by Hugging Face id / folder. labels: class names in index order (JSON array).
CREATE TABLE classifiers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL CHECK (source IN ('trained', 'hf', 'folder')),
  base TEXT,
  model TEXT NOT NULL,
  labels TEXT,
  positive TEXT NOT NULL,
  measure TEXT NOT NULL,
  state TEXT NOT NULL,
  version TEXT NOT NULL,
  validation TEXT,
  training TEXT,
  error TEXT,
  job_id INTEGER,
  -- The srlab process training it: a training whose process is gone was interrupted.
  owner_pid INTEGER,
  -- Set by \`srlab classifiers cancel\` from another process; the owner polls it.
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  finished_at TEXT
);

-- A named style-trait list (JSON [{name, glosses}]) that style scorers classify over.
CREATE TABLE trait_lists (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  traits TEXT NOT NULL,
  source_file TEXT,
  created_at TEXT NOT NULL
);
`,
  },
];

interface Row {
  id: number;
  name: string;
  source: string;
  base: string | null;
  model: string;
  labels: string | null;
  positive: string;
  measure: string;
  state: string;
  version: string;
  validation: string | null;
  training: string | null;
  error: string | null;
  job_id: number | null;
  owner_pid: number | null;
  created_at: string;
  finished_at: string | null;
}

const json = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

/** A stored row through the contract's schema (a row it refuses is an error, not a cast). */
function toInfo(r: Row): ClassifierInfo {
  return ClassifierInfo.parse({
    id: r.id,
    name: r.name,
    source: r.source,
    base: r.base,
    model: r.model,
    labels: json(r.labels),
    positive: r.positive,
    measure: r.measure,
    state: r.state,
    version: r.version,
    validation: json(r.validation),
    training: json(r.training),
    error: r.error,
    jobId: r.job_id,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  });
}

export function createClassifierStore(db: Db) {
  const byName = db.prepare<[string], Row>('SELECT * FROM classifiers WHERE name = ?');
  const all = db.prepare<[], Row>('SELECT * FROM classifiers ORDER BY name');
  const insert = db.prepare(
    `INSERT INTO classifiers (name, source, base, model, labels, positive, measure, state, version, validation, training, error, job_id, owner_pid, created_at, finished_at)
     VALUES (@name, @source, @base, @model, @labels, @positive, @measure, @state, @version, @validation, @training, @error, @jobId, @ownerPid, @createdAt, @finishedAt)`,
  );
  const update = db.prepare(
    `UPDATE classifiers SET model = @model, labels = @labels, state = @state, version = @version, validation = @validation,
       training = @training, error = @error, job_id = @jobId, owner_pid = @ownerPid, finished_at = @finishedAt WHERE id = @id`,
  );
  const params = (c: ClassifierInfo, ownerPid: number | null) => ({
    ...c,
    labels: c.labels === null ? null : JSON.stringify(c.labels),
    validation: c.validation === null ? null : JSON.stringify(c.validation),
    training: c.training === null ? null : JSON.stringify(c.training),
    ownerPid,
  });
  const traitsByName = db.prepare<
    [string],
    { name: string; traits: string; source_file: string | null; created_at: string }
  >('SELECT name, traits, source_file, created_at FROM trait_lists WHERE name = ?');

  return {
    get(name: string): ClassifierInfo | undefined {
      const r = byName.get(name);
      return r ? toInfo(r) : undefined;
    },
    list: (): ClassifierInfo[] => all.all().map(toInfo),
    /** Insert a new classifier; its id comes back. A taken name is the caller's check. */
    insert(c: Omit<ClassifierInfo, 'id'>, ownerPid: number | null = null): number {
      return Number(insert.run(params({ ...c, id: 0 }, ownerPid)).lastInsertRowid);
    },
    save(c: ClassifierInfo, ownerPid: number | null = process.pid): void {
      update.run(params(c, ownerPid));
    },
    remove(name: string): boolean {
      return db.prepare('DELETE FROM classifiers WHERE name = ?').run(name).changes > 0;
    },
    requestCancel(id: number): void {
      db.prepare('UPDATE classifiers SET cancel_requested = 1 WHERE id = ?').run(id);
    },
    clearCancel(id: number): void {
      db.prepare('UPDATE classifiers SET cancel_requested = 0 WHERE id = ?').run(id);
    },
    cancelRequested(id: number): boolean {
      return (
        db.prepare<[number], number>('SELECT cancel_requested FROM classifiers WHERE id = ?').pluck().get(id) === 1
      );
    },
    /** Trainings left queued/running by a process that is gone were interrupted: mark them failed. */
    markInterrupted(at: string): void {
      const open = db.prepare<[], Row>("SELECT * FROM classifiers WHERE state IN ('queued', 'running')").all();
      for (const row of open) {
        if (row.owner_pid !== null && processAlive(row.owner_pid)) continue;
        const c = toInfo(row);
        Object.assign(c, {
          state: 'failed',
          error: 'interrupted: srlab stopped while this classifier was training; resume it from its last checkpoint',
          finishedAt: at,
        });
        this.save(c, null);
      }
    },

    traitList(name: string): TraitList | undefined {
      const r = traitsByName.get(name);
      return r
        ? {
            name: r.name,
            traits: JSON.parse(r.traits) as TraitList['traits'],
            sourceFile: r.source_file,
            createdAt: r.created_at,
          }
        : undefined;
    },
    traitLists(): TraitList[] {
      return db
        .prepare<[], { name: string }>('SELECT name FROM trait_lists ORDER BY name')
        .all()
        .map((r) => this.traitList(r.name)!);
    },
    /** Add or replace a trait list (a re-import under the same name replaces it). */
    putTraitList(t: TraitList): void {
      db.prepare(
        `INSERT INTO trait_lists (name, traits, source_file, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET traits = excluded.traits, source_file = excluded.source_file, created_at = excluded.created_at`,
      ).run(t.name, JSON.stringify(t.traits), t.sourceFile, t.createdAt);
    },
  };
}
export type ClassifierStore = ReturnType<typeof createClassifierStore>;
