// Busy is a state, not a crash. While another connection holds SQLite's write lock (an import's
// one long transaction, or a second process), writes through core.call wait for it without
// stalling the event loop, and if it is still held they answer `busy` naming the writer — never
// `failed` with SQLite's "database is locked". A write into the dataset being imported into is
// refused at once as a `conflict`.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { BUSY_TIMEOUT_ENV } from '../../../src/main/core/db/busy';
import { tempDir } from '../../helpers';
import { writeRecords } from '../../large-dataset';
import { BUSY_MESSAGE, editInput, holdWriteLock, importSmall, until, writeLockHeld } from './busy-fixture';

/** Big enough that the import holds the lock for a few seconds. */
const BIG = 150_000;
const setWait = (ms: number) => (process.env[BUSY_TIMEOUT_ENV] = String(ms));

describe('writes while another connection holds the write lock', () => {
  let core: Core;
  let home: string;
  let bigFile: string;

  beforeAll(async () => {
    setWait(300); // also the connection's own busy_timeout, read at open
    home = tempDir();
    core = await createCore({ home, loadDemo: false, checkOutputs: true });
    await importSmall(core, home, ['small', 'other', 'target', 'spare']);
    bigFile = path.join(home, 'big.jsonl');
    writeRecords(bigFile, BIG, 'big-');
  }, 60_000);
  afterEach(() => setWait(300));
  afterAll(async () => {
    await core.close();
    delete process.env[BUSY_TIMEOUT_ENV];
  });

  const importBig = (dataset: string) =>
    core.datasets.startImport({ dataset, source: { kind: 'path', path: bigFile }, format: 'cmd-nested', strict: true });
  const count = (dataset: string) =>
    core.db
      .prepare<[string], number>(
        'SELECT COUNT(*) FROM records r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = ?',
      )
      .pluck()
      .get(dataset)!;

  it('answers busy (with the message, after waiting) to edit, remove and split, and to a plain write', async () => {
    const lock = holdWriteLock(core.paths.db);
    try {
      for (const [method, input] of [
        ['datasets.editRecord', editInput(core, 'small')],
        ['datasets.remove', { dataset: 'spare' }],
        ['datasets.split', { dataset: 'small', seed: 1 }],
        // Not one of the waiting writes: the mapping in core.call still makes it busy.
        ['llm.saveTemplate', { name: 'busy-test', format: 'raw', systemPrompt: '', instruction: 'Say {text}' }],
      ] as const) {
        const t0 = Date.now();
        const r = await core.call(method, input);
        expect(r, method).toMatchObject({ ok: false, error: { kind: 'busy' } });
        expect(!r.ok && r.error.message, method).toMatch(BUSY_MESSAGE);
        expect(Date.now() - t0, `${method} waited for the lock`).toBeGreaterThanOrEqual(250);
      }
    } finally {
      lock.release();
    }
    expect(core.db.prepare("SELECT 1 FROM datasets WHERE name = 'spare'").get()).toBeTruthy();
  });

  it('waits for a lock that is released in time, and then writes', async () => {
    setWait(5_000);
    const lock = holdWriteLock(core.paths.db);
    setTimeout(() => lock.release(), 300);
    const t0 = Date.now();
    // A deferred transaction that reads first would answer busy at once here, whatever the timeout.
    const edited = await core.call('datasets.editRecord', editInput(core, 'small'));
    expect(edited, JSON.stringify(edited)).toMatchObject({ ok: true });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    const lock2 = holdWriteLock(core.paths.db);
    setTimeout(() => lock2.release(), 300);
    expect(await core.call('datasets.split', { dataset: 'small', seed: 2 })).toMatchObject({ ok: true });
  });

  it('during a real import: other datasets answer busy naming the import; its own dataset a conflict at once', async () => {
    const started = importBig('target');
    await until(() => core.jobs.get(started.job.id).state === 'running' && writeLockHeld(core.paths.db));
    const job = `job ${started.job.id}: ${started.job.title}`;
    expect(started.job.title).toBe('Import big.jsonl into target');

    // A long wait: a conflict that waited for the import would show in the time (and the kind).
    setWait(60_000);
    for (const [method, input] of [
      ['datasets.editRecord', editInput(core, 'target')],
      ['datasets.remove', { dataset: 'target' }],
      ['datasets.split', { dataset: 'target', seed: 3 }],
    ] as const) {
      const t0 = Date.now();
      const r = await core.call(method, input);
      expect(r, method).toMatchObject({
        ok: false,
        error: {
          kind: 'conflict',
          message: `dataset "target" is being imported into (${job}); try again when the import ends`,
        },
      });
      expect(Date.now() - t0, `${method} is refused without waiting`).toBeLessThan(1_500);
    }
    setWait(300);
    // Together, so that all three are answered well within the import.
    const answers = await Promise.all([
      core.call('datasets.editRecord', editInput(core, 'other')),
      core.call('datasets.remove', { dataset: 'other' }),
      core.call('datasets.split', { dataset: 'other', seed: 3 }),
    ]);
    for (const r of answers) {
      expect(r).toMatchObject({ ok: false, error: { kind: 'busy' } });
      expect(!r.ok && r.error.message).toMatch(BUSY_MESSAGE);
      expect(!r.ok && r.error.message).toContain(`(${job})`);
    }
    // Still the import's lock: the answers above were given while it wrote.
    expect(writeLockHeld(core.paths.db)).toBe(true);
    const result = await started.done;
    expect(result.imported).toBe(BIG);
    expect(count('other')).toBe(40);
    // The lock is free again: the same writes go through.
    expect(await core.call('datasets.remove', { dataset: 'target' })).toMatchObject({ ok: true });
  }, 60_000);

  it('during a real import: writes to other datasets wait for it to commit and then succeed', async () => {
    setWait(60_000);
    const started = importBig('incoming');
    await until(() => core.jobs.get(started.job.id).state === 'running' && writeLockHeld(core.paths.db));
    const seen: Record<string, number> = {};
    const after = (name: string) => (r: unknown) => {
      seen[name] = count('incoming'); // what had been committed when this write was done
      return r;
    };
    const [edited, split, removed] = await Promise.all([
      core.call('datasets.editRecord', editInput(core, 'small')).then(after('edit')),
      core.call('datasets.split', { dataset: 'small', seed: 4 }).then(after('split')),
      core.call('datasets.remove', { dataset: 'other' }).then(after('remove')),
    ]);
    for (const r of [edited, split, removed]) expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
    // Each write went in after the whole import had committed: they waited, and the import was
    // not stalled by them (it runs on this thread too).
    expect(seen).toEqual({ edit: BIG, split: BIG, remove: BIG });
    expect((await started.done).imported).toBe(BIG);
  }, 60_000);
});
