// jobs.wait: how the CLI (and any face) follows a job to its end through the contract. It answers
// the final job with its result, keeps the error kind a job failed with (a strict import's bad
// row is invalid-input: exit 2), answers a still-running job at its timeout, and follows jobs of
// another process through the database.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { ApiError } from '../../../src/shared/contract';
import { tempDir } from '../../helpers';
import { jobsFixture } from './jobs-fixture';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('jobs.wait (the service)', () => {
  it('answers the succeeded job with its result', async () => {
    const { jobs } = jobsFixture();
    const started = jobs.start({ kind: 'import', title: 't', params: null, unit: 'rows', run: async () => ({ n: 7 }) });
    const end = await jobs.wait(started.job.id, 5000);
    expect(end).toMatchObject({ job: { state: 'succeeded', result: { n: 7 } }, error: null });
  });

  it('keeps the kind of the error the job failed with, also when asked after the job ended', async () => {
    const { jobs } = jobsFixture();
    const started = jobs.start({
      kind: 'import',
      title: 't',
      params: null,
      unit: 'rows',
      run: async () => {
        throw new ApiError('invalid-input', 'row 2: no text', [{ path: 'line 2', message: 'no text' }]);
      },
    });
    await started.done.catch(() => undefined);
    await jobs.idle();
    const end = await jobs.wait(started.job.id, 5000);
    expect(end.job.state).toBe('failed');
    expect(end.error).toEqual({
      kind: 'invalid-input',
      message: 'row 2: no text',
      issues: [{ path: 'line 2', message: 'no text' }],
    });
  });

  it('answers a job cancelled while running as cancelled, whatever its work threw', async () => {
    const { jobs } = jobsFixture();
    const running = gate();
    const started = jobs.start({
      kind: 'import',
      title: 't',
      params: null,
      unit: 'rows',
      run: (ctx) =>
        new Promise((_, reject) => {
          running.open();
          ctx.signal.addEventListener('abort', () => reject(new Error('stream destroyed')));
        }),
    });
    await running.opened;
    const waiting = jobs.wait(started.job.id, 5000);
    jobs.cancel(started.job.id);
    const end = await waiting;
    expect(end.job.state).toBe('cancelled');
    expect(end.error).toMatchObject({ kind: 'cancelled' });
  });

  it('answers a running job at its timeout, without an error', async () => {
    const { jobs } = jobsFixture();
    const release = gate();
    const started = jobs.start({
      kind: 'import',
      title: 't',
      params: null,
      unit: 'rows',
      run: () => release.opened.then(() => 1),
    });
    const t0 = Date.now();
    const end = await jobs.wait(started.job.id, 150);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(end).toMatchObject({ job: { state: 'running' }, error: null });
    release.open();
    expect((await jobs.wait(started.job.id, 5000)).job.state).toBe('succeeded');
  });

  it("follows another process's job through the database to its end", async () => {
    const a = jobsFixture();
    const b = jobsFixture(a.file); // another service on the same data home: it knows the job only from the database
    const release = gate();
    const started = a.jobs.start({
      kind: 'import',
      title: 't',
      params: null,
      unit: 'rows',
      run: () => release.opened.then(() => ({ done: true })),
    });
    // The running state is written at once; the result only when the job ends.
    const early = await b.jobs.wait(started.job.id, 100);
    expect(early.job.state).toBe('running');
    setTimeout(release.open, 100);
    const end = await b.jobs.wait(started.job.id, 5000);
    expect(end).toMatchObject({ job: { state: 'succeeded', result: { done: true } }, error: null });
  });
});

describe('jobs.wait (the contract)', () => {
  let core: Core;
  beforeAll(async () => {
    core = await createCore({ home: tempDir(), loadDemo: false, checkOutputs: true });
  });
  afterAll(() => core.close());

  it("answers an import's result through core.call, checked against the contract", async () => {
    const file = path.join(tempDir(), 'one.jsonl');
    (await import('node:fs')).writeFileSync(file, '{"Original Sentence": "Some text here."}\n');
    const { job } = await core.invoke('datasets.import', { dataset: 'one', source: { kind: 'path', path: file } });
    const end = await core.invoke('jobs.wait', { id: job.id });
    expect(end.error).toBeNull();
    expect(end.job.result).toMatchObject({ dataset: 'one', imported: 1 });
  });

  it('refuses a timeout over a minute and a negative one', async () => {
    for (const timeoutMs of [60_001, -1]) {
      const r = await core.call('jobs.wait', { id: 1, timeoutMs });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ kind: 'invalid-input', issues: [{ path: 'timeoutMs' }] });
    }
  });
});
