// Shared set-up for the import tests: a temporary lab (a real SQLite file, a rejects folder,
// files written on demand) handed to each test through a vitest fixture.
import fs from 'node:fs';
import path from 'node:path';
import { test as base } from 'vitest';
import { ApiError } from '../../../src/shared/contract';
import type { ImportResult } from '../../../src/shared/contracts/datasets';
import { openDb } from '../../../src/main/core/db';
import type { RecordRow } from '../../../src/main/core/datasets/records';
import type { ImportOptions } from '../../../src/main/core/datasets/import';
import { importFile, type ImportTuning } from '../../../src/main/core/datasets/import/run';
import { REPO_ROOT, tempDir } from '../../helpers';

export const FIXTURES = path.join(REPO_ROOT, 'tests', 'fixtures', 'import');

export interface Lab {
  dir: string;
  dbFile: string;
  rejectsDir: string;
  /** Write a file into the lab; returns its path. */
  write(name: string, content: string | Buffer): string;
  /** Import into dataset "d" unless the options say otherwise. */
  run(file: string, opts?: Partial<ImportOptions>, tuning?: ImportTuning): Promise<ImportResult>;
  /** The import's ApiError (fails the test if the import succeeds). */
  fail(file: string, opts?: Partial<ImportOptions>, tuning?: ImportTuning): Promise<ApiError>;
  records(dataset?: string): RecordRow[];
  /** Row counts of the tables an import writes, to show a failed import changed nothing. */
  counts(): { datasets: number; imports: number; records: number };
}

export function createLab(): Lab {
  const dir = tempDir('srlab-import-');
  const dbFile = path.join(dir, 'srlab.sqlite');
  const rejectsDir = path.join(dir, 'rejects');
  const lab: Lab = {
    dir,
    dbFile,
    rejectsDir,
    write(name, content) {
      const f = path.join(dir, name);
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, content);
      return f;
    },
    run(file, opts = {}, tuning = {}) {
      return importFile({ dbFile, rejectsDir, file, dataset: 'd', format: 'auto', strict: false, ...opts }, tuning);
    },
    async fail(file, opts = {}, tuning = {}) {
      try {
        await lab.run(file, opts, tuning);
      } catch (e) {
        if (e instanceof ApiError) return e;
        throw e;
      }
      throw new Error(`expected the import of ${file} to fail`);
    },
    records(dataset = 'd') {
      const db = openDb(dbFile);
      try {
        return db
          .prepare<[string], RecordRow>(
            'SELECT r.* FROM records r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = ? ORDER BY r.id',
          )
          .all(dataset);
      } finally {
        db.close();
      }
    },
    counts() {
      const db = openDb(dbFile);
      try {
        const n = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
        return { datasets: n('datasets'), imports: n('imports'), records: n('records') };
      } finally {
        db.close();
      }
    },
  };
  return lab;
}

export const test = base.extend<{ lab: Lab }>({
  // eslint-disable-next-line no-empty-pattern
  lab: async ({}, use) => {
    await use(createLab());
  },
});

/** The labels of a stored record, for compact comparisons. */
export function labelsOf(r: RecordRow) {
  return {
    bias: r.bias,
    toxicity: r.toxicity,
    sentiment: r.sentiment,
    harm: r.harm,
    gold: r.annotation_gold,
    derived: r.annotation_derived,
    strict: r.annotation_strict,
    disagrees: r.disagrees,
  };
}
