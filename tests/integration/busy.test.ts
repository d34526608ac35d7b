// Busy is a state, not a crash, as the user meets it: `srlab serve` answers 503 with the message
// while another process holds the write lock and 409 naming the import for a write into the
// dataset being imported into; the CLI exits 1 with "another job is writing … try again". The
// other process is this test: a second connection's BEGIN IMMEDIATE, or a real import.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { BUSY_TIMEOUT_ENV } from '../../src/main/core/db/busy';
import { tempDir } from '../helpers';
import { writeRecords } from '../large-dataset';
import { BUSY_MESSAGE, editInput, holdWriteLock, importSmall, until, writeLockHeld } from '../unit/core/busy-fixture';
import { assertBuilt, srlab, startServe } from './cli-helpers';

const BIG = 150_000;

describe('busy and conflict answers of srlab serve and the CLI', () => {
  let home: string;
  /** This process's core: the "other process" that imports while serve and the CLI are asked to write. */
  let core: Core;
  let serve: Awaited<ReturnType<typeof startServe>>;
  let bigFile: string;

  beforeAll(async () => {
    assertBuilt();
    // Inherited by `srlab serve` and every `srlab` run: a short wait, so busy comes quickly.
    process.env[BUSY_TIMEOUT_ENV] = '300';
    home = tempDir();
    core = await createCore({ home, loadDemo: false });
    await importSmall(core, home, ['small', 'spare', 'target']);
    bigFile = path.join(home, 'big.jsonl');
    writeRecords(bigFile, BIG, 'big-');
    serve = await startServe(home);
  }, 60_000);
  afterAll(async () => {
    await serve?.stop();
    await core?.close();
    delete process.env[BUSY_TIMEOUT_ENV];
  });

  const post = async (method: string, body: unknown) => {
    const r = await fetch(`${serve.origin}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json', origin: serve.origin },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as { ok: boolean; error?: { kind: string; message: string } } };
  };
  const importBig = (dataset: string) =>
    core.datasets.startImport({ dataset, source: { kind: 'path', path: bigFile }, format: 'cmd-nested', strict: true });

  it('serve answers 503 with the message while another process holds the write lock', async () => {
    const lock = holdWriteLock(core.paths.db);
    try {
      for (const [method, input] of [
        ['datasets.editRecord', editInput(core, 'small')],
        ['datasets.remove', { dataset: 'spare' }],
        ['datasets.split', { dataset: 'small', seed: 1 }],
      ] as const) {
        const r = await post(method, input);
        expect(r.status, `${method}: ${JSON.stringify(r.body)}`).toBe(503);
        expect(r.body.error!.kind).toBe('busy');
        expect(r.body.error!.message).toMatch(BUSY_MESSAGE);
      }
    } finally {
      lock.release();
    }
    // Free again: the same write goes through.
    expect((await post('datasets.split', { dataset: 'small', seed: 1 })).status).toBe(200);
  });

  it('serve answers 409 naming the import for its dataset, 503 naming it for another', async () => {
    const started = importBig('target');
    try {
      await until(() => writeLockHeld(core.paths.db));
      const job = `job ${started.job.id}: Import big.jsonl into target`;
      const conflict = await post('datasets.remove', { dataset: 'target' });
      expect(conflict.status, JSON.stringify(conflict.body)).toBe(409);
      expect(conflict.body.error).toEqual({
        kind: 'conflict',
        message: `dataset "target" is being imported into (${job}); try again when the import ends`,
      });
      const busy = await post('datasets.remove', { dataset: 'spare' });
      expect(busy.status, JSON.stringify(busy.body)).toBe(503);
      expect(busy.body.error!.message).toMatch(BUSY_MESSAGE);
      expect(busy.body.error!.message).toContain(`(${job})`);
      expect(writeLockHeld(core.paths.db)).toBe(true); // answered while the import still wrote
    } finally {
      await started.done;
    }
  }, 60_000);

  it('the CLI exits 1 with "another job is writing … try again" while another process holds the lock', () => {
    const lock = holdWriteLock(core.paths.db);
    try {
      const removed = srlab(['remove', 'spare'], { home });
      expect(removed.code, removed.stderr).toBe(1);
      expect(removed.stderr.trim()).toBe('srlab: another job is writing to the database; try again when it ends');
      const split = srlab(['split', 'small', '--json'], { home });
      expect(split.code, split.stderr).toBe(1);
      expect(split.json.error).toMatchObject({ kind: 'busy' });
      expect(split.json.error.message).toMatch(BUSY_MESSAGE);
    } finally {
      lock.release();
    }
    const removed = srlab(['remove', 'spare'], { home });
    expect(removed.code, removed.stderr).toBe(0);
  });

  it('the CLI exits 1 with the conflict naming the import for a write into the dataset being imported into', async () => {
    const started = importBig('target');
    try {
      await until(() => writeLockHeld(core.paths.db));
      // spawnSync blocks this process, so the import (whose reading runs here) holds the lock meanwhile.
      const r = srlab(['remove', 'target'], { home });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.trim()).toBe(
        `srlab: dataset "target" is being imported into (job ${started.job.id}: Import big.jsonl into target); try again when the import ends`,
      );
    } finally {
      await started.done;
    }
  }, 60_000);
});
