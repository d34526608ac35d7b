// Serve mode's scoped access over real HTTP: evaluator tokens (created by the lab, stored hashed,
// revocable) reach only evaluator methods and the evaluator page; server paths never cross HTTP
// even with the lab token; and the edge refuses what another page in the browser can send
// (wrong body type, foreign Origin, cross-site fetch, another Host), huge bodies before buffering
// them, off-site redirects and malformed paths.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { plainHttpWarning } from '../../src/main/cli/commands/serve';
import { tokenCookieName } from '../../src/main/transports/auth';
import { startServer, type RunningServer } from '../../src/main/transports/http';
import { contractByChannel, METHODS } from '../../src/shared/api';
import { REPO_ROOT, tempDir } from '../helpers';
import { tinyModelFiles } from '../unit/llm/tiny-model';
import { assertBuilt } from './cli-helpers';

const LAB = 'access-lab-token-0123456789';
const RENDERER = path.join(REPO_ROOT, 'out', 'renderer');
/** A string only the lab's bundle has (the lab api client's sign-in message). */
const LAB_ONLY = 'Not signed in to this srlab server';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of the JSON answer freely
type Answer = { status: number; body: { ok: boolean; result?: any; error?: { kind: string; message: string } } };

describe('serve mode: evaluator tokens and the hardened edge (real HTTP)', () => {
  let core: Core;
  let server: RunningServer;
  let origin = '';
  let cookieName = '';
  const outside = tempDir('srlab-access-outside-');

  const post = async (method: string, body: unknown, headers: Record<string, string>): Promise<Answer> => {
    const r = await fetch(`${origin}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, ...headers },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as Answer['body'] };
  };
  const lab = { authorization: `Bearer ${LAB}` };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const create = async (evaluator: string, session: string) => {
    const r = await post('access.createEvaluatorToken', { evaluator, session }, lab);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.result as { token: string; id: number; path: string };
  };

  beforeAll(async () => {
    assertBuilt();
    if (!fs.existsSync(path.join(RENDERER, 'evaluator.html')))
      throw new Error('the renderer is not built: npm run build');
    core = await createCore({ home: tempDir(), checkOutputs: true, runtime: { gpu: false } });
    server = await startServer(core, { host: '127.0.0.1', port: 0, token: LAB, rendererDir: RENDERER });
    origin = `http://127.0.0.1:${server.port}`;
    cookieName = tokenCookieName(server.port);
  });
  afterAll(async () => {
    await server?.close();
    await core?.close();
  });

  it('creates an evaluator token shown once and stored only as its sha256', async () => {
    const made = await create('rater-7', 'pilot-1');
    expect(made.token).toMatch(/^srev_[A-Za-z0-9_-]{40,}$/);
    expect(made.path).toBe(`/evaluate?invite=${made.token}`);
    const listed = await post('access.listEvaluatorTokens', {}, lab);
    expect(listed.body.result.tokens).toContainEqual(
      expect.objectContaining({ id: made.id, evaluator: 'rater-7', session: 'pilot-1', revokedAt: null }),
    );
    expect(JSON.stringify(listed.body)).not.toContain(made.token);
    // The database: the row holds the hash, and no byte of the database files holds the token.
    const row = core.db.prepare('SELECT * FROM evaluator_tokens WHERE id = ?').get(made.id) as Record<string, unknown>;
    expect(row.token_hash).toBe(createHash('sha256').update(made.token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(made.token);
    for (const f of [core.paths.db, `${core.paths.db}-wal`].filter((p) => fs.existsSync(p)))
      expect(fs.readFileSync(f).includes(Buffer.from(made.token)), f).toBe(false);
    // Bounded names: empty, control characters and 10 kB are refused.
    for (const bad of [
      { evaluator: '  ', session: 's' },
      { evaluator: 'a\nb', session: 's' },
      { evaluator: 'e', session: 'x'.repeat(10_000) },
    ])
      expect((await post('access.createEvaluatorToken', bad, lab)).status).toBe(400);
  });

  it('answers access.whoami for an evaluator (200) and the lab', async () => {
    const { token } = await create('rater-1', 'pilot-1');
    const me = await post('access.whoami', {}, bearer(token));
    expect(me.status).toBe(200);
    expect(me.body.result).toEqual({ scope: 'evaluator', evaluator: 'rater-1', session: 'pilot-1' });
    expect((await post('access.whoami', {}, lab)).body.result).toEqual({ scope: 'lab' });
  });

  it('gives an evaluator 403 on every lab and local method', async () => {
    const { token } = await create('rater-2', 'pilot-1');
    const closed = METHODS.filter((m) => contractByChannel.get(m)!.scope !== 'evaluator');
    expect(closed.length).toBeGreaterThan(50);
    expect(closed).toContain('datasets.remove');
    expect(closed).toContain('access.createEvaluatorToken');
    for (const method of closed) {
      const r = await post(method, {}, bearer(token));
      expect(r.status, method).toBe(403);
      expect(r.body.error!.kind, method).toBe('forbidden');
    }
    // Nothing ran: the demo dataset is still there (datasets.remove was among them).
    expect(core.datasets.list().datasets.map((d) => d.name)).toContain('cmd-demo');
    // The control: the lab token reaches the same methods.
    expect((await post('datasets.list', {}, lab)).status).toBe(200);
  });

  it('gives an evaluator 403 on uploads, exports, rejects and the event stream', async () => {
    const { token } = await create('rater-3', 'pilot-1');
    const exported = await post('datasets.export', { dataset: 'cmd-demo', split: 'train', format: 'jsonl' }, lab);
    const file = `/api/exports/${encodeURIComponent(exported.body.result.fileName as string)}`;
    expect((await fetch(`${origin}${file}`, { headers: lab })).status).toBe(200); // control
    expect((await fetch(`${origin}${file}`, { headers: bearer(token) })).status).toBe(403);
    expect((await fetch(`${origin}/api/rejects/x.csv`, { headers: bearer(token) })).status).toBe(403);
    expect((await fetch(`${origin}/api/events`, { headers: bearer(token) })).status).toBe(403);
    const up = await fetch(`${origin}/api/uploads?name=x.csv`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/octet-stream', origin },
      body: 'text\nhello\n',
    });
    expect(up.status).toBe(403);
    expect(fs.existsSync(core.paths.uploads) ? fs.readdirSync(core.paths.uploads) : []).toEqual([]);
  });

  it('answers 401 to a revoked token, by bearer and by cookie; other tokens keep working', async () => {
    const gone = await create('rater-4', 'pilot-1');
    const kept = await create('rater-5', 'pilot-1');
    const traded = await fetch(`${origin}${gone.path}`, { redirect: 'manual' });
    expect(traded.status).toBe(302);
    const cookie = traded.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie.startsWith(`${cookieName}=`)).toBe(true);
    expect((await post('access.whoami', {}, { cookie })).status).toBe(200);
    // An evaluator cannot revoke (its own or another's).
    expect((await post('access.revokeEvaluatorToken', { id: kept.id }, bearer(gone.token))).status).toBe(403);
    const revoked = await post('access.revokeEvaluatorToken', { id: gone.id }, lab);
    expect(revoked.body.result.token.revokedAt).not.toBeNull();
    expect((await post('access.whoami', {}, bearer(gone.token))).status).toBe(401);
    expect((await post('access.whoami', {}, { cookie })).status).toBe(401);
    expect((await fetch(`${origin}${gone.path}`, { redirect: 'manual' })).status).toBe(401);
    expect((await post('access.whoami', {}, bearer(kept.token))).status).toBe(200);
    expect((await post('access.revokeEvaluatorToken', { id: 999_999 }, lab)).status).toBe(404);
  });

  it("serves an evaluator the evaluator page and its bundle, and 403 for the lab's page and assets", async () => {
    const { token } = await create('rater-6', 'pilot-1');
    const ev = { cookie: `${cookieName}=${token}` };
    const labCookie = { cookie: `${cookieName}=${LAB}` };
    const manifest = JSON.parse(fs.readFileSync(path.join(RENDERER, '.vite', 'manifest.json'), 'utf8')) as Record<
      string,
      { file: string; imports?: string[]; css?: string[] }
    >;
    const labJs = `/${manifest['index.html']!.file}`;
    const labCss = `/${manifest['index.html']!.css![0]!}`;
    const evJs = `/${manifest['evaluator.html']!.file}`;

    const page = await fetch(`${origin}/`, { headers: ev });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(evJs);
    expect(html).not.toContain(labJs);
    // Any client-side route is the evaluator page too; the lab's page and bundle are not.
    expect(await (await fetch(`${origin}/datasets`, { headers: ev })).text()).toBe(html);
    for (const p of ['/index.html', labJs, labCss])
      expect((await fetch(`${origin}${p}`, { headers: ev })).status, p).toBe(403);
    expect((await fetch(`${origin}${evJs}`, { headers: ev })).status).toBe(200);
    // The build manifest is not served to anyone.
    expect((await fetch(`${origin}/.vite/manifest.json`, { headers: labCookie })).status).toBe(404);

    // Every file the evaluator page loads (its chunks, transitively) is free of the lab's code;
    // the control: the lab's bundle has the string.
    const evFiles = new Set<string>();
    const visit = (key: string) => {
      const chunk = manifest[key]!;
      if (evFiles.has(chunk.file)) return;
      evFiles.add(chunk.file);
      for (const k of chunk.imports ?? []) visit(k);
    };
    visit('evaluator.html');
    for (const f of evFiles) {
      const served = await fetch(`${origin}/${f}`, { headers: ev });
      expect(served.status, f).toBe(200);
      expect(await served.text(), f).not.toContain(LAB_ONLY);
    }
    expect(fs.readFileSync(path.join(RENDERER, labJs), 'utf8')).toContain(LAB_ONLY);

    // The lab gets the lab's page and bundle.
    const labPage = await fetch(`${origin}/`, { headers: labCookie });
    expect(await labPage.text()).toContain(labJs);
    expect((await fetch(`${origin}${labJs}`, { headers: labCookie })).status).toBe(200);
  });

  it('refuses server paths over HTTP with the lab token; the same calls work in-process', async () => {
    const tiny = tinyModelFiles();
    const victim = path.join(outside, 'victim.txt');
    fs.writeFileSync(victim, 'keep me');
    const calls: [string, unknown][] = [
      ['datasets.export', { dataset: 'cmd-demo', split: 'train', format: 'jsonl', out: victim }],
      ['datasets.import', { dataset: 'passwd', source: { kind: 'path', path: '/etc/passwd' }, format: 'csv' }],
      ['models.inspect', { path: tiny.model }],
      ['worker.setup', { python: '/bin/sh', cpu: true }],
    ];
    for (const [method, input] of calls) {
      const r = await post(method, input, lab);
      expect(r.status, method).toBe(403);
      expect(r.body.error!.message, method).toMatch(/local-only/);
    }
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
    expect(core.datasets.list().datasets.map((d) => d.name)).not.toContain('passwd');
    // The negative control: a local caller (desktop, CLI) may name server paths. worker.setup is
    // left out here: run in-process it would rebuild this machine's shared worker environment.
    const local = async (method: string, input: unknown) => {
      const r = await core.call(method, input);
      expect(r.ok, `${method}: ${JSON.stringify(r)}`).toBe(true);
    };
    const out = path.join(outside, 'export.jsonl');
    await local('datasets.export', { dataset: 'cmd-demo', split: 'train', format: 'jsonl', out });
    expect(fs.statSync(out).size).toBeGreaterThan(0);
    await local('models.inspect', { path: tiny.model });
    const csv = path.join(outside, 'local.csv');
    fs.writeFileSync(csv, 'text\nhello\n');
    await local('datasets.import', { dataset: 'local-import', source: { kind: 'path', path: csv }, format: 'csv' });
  });

  it('refuses text/plain and form bodies, a foreign Origin and a cross-site fetch; runs nothing', async () => {
    const labCookie = { cookie: `${cookieName}=${LAB}` };
    const remove = (headers: Record<string, string>) =>
      fetch(`${origin}/api/datasets.remove`, {
        method: 'POST',
        headers: { ...labCookie, ...headers },
        body: JSON.stringify({ dataset: 'cmd-demo' }),
      });
    const refused: [Record<string, string>, number][] = [
      [{ 'content-type': 'text/plain' }, 415],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 415],
      [{ 'content-type': 'multipart/form-data; boundary=x' }, 415],
      [{}, 415],
      [{ 'content-type': 'application/json', origin: 'http://127.0.0.1:1' }, 403],
      [{ 'content-type': 'application/json', origin: 'null' }, 403],
      [{ 'content-type': 'application/json', 'sec-fetch-site': 'same-site' }, 403],
      [{ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, 403],
    ];
    for (const [headers, status] of refused)
      expect((await remove(headers)).status, JSON.stringify(headers)).toBe(status);
    expect(core.datasets.list().datasets.map((d) => d.name)).toContain('cmd-demo');
    // Uploads want octet-stream; a text/plain one stores nothing.
    const up = await fetch(`${origin}/api/uploads?name=x.csv`, {
      method: 'POST',
      headers: { ...labCookie, 'content-type': 'text/plain', origin },
      body: 'text\nhello\n',
    });
    expect(up.status).toBe(415);
    expect(fs.existsSync(core.paths.uploads) ? fs.readdirSync(core.paths.uploads) : []).toEqual([]);
    // The sign-in form too: posted from another origin it signs nobody in.
    const foreign: Record<string, string>[] = [{ origin: 'http://127.0.0.1:1' }, { 'sec-fetch-site': 'same-site' }];
    for (const headers of foreign) {
      const form = await fetch(`${origin}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ token: LAB, next: '/' }).toString(),
        redirect: 'manual',
      });
      expect(form.status, JSON.stringify(headers)).toBe(403);
      expect(form.headers.get('set-cookie')).toBeNull();
    }
    // The control: our own page's request (JSON, our Origin, same-origin) is served.
    const ok = await fetch(`${origin}/api/datasets.list`, {
      method: 'POST',
      headers: { ...labCookie, 'content-type': 'application/json', origin, 'sec-fetch-site': 'same-origin' },
      body: '{}',
    });
    expect(ok.status).toBe(200);
  });

  it('refuses a Host header that is not a loopback name or --host (DNS rebinding)', async () => {
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port: server.port, path: '/api/health', headers: { host } },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        req.end();
      });
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, '10.0.0.1'])
      expect(await get(host), host).toBe(403);
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`, 'localhost'])
      expect(await get(host), host).toBe(200);
  });

  it('stops reading a 400 MB chunked body at the 1 MB limit and answers 413 before the client is done', async () => {
    const rssBefore = process.memoryUsage().rss;
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const result = await new Promise<{ status: number; sentMb: number }>((resolve, reject) => {
      let sentMb = 0;
      let answered = false;
      const req = http.request({
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/api/datasets.list',
        headers: { ...lab, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        answered = true;
        res.resume();
        resolve({ status: res.statusCode!, sentMb });
        req.destroy();
      });
      req.on('error', (err) => (answered ? undefined : reject(err)));
      const pump = () => {
        while (!answered && sentMb < 400) {
          sentMb++;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
    expect(result.status).toBe(413);
    // Answered long before 400 MB went out (the socket buffers hold a few MB), and the server
    // (this process) did not grow by anything like the body.
    expect(result.sentMb).toBeLessThan(100);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
    // The sign-in form likewise: a chunked form past 8 kB is refused, nobody signed in.
    const form = await fetch(`${origin}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(`token=${LAB}&pad=${'x'.repeat(64 * 1024)}`));
          c.close();
        },
      }),
      duplex: 'half',
      redirect: 'manual',
    } as RequestInit);
    expect(form.status).toBe(413);
    expect(form.headers.get('set-cookie')).toBeNull();
  });

  it('never redirects off-site after trading ?token=, and answers a malformed path with 400', async () => {
    for (const p of ['//evil.com/', '//evil.com', '/\\evil.com/', '/%2F%2Fevil.com/']) {
      const r = await fetch(`${origin}${p}?token=${LAB}`, { redirect: 'manual' });
      expect(r.status, p).toBe(302);
      const location = r.headers.get('location')!;
      expect(new URL(location, origin).origin, `${p} → ${location}`).toBe(origin);
      expect(location.startsWith('//')).toBe(false);
    }
    // The control: an ordinary path comes back as it was.
    expect((await fetch(`${origin}/models?token=${LAB}`, { redirect: 'manual' })).headers.get('location')).toBe(
      '/models',
    );
    const malformed = await fetch(`${origin}/%E0%A4%A`, { headers: { cookie: `${cookieName}=${LAB}` } });
    expect(malformed.status).toBe(400);
  });
});

describe('a server bound to every address (--host 0.0.0.0)', () => {
  it('answers under any host name on its own port, and refuses another port in Host', async () => {
    const core = await createCore({ home: tempDir(), loadDemo: false });
    const wide = await startServer(core, { host: '0.0.0.0', port: 0, token: LAB });
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port: wide.port, path: '/api/health', headers: { host } },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await status(`gpu-box.lab.example:${wide.port}`)).toBe(200);
      expect(await status(`gpu-box.lab.example:${wide.port + 1}`)).toBe(403);
    } finally {
      await wide.close();
      await core.close();
    }
  });
});

describe('srlab serve --host warning', () => {
  it('warns that a non-loopback host carries the token in plain HTTP and suggests ssh -L', () => {
    const w = plainHttpWarning('0.0.0.0', 7860)!;
    expect(w).toMatch(/plain HTTP/);
    expect(w).toContain('ssh -L 7860:127.0.0.1:7860');
    expect(plainHttpWarning('127.0.0.1', 7860)).toBeNull();
    expect(plainHttpWarning('::1', 7860)).toBeNull();
  });
});
