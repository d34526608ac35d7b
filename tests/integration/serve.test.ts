import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { createHttpApp, startServer, type RunningServer } from '../../src/main/transports/http';
import { tempDir } from '../helpers';
import { assertBuilt, startServe } from './cli-helpers';

const TOKEN = 'test-token-0123456789';

describe('serve mode over HTTP (in process)', () => {
  let core: Core;
  let app: ReturnType<typeof createHttpApp>;
  const auth = { authorization: `Bearer ${TOKEN}` };
  const post = (method: string, body: unknown, headers: Record<string, string> = auth) =>
    app.request(`/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    core = await createCore({ home: tempDir(), checkOutputs: true });
    app = createHttpApp(core, { token: TOKEN });
  });
  afterAll(() => core.close());

  it('answers 401 to a request without the token, and to a wrong one', async () => {
    expect((await post('datasets.list', {}, {})).status).toBe(401);
    expect((await post('datasets.list', {}, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await app.request('/api/events')).status).toBe(401);
    expect((await app.request('/')).status).toBe(401);
  });

  it('keeps /api/health open', async () => {
    const r = await app.request('/api/health');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true });
  });

  it('serves a call with the bearer token', async () => {
    const r = await post('datasets.list', {});
    expect(r.status).toBe(200);
    const body = (await r.json()) as { ok: true; result: { datasets: { name: string }[] } };
    expect(body.result.datasets.map((d) => d.name)).toContain('cmd-demo');
  });

  it('trades ?token= on the page URL for an HttpOnly cookie that then authorises calls', async () => {
    const r = await app.request(`/?token=${TOKEN}`);
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/');
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const call = await post('datasets.list', {}, { cookie: cookie.split(';')[0]! });
    expect(call.status).toBe(200);
  });

  it('rejects invalid input with 400 and the field at fault', async () => {
    const r = await post('datasets.split', { dataset: 'cmd-demo', seed: 'seven' });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { ok: false; error: { kind: string; issues: { path: string }[] } };
    expect(body.error.kind).toBe('invalid-input');
    expect(body.error.issues.map((i) => i.path)).toContain('seed');
  });

  it('answers an unknown method with 404 and bad JSON with 400', async () => {
    expect((await post('datasets.nope', {})).status).toBe(404);
    const bad = await app.request('/api/datasets.list', { method: 'POST', headers: auth, body: '{nope' });
    expect(bad.status).toBe(400);
  });

  it('refuses a JSON body over the size limit', async () => {
    const r = await app.request('/api/datasets.list', {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
    });
    expect(r.status).toBe(400);
  });
});

describe('serve mode over a real socket', () => {
  let core: Core;
  let server: RunningServer;
  beforeAll(async () => {
    core = await createCore({ home: tempDir(), checkOutputs: true });
    server = await startServer(core, { host: '127.0.0.1', port: 0, token: TOKEN });
  });
  afterAll(async () => {
    await server.close();
    await core.close();
  });

  it('imports an uploaded file and streams the job to /api/events', async () => {
    const origin = new URL(server.url).origin;
    const headers = { authorization: `Bearer ${TOKEN}` };
    const events = await fetch(`${origin}/api/events`, { headers });
    expect(events.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = events.body!.getReader();

    const csv =
      'biased_text,dimension,biased_words,aspect,label,debiased_text\n"Old people cannot learn new tricks.",ageism,[\'old people\'],Age,Highly Biased,"People of every age can learn new skills."\n';
    const up = await fetch(`${origin}/api/uploads?name=${encodeURIComponent('tiny.csv')}`, {
      method: 'POST',
      headers,
      body: csv,
    });
    const { result: upload } = (await up.json()) as { result: { uploadId: string; bytes: number } };
    expect(upload.bytes).toBe(Buffer.byteLength(csv));

    const started = await fetch(`${origin}/api/datasets.import`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ dataset: 'uploaded', source: { kind: 'upload', uploadId: upload.uploadId } }),
    });
    const { result } = (await started.json()) as { result: { job: { id: number } } };

    let text = '';
    const decoder = new TextDecoder();
    while (!/"state":"succeeded"/.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`event stream ended: ${text}`);
      text += decoder.decode(value);
    }
    await reader.cancel();
    const finished = text
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)))
      .find((e) => e.job?.state === 'succeeded');
    expect(finished.job.id).toBe(result.job.id);
    expect(finished.job.result).toMatchObject({ imported: 1, rejected: 0 });
  });

  it('downloads an export by file name, and nothing outside the exports folder', async () => {
    const origin = new URL(server.url).origin;
    const headers = { authorization: `Bearer ${TOKEN}` };
    const r = await fetch(`${origin}/api/datasets.export`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ dataset: 'cmd-demo', split: 'train', format: 'jsonl' }),
    });
    const { result } = (await r.json()) as { result: { fileName: string; path: string } };
    const dl = await fetch(`${origin}/api/exports/${encodeURIComponent(result.fileName)}`, { headers });
    expect(dl.status).toBe(200);
    expect(await dl.text()).toBe(fs.readFileSync(result.path, 'utf8'));
    const escape = await fetch(`${origin}/api/exports/${encodeURIComponent('../srlab.sqlite')}`, { headers });
    expect(escape.status).toBe(404);
    expect(path.dirname(result.path)).toBe(core.paths.exports);
  });
});

describe('srlab serve (the command)', () => {
  beforeAll(assertBuilt);

  it('prints {url, token} once ready, serves the UI with the token and 401 without', async () => {
    const serve = await startServe(tempDir());
    try {
      expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
      expect((await fetch(`${serve.origin}/api/datasets.list`, { method: 'POST' })).status).toBe(401);
      const ok = await fetch(`${serve.origin}/api/datasets.list`, {
        method: 'POST',
        headers: { authorization: `Bearer ${serve.token}` },
      });
      expect(ok.status).toBe(200);
      const page = await fetch(`${serve.origin}/`, { headers: { authorization: `Bearer ${serve.token}` } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root"');
    } finally {
      await serve.stop();
    }
  });
});
