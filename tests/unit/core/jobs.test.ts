import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/contract';
import { jobsFixture } from './jobs-fixture';

const setup = jobsFixture;

describe('jobs', () => {
  it('persist their final state and result', async () => {
    const { jobs, db, file } = setup();
    const started = jobs.start({
      kind: 'import',
      title: 't',
      params: { a: 1 },
      unit: 'rows',
      run: async (ctx) => {
        ctx.progress(5, 10);
        return { answer: 42 };
      },
    });
    await expect(started.done).resolves.toEqual({ answer: 42 });
    await jobs.idle();
    db.close();
    const reopened = setup(file);
    const job = reopened.jobs.get(started.job.id);
    expect(job).toMatchObject({ state: 'succeeded', result: { answer: 42 }, params: { a: 1 } });
    expect(job.progress).toMatchObject({ done: 5, total: 10, unit: 'rows' });
    expect(job.finishedAt).not.toBeNull();
  });

  it('report progress events with done/total, rate and ETA', async () => {
    const { jobs, seen } = setup();
    const started = jobs.start({
      kind: 'import',
      title: 't',
      params: null,
      unit: 'bytes',
      run: async (ctx) => {
        await new Promise((r) => setTimeout(r, 250));
        ctx.progress(50, 100);
        return null;
      },
    });
    await started.done;
    await jobs.idle();
    const states = seen.filter((e) => e.type === 'job').map((e) => (e.type === 'job' ? e.job.state : ''));
    expect(states).toEqual(['queued', 'running', 'running', 'succeeded']);
    const progress = seen.map((e) => (e.type === 'job' ? e.job.progress : null)).find((p) => p?.done === 50)!;
    expect(progress.total).toBe(100);
    expect(progress.rate).toBeGreaterThan(0);
    expect(progress.etaSeconds).toBeGreaterThan(0);
  });

  it('cancel through the abort signal and end as cancelled', async () => {
    const { jobs } = setup();
    const started = jobs.start({
      kind: 'import',
      title: 't',
      params: null,
      unit: 'rows',
      run: (ctx) =>
        new Promise((_resolve, reject) =>
          ctx.signal.addEventListener('abort', () => reject(new ApiError('cancelled', 'stopped'))),
        ),
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(jobs.get(started.job.id).state).toBe('running');
    jobs.cancel(started.job.id);
    await expect(started.done).rejects.toThrow('stopped');
    await jobs.idle();
    expect(jobs.get(started.job.id)).toMatchObject({ state: 'cancelled', error: 'cancelled by the user' });
    expect(() => jobs.cancel(started.job.id)).toThrow(/already finished/);
  });

  it('cancelled while queued never run', async () => {
    const { jobs } = setup();
    let ran = false;
    const started = jobs.start({
      kind: 'import',
      title: 't',
      params: null,
      unit: 'rows',
      run: async () => {
        ran = true;
      },
    });
    jobs.cancel(started.job.id);
    await expect(started.done).rejects.toMatchObject({ kind: 'cancelled' });
    await jobs.idle();
    expect(ran).toBe(false);
    expect(jobs.get(started.job.id).state).toBe('cancelled');
  });

  it('fail with the error message', async () => {
    const { jobs } = setup();
    const started = jobs.start({
      kind: 'import',
      title: 't',
      params: null,
      unit: 'rows',
      run: async () => {
        throw new Error('disk full');
      },
    });
    await expect(started.done).rejects.toThrow('disk full');
    await jobs.idle();
    expect(jobs.get(started.job.id)).toMatchObject({ state: 'failed', error: 'disk full' });
  });

  it('on one queue run one at a time, in order', async () => {
    const { jobs } = setup();
    const order: string[] = [];
    const job = (name: string, ms: number) =>
      jobs.start({
        kind: 'import',
        title: name,
        params: null,
        unit: 'rows',
        queue: 'q',
        run: async () => {
          order.push(`${name} start`);
          await new Promise((r) => setTimeout(r, ms));
          order.push(`${name} end`);
        },
      });
    await Promise.all([job('a', 50).done, job('b', 1).done]);
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('found running at open were interrupted, and are marked failed with that reason', () => {
    const { db, file } = setup();
    db.prepare(
      "INSERT INTO jobs (kind, title, state, params, progress, created_at) VALUES ('import', 'x', 'running', 'null', '{}', 'now')",
    ).run();
    db.close();
    const { jobs } = setup(file);
    expect(jobs.list(1)[0]).toMatchObject({
      state: 'failed',
      error: 'interrupted: srlab stopped while this job was running',
    });
  });

  it('of another live process (serve mode while a CLI command opens the same home) are left running', () => {
    const { db, file } = setup();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    try {
      const insert = db.prepare(
        "INSERT INTO jobs (kind, title, state, params, progress, created_at, owner_pid) VALUES ('import', ?, 'running', 'null', '{}', 'now', ?)",
      );
      const live = Number(insert.run('live', other.pid).lastInsertRowid);
      const gone = Number(insert.run('gone', dead).lastInsertRowid);
      db.close();
      const { jobs } = setup(file);
      expect(jobs.get(live).state).toBe('running');
      expect(jobs.get(gone)).toMatchObject({
        state: 'failed',
        error: 'interrupted: srlab stopped while this job was running',
      });
    } finally {
      other.kill();
    }
  });
});
