// A split plans without the write lock (issue 14) yet stays all or nothing and exact: what other
// connections commit while it plans is taken into account before anything is written.
import { createHash } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/main/core/db';
import { assignSplits } from '../../../src/main/core/datasets/split';
import { PROGRESS_EVERY } from '../../../src/main/core/datasets/stats';
import { tempDir } from '../../helpers';

// Enough records for progress to be told while reading (every PROGRESS_EVERY records).
const N = 3 * PROGRESS_EVERY;

function dataset(): { db: Db; file: string; dataset: { id: number; name: string } } {
  const file = path.join(tempDir(), 'srlab.sqlite');
  const db = openDb(file);
  const id = Number(
    db.prepare("INSERT INTO datasets (name, created_at) VALUES ('cmd', '2024-01-01')").run().lastInsertRowid,
  );
  const insert = db.prepare(
    'INSERT INTO records (dataset_id, text, annotation_gold, content_hash) VALUES (?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (let i = 0; i < N; i++) insert.run(id, `text ${i}`, i % 4 ? 'Benign' : 'Unsafe', `h${i}`);
  })();
  return { db, file, dataset: { id, name: 'cmd' } };
}

/** Another connection (another thread or process), not waiting for locks. */
function other(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('busy_timeout = 0');
  return db;
}

function assignment(db: Db): string {
  const splits = db.prepare<[], string | null>('SELECT split FROM records ORDER BY id').pluck().all();
  return createHash('sha256').update(splits.join(',')).digest('hex');
}

/** Split with seed 42, running `meanwhile` on another connection at the first progress report (while reading). */
function splitWhile(t: ReturnType<typeof dataset>, meanwhile: (o: Database.Database) => void) {
  const o = other(t.file);
  let ran = false;
  try {
    const out = assignSplits(t.db, t.dataset, 42, [70, 10, 20], {
      onProgress: () => {
        if (ran) return;
        ran = true;
        meanwhile(o);
      },
    });
    expect(ran).toBe(true);
    return out;
  } finally {
    o.close();
  }
}

describe('assignSplits and other writers', () => {
  it('does not hold the write lock while it reads and hashes the records', () => {
    const t = dataset();
    let tookLock = false;
    splitWhile(t, (o) => {
      // The split before issue 14 held the lock here: this threw SQLITE_BUSY.
      o.exec('BEGIN IMMEDIATE');
      o.exec('ROLLBACK');
      tookLock = true;
    });
    expect(tookLock).toBe(true);
    expect(t.db.prepare('SELECT COUNT(*) FROM records WHERE split IS NULL').pluck().get()).toBe(0);
  });

  it('splits records edited while it read them by their new values', () => {
    const t = dataset();
    const out = splitWhile(t, (o) => {
      // Moves 1000 records from Benign to Unsafe: other strata, so another split.
      o.prepare("UPDATE records SET annotation_gold = 'Unsafe' WHERE id % 4 <> 1 AND id <= 1334").run();
    });
    const written = assignment(t.db);
    // The same split made on the edited data from the start (negative control: using the plan
    // made before the edit would write a different assignment and Unsafe 3072 + 1000 → 4072 in the answer).
    const again = assignSplits(t.db, t.dataset, 42);
    expect(out).toEqual(again);
    expect(assignment(t.db)).toBe(written);
    const unsafe = out.byStratum.Unsafe!;
    expect(unsafe.train + unsafe.dev + unsafe.test).toBe(N / 4 + 1000);
  });

  it('splits a record added while it read, and forgets one removed', () => {
    const t = dataset();
    const out = splitWhile(t, (o) => {
      o.prepare(
        "INSERT INTO records (dataset_id, text, annotation_gold, content_hash) VALUES (?, 'new', 'Unsafe', 'new')",
      ).run(t.dataset.id);
      o.prepare('DELETE FROM records WHERE id = 5').run();
    });
    expect(out.counts.train + out.counts.dev + out.counts.test).toBe(N);
    expect(t.db.prepare("SELECT split FROM records WHERE content_hash = 'new'").pluck().get()).not.toBeNull();
    const written = assignment(t.db);
    expect(assignSplits(t.db, t.dataset, 42)).toEqual(out);
    expect(assignment(t.db)).toBe(written);
  });

  it('gives the undisturbed split when another connection commits something else meanwhile', () => {
    const quiet = dataset();
    const expected = assignSplits(quiet.db, quiet.dataset, 42);
    const t = dataset();
    const out = splitWhile(t, (o) => {
      o.prepare("INSERT INTO datasets (name, created_at) VALUES ('other', '2024-01-02')").run();
    });
    expect(out).toEqual(expected);
    expect(assignment(t.db)).toBe(assignment(quiet.db));
  });

  it('writes nothing when another writer holds the lock when it comes to write', () => {
    const t = dataset();
    const o = other(t.file);
    t.db.pragma('busy_timeout = 0');
    try {
      expect(() =>
        assignSplits(t.db, t.dataset, 42, [70, 10, 20], {
          onProgress: (done, total) => {
            if (done < total / 2 && !o.inTransaction) o.exec('BEGIN IMMEDIATE');
          },
        }),
      ).toThrow(expect.objectContaining({ code: expect.stringMatching(/^SQLITE_BUSY/) }));
    } finally {
      if (o.inTransaction) o.exec('ROLLBACK');
      o.close();
    }
    expect(t.db.prepare('SELECT COUNT(*) FROM records WHERE split IS NOT NULL').pluck().get()).toBe(0);
  });
});
