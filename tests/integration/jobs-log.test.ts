// jobs.log over the faces: serve mode's HTTP API (in process) with job-log events on /api/events,
// and the real `srlab` CLI reading the log a failed `srlab worker setup` left in the database.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { createHttpApp } from '../../src/main/transports/http';
import { tempDir } from '../helpers';
import { assertBuilt, srlab } from './cli-helpers';

const TOKEN = 'test-token-0123456789';

describe('jobs.log in serve mode (HTTP, in process)', () => {
  let core: Core;
  let app: ReturnType<typeof createHttpApp>;
  const auth = { authorization: `Bearer ${TOKEN}` };
  const post = (method: string, body: unknown) =>
    app.request(`/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    core = await createCore({ home: tempDir(), checkOutputs: true });
    app = createHttpApp(core, { token: TOKEN });
  });
  afterAll(() => core.close());

  it('streams job-log events and serves the tail, paged with after', async () => {
    const events = await app.request('/api/events', { headers: auth });
    const reader = events.body!.getReader();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const started = core.jobs.start({
      kind: 'worker-setup',
      title: 'logs',
      params: null,
      unit: 'steps',
      run: async (ctx) => {
        ctx.log('Collecting torch');
        ctx.log('WARNING: slow mirror', 'warn');
        ctx.log('Installing collected packages: torch');
        await gate;
        return null;
      },
    });
    const id = started.job.id;

    // The lines arrive as one batched event.
    let text = '';
    const decoder = new TextDecoder();
    while (!text.includes('"job-log"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    await reader.cancel();
    const data = text
      .split('\n')
      .filter((l) => l.startsWith('data:') && l.includes('"job-log"'))
      .map((l) => JSON.parse(l.slice(5)) as { jobId: number; lines: { seq: number; text: string }[] });
    expect(data[0]!.jobId).toBe(id);
    expect(data[0]!.lines.map((l) => l.text)).toEqual([
      'Collecting torch',
      'WARNING: slow mirror',
      'Installing collected packages: torch',
    ]);

    const all = (await (await post('jobs.log', { id })).json()) as {
      ok: true;
      result: { lines: { seq: number; level: string; text: string; at: string }[]; truncatedBefore?: boolean };
    };
    expect(all.result.lines.map((l) => [l.seq, l.level])).toEqual([
      [1, 'info'],
      [2, 'warn'],
      [3, 'info'],
    ]);
    expect(all.result.truncatedBefore).toBeUndefined();
    const after = (await (await post('jobs.log', { id, after: 2 })).json()) as { result: { lines: { seq: number }[] } };
    expect(after.result.lines.map((l) => l.seq)).toEqual([3]);
    release();
    await started.done;
  });

  it('rejects a bad `after` with 400 and an unknown job with not-found', async () => {
    const bad = await post('jobs.log', { id: 1, after: -1 });
    expect(bad.status).toBe(400);
    const missing = await post('jobs.log', { id: 99_999 });
    const body = (await missing.json()) as { ok: false; error: { kind: string } };
    expect(body.error.kind).toBe('not-found');
  });
});

describe('srlab jobs log (the built CLI, another process)', () => {
  beforeAll(() => assertBuilt());

  it('prints the log a failed worker setup left, as JSON and as text', () => {
    const home = tempDir();
    const missing = path.join(home, 'no-such-python');
    const setup = srlab(['worker', 'setup', '--cpu', '--python', missing, '--json'], { home });
    expect(setup.code).toBe(1);
    expect(setup.json.error.message).toContain('cannot run');

    const list = srlab(['jobs', '--json'], { home });
    const job = (list.json.jobs as { id: number; kind: string; state: string }[]).find(
      (j) => j.kind === 'worker-setup',
    )!;
    expect(job.state).toBe('failed');

    const log = srlab(['jobs', 'log', String(job.id), '--json'], { home });
    expect(log.code).toBe(0);
    const texts = (log.json.lines as { text: string; level: string }[]).map((l) => l.text);
    expect(texts[0]).toContain(`$ ${missing} -c`);
    expect(texts.at(-1)).toContain(`failed: cannot run ${missing}`);

    const followed = srlab(['jobs', 'log', String(job.id), '--follow', '--json'], { home });
    expect(followed.json.job.state).toBe('failed');
    expect(followed.json.lines).toEqual(log.json.lines);

    const human = srlab(['jobs', 'log', String(job.id)], { home });
    expect(human.stdout).toContain('ERROR failed: cannot run');

    const bad = srlab(['jobs', 'log', 'abc', '--json'], { home });
    expect(bad.code).toBe(2);
  });
});
