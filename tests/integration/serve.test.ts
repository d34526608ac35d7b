import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { tokenCookieName } from '../../src/main/transports/auth';
import { createHttpApp, startServer, type RunningServer } from '../../src/main/transports/http';
import { TOKEN_FORM_PATH } from '../../src/main/transports/token-page';
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
    const bad = await app.request('/api/datasets.list', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(bad.status).toBe(400);
  });

  it('refuses a JSON body over the size limit', async () => {
    const r = await app.request('/api/datasets.list', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
    });
    expect(r.status).toBe(413);
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
      headers: { ...headers, 'content-type': 'application/octet-stream' },
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
        headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
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

/** A token of the same length as TOKEN that differs in its last character only. */
const SAME_LENGTH = TOKEN.slice(0, -1) + (TOKEN.endsWith('x') ? 'y' : 'x');

describe('serve auth over a real socket', () => {
  let core: Core;
  let server: RunningServer;
  let origin = '';
  const bearer = { authorization: `Bearer ${TOKEN}` };
  const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
  const get = (p: string, headers: Record<string, string> = {}) =>
    fetch(`${origin}${p}`, { headers, redirect: 'manual' });
  const postForm = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${origin}${TOKEN_FORM_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
  const list = (headers: Record<string, string>) =>
    fetch(`${origin}/api/datasets.list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
    });
  // The session cookie's name carries the port (cookies are not port-scoped).
  let TOKEN_COOKIE = '';

  beforeAll(async () => {
    core = await createCore({ home: tempDir(), checkOutputs: true });
    server = await startServer(core, { host: '127.0.0.1', port: 0, token: TOKEN });
    origin = new URL(server.url).origin;
    TOKEN_COOKIE = tokenCookieName(server.port);
  });
  afterAll(async () => {
    await server.close();
    await core.close();
  });

  it('refuses a wrong bearer token of the same length, a wrong cookie and a wrong ?token=', async () => {
    expect(SAME_LENGTH).toHaveLength(TOKEN.length);
    expect((await list(bearer)).status).toBe(200); // the control: the right token passes
    expect((await list({ authorization: `Bearer ${SAME_LENGTH}` })).status).toBe(401);
    expect((await list({ cookie: `${TOKEN_COOKIE}=${TOKEN}` })).status).toBe(200);
    expect((await list({ cookie: `${TOKEN_COOKIE}=${SAME_LENGTH}` })).status).toBe(401);
    expect((await list({ cookie: `${TOKEN_COOKIE}=` })).status).toBe(401);
    const wrongQuery = await get(`/?token=${SAME_LENGTH}`);
    expect(wrongQuery.status).toBe(401);
    expect(wrongQuery.headers.get('set-cookie')).toBeNull();
    // The token never authorises an API call through the query string.
    expect((await fetch(`${origin}/api/datasets.list?token=${TOKEN}`, { method: 'POST' })).status).toBe(401);
  });

  it('refuses /api/uploads and /api/exports/… without the token, and stores nothing', async () => {
    const up = await fetch(`${origin}/api/uploads?name=x.csv`, { method: 'POST', body: 'text\nhello\n' });
    expect(up.status).toBe(401);
    expect(((await up.json()) as { error: { kind: string } }).error.kind).toBe('unauthorized');
    expect(fs.existsSync(core.paths.uploads) ? fs.readdirSync(core.paths.uploads) : []).toEqual([]);
    const wrongUp = await fetch(`${origin}/api/uploads?name=x.csv`, {
      method: 'POST',
      headers: { cookie: `${TOKEN_COOKIE}=${SAME_LENGTH}` },
      body: 'text\nhello\n',
    });
    expect(wrongUp.status).toBe(401);

    // A real export exists; only the token opens it.
    const r = await fetch(`${origin}/api/datasets.export`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ dataset: 'cmd-demo', split: 'train', format: 'jsonl' }),
    });
    const { result } = (await r.json()) as { result: { fileName: string } };
    const file = `/api/exports/${encodeURIComponent(result.fileName)}`;
    expect((await get(file, bearer)).status).toBe(200);
    const refused: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${SAME_LENGTH}` },
      { cookie: `${TOKEN_COOKIE}=${SAME_LENGTH}` },
    ];
    for (const headers of refused) {
      const dl = await get(file, headers);
      expect(dl.status).toBe(401);
      expect(await dl.text()).not.toContain('Rewrite');
    }
  });

  it('shows a browser without the token a static page that explains it and takes it', async () => {
    const page = await get('/datasets', html);
    expect(page.status).toBe(401);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const body = await page.text();
    expect(body).toContain('srlab serve');
    expect(body).toContain('npm start');
    expect(body).toContain(`Open: ${origin}/?token=`); // this server's own address, not a fixed port
    expect(body).toMatch(new RegExp(`<form method="post" action="${TOKEN_FORM_PATH}">`));
    expect(body).toContain('<input type="hidden" name="next" value="/datasets">');
    expect(body).not.toMatch(/<script|\son\w+=/i); // static: no script, no inline handlers
    // Its CSP allows its one style block by hash, and nothing else but a same-origin form.
    const csp = page.headers.get('content-security-policy')!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(body)![1]!;
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/form-action 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    // A stale cookie (another server's token) gets the page saying the token is wrong.
    const stale = await (await get('/', { ...html, cookie: `${TOKEN_COOKIE}=${SAME_LENGTH}` })).text();
    expect(stale).toMatch(/not the one this server printed/);
    expect(body).not.toMatch(/not the one this server printed/);
    // Non-browser clients still get one line of text; /api/* still JSON, even asking for HTML.
    expect(await (await get('/')).text()).toMatch(/^srlab: open the URL/);
    const api = await fetch(`${origin}/api/datasets.list`, { method: 'POST', headers: html });
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toMatch(/application\/json/);
    expect(((await api.json()) as { error: { kind: string } }).error.kind).toBe('unauthorized');
  });

  it('trades a posted token, or the whole printed URL, for the cookie, and returns to the page', async () => {
    for (const pasted of [TOKEN, `  ${server.url}\n`, `http://127.0.0.1:7860/?token=${TOKEN}&x=1`]) {
      const r = await postForm({ token: pasted, next: '/datasets' });
      expect(r.status, pasted).toBe(303);
      expect(r.headers.get('location')).toBe('/datasets');
      const cookie = r.headers.get('set-cookie')!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      expect((await list({ cookie: cookie.split(';')[0]! })).status).toBe(200);
    }
  });

  it('refuses a wrong posted token with the page again, and never redirects off this server', async () => {
    const wrong = await postForm({ token: SAME_LENGTH, next: '/models' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const body = await wrong.text();
    expect(body).toMatch(/not the one this server printed/);
    expect(body).toContain('name="next" value="/models"');
    expect((await postForm({ token: `${origin}/?token=${SAME_LENGTH}` })).status).toBe(401);
    expect((await postForm({ token: '' })).status).toBe(401);
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'models'])
      expect((await postForm({ token: TOKEN, next })).headers.get('location'), next).toBe('/');
    // A body too large to be a pasted token is not read, and signs nobody in.
    const big = await postForm({ token: TOKEN, pad: 'x'.repeat(20_000) });
    expect(big.status).toBe(413);
    expect(big.headers.get('set-cookie')).toBeNull();
  });

  it('escapes the path it echoes into the page', async () => {
    const body = await (await get('/%22%3E%3Cscript%3Ealert(1)%3C/script%3E', html)).text();
    expect(body).not.toContain('<script>');
  });
});

/** Whether a TCP connection to host:port is accepted (true) or refused/unreachable (false). */
function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

// 127.0.0.2 reaches this machine's loopback interface on Linux (all of 127/8 is local) but is
// not 127.0.0.1: a server bound to 127.0.0.1 refuses it, one bound to every address accepts it.
describe.skipIf(process.platform !== 'linux')('srlab serve binds to loopback only', () => {
  beforeAll(assertBuilt);

  it('accepts 127.0.0.1 and refuses 127.0.0.2 with the default --host', async () => {
    const serve = await startServe(tempDir());
    try {
      const port = Number(new URL(serve.url).port);
      expect(await connects('127.0.0.1', port)).toBe(true);
      expect(await connects('127.0.0.2', port)).toBe(false);
    } finally {
      await serve.stop();
    }
  });

  it('control: a server bound to every address (0.0.0.0) is reachable at 127.0.0.2', async () => {
    const core = await createCore({ home: tempDir(), checkOutputs: true });
    const wide = await startServer(core, { host: '0.0.0.0', port: 0, token: TOKEN });
    try {
      expect(await connects('127.0.0.2', wide.port)).toBe(true);
    } finally {
      await wide.close();
      await core.close();
    }
  });
});
