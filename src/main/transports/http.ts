// Serve mode: the contract over HTTP JSON + server-sent events, for a browser on a headless GPU
// server or an evaluator's laptop. Loopback by default; a random token guards every route but
// /api/health; no CORS headers, so other origins cannot read responses.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import { serve, type ServerType } from '@hono/node-server';
import { ApiError, HTTP_STATUS, type CallResult } from '../../shared/contract';
import type { Core } from '../core';
import { saveUpload } from '../core/datasets/uploads';
import { packageVersion } from '../core/resources';
import {
  MAX_TOKEN_FORM_BYTES,
  safeNext,
  TOKEN_FORM_PATH,
  TOKEN_PAGE_HEADERS,
  tokenFromPasted,
  tokenPage,
} from './token-page';

export const TOKEN_COOKIE = 'srlab_token';
/** JSON calls are small; files travel through /api/uploads instead. */
export const MAX_JSON_BYTES = 1024 * 1024;
const SSE_HEARTBEAT_MS = 15_000;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendResult(c: Context, r: CallResult<unknown>) {
  return c.json(r, r.ok ? 200 : (HTTP_STATUS[r.error.kind] as 400));
}

function fail(c: Context, err: ApiError) {
  return sendResult(c, { ok: false, error: err.toBody() });
}

export interface HttpAppOptions {
  token: string;
  /** The built renderer (out/renderer); when absent, only the API is served. */
  rendererDir?: string;
}

export function createHttpApp(core: Core, opts: HttpAppOptions): Hono {
  const app = new Hono();
  const { token } = opts;

  app.get('/api/health', (c) => c.json({ ok: true, version: packageVersion() }));

  // A browser that opens a page without the token gets the sign-in page (token-page.ts); other
  // clients get one line of text, and /api/* its JSON 401.
  const refuse = (c: Context, wrong: boolean, text: string) =>
    c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/html')
      ? c.body(
          tokenPage({ next: safeNext(c.req.path), wrong, origin: new URL(c.req.url).origin }),
          401,
          TOKEN_PAGE_HEADERS,
        )
      : c.text(text, 401);
  const signIn = (c: Context, next: string) => {
    setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
    return c.redirect(next, c.req.method === 'POST' ? 303 : 302);
  };

  // The start URL carries ?token=: trade it for an HttpOnly cookie and drop it from the address bar.
  // The sign-in page's form posts the same token (or the whole pasted URL) to TOKEN_FORM_PATH.
  app.use('*', async (c, next) => {
    const query = c.req.query('token');
    if (query !== undefined && c.req.method === 'GET' && !c.req.path.startsWith('/api/')) {
      if (!sameToken(query, token)) return refuse(c, true, 'srlab: wrong token in the URL\n');
      return signIn(c, c.req.path);
    }
    if (c.req.method === 'POST' && c.req.path === TOKEN_FORM_PATH) {
      // Unauthenticated: read a body only when it says it is small (browsers send its length).
      const length = Number(c.req.header('content-length') ?? 'NaN');
      const small = Number.isInteger(length) && length <= MAX_TOKEN_FORM_BYTES;
      const form = new URLSearchParams(small ? (await c.req.text()).slice(0, MAX_TOKEN_FORM_BYTES) : '');
      const next = safeNext(form.get('next'));
      if (!sameToken(tokenFromPasted(form.get('token') ?? ''), token))
        return c.body(tokenPage({ next, wrong: true, origin: new URL(c.req.url).origin }), 401, TOKEN_PAGE_HEADERS);
      return signIn(c, next);
    }
    const auth = c.req.header('authorization');
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    if (sameToken(bearer, token) || sameToken(getCookie(c, TOKEN_COOKIE), token)) return next();
    if (c.req.path.startsWith('/api/')) {
      const message = 'missing or wrong token: send Authorization: Bearer <token> (printed by srlab serve)';
      return fail(c, new ApiError('unauthorized', message));
    }
    // A cookie that does not match is a stale one (a restarted server has a new token): say so.
    const stale = getCookie(c, TOKEN_COOKIE) !== undefined;
    return refuse(c, stale, 'srlab: open the URL that `srlab serve` printed; it carries the access token.\n');
  });

  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      const queue: string[] = [];
      let wake: (() => void) | null = null;
      const unsubscribe = core.events.subscribe((event) => {
        queue.push(JSON.stringify(event));
        wake?.();
      });
      const heartbeat = setInterval(() => {
        queue.push('');
        wake?.();
      }, SSE_HEARTBEAT_MS);
      stream.onAbort(() => {
        clearInterval(heartbeat);
        unsubscribe();
        wake?.();
      });
      await stream.writeSSE({ event: 'ready', data: '{}' });
      while (!stream.aborted) {
        if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        for (const data of queue.splice(0)) {
          if (data === '') await stream.write(': heartbeat\n\n');
          else await stream.writeSSE({ data });
        }
      }
    }),
  );

  app.post('/api/uploads', async (c) => {
    const name = c.req.query('name');
    if (!name) return fail(c, new ApiError('invalid-input', 'give the file name: POST /api/uploads?name=<file name>'));
    const body = c.req.raw.body;
    if (!body) return fail(c, new ApiError('invalid-input', 'the upload has no body'));
    try {
      const saved = await saveUpload(core.paths, name, Readable.fromWeb(body as NodeReadableStream));
      return sendResult(c, { ok: true, result: saved });
    } catch (err) {
      return fail(
        c,
        err instanceof ApiError ? err : new ApiError('failed', err instanceof Error ? err.message : String(err)),
      );
    }
  });

  app.get('/api/exports/:name', (c) => {
    const name = path.basename(c.req.param('name'));
    const file = path.join(core.paths.exports, name);
    if (!fs.existsSync(file)) return fail(c, new ApiError('not-found', `no export ${name}`));
    const stream = Readable.toWeb(fs.createReadStream(file)) as ReadableStream;
    return c.body(stream, 200, {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="${name.replace(/"/g, '')}"`,
    });
  });

  // An import's rejects file (and its .errors.jsonl), by name: the report names it by a server
  // path the browser cannot open. Only plain files directly inside the rejects folder.
  app.get('/api/rejects/:name', (c) => {
    const name = c.req.param('name');
    const file = path.join(core.paths.rejects, name);
    const inside = name === path.basename(name) && !name.startsWith('.') && path.dirname(file) === core.paths.rejects;
    if (!inside || !fs.existsSync(file) || !fs.statSync(file).isFile())
      return fail(c, new ApiError('not-found', `no rejects file ${name}`));
    const stream = Readable.toWeb(fs.createReadStream(file)) as ReadableStream;
    return c.body(stream, 200, {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="${name.replace(/["\\\r\n]/g, '')}"`,
      'x-content-type-options': 'nosniff',
    });
  });

  app.post('/api/:method', async (c) => {
    const length = Number(c.req.header('content-length') ?? '0');
    if (length > MAX_JSON_BYTES)
      return fail(c, new ApiError('invalid-input', `request body over ${MAX_JSON_BYTES} bytes`));
    const text = await c.req.text();
    if (text.length > MAX_JSON_BYTES)
      return fail(c, new ApiError('invalid-input', `request body over ${MAX_JSON_BYTES} bytes`));
    let input: unknown = {};
    if (text.trim() !== '') {
      try {
        input = JSON.parse(text);
      } catch {
        return fail(c, new ApiError('invalid-input', 'the request body is not valid JSON'));
      }
    }
    return sendResult(c, await core.call(c.req.param('method'), input, { scope: 'lab' }));
  });

  app.all('/api/*', (c) => fail(c, new ApiError('not-found', `no route ${c.req.method} ${c.req.path}`)));

  if (opts.rendererDir) {
    const root = path.resolve(opts.rendererDir);
    app.get('*', (c) => {
      const rel = decodeURIComponent(c.req.path).replace(/^\/+/, '') || 'index.html';
      let file = path.resolve(root, rel);
      if (!file.startsWith(root + path.sep)) return c.text('not found\n', 404);
      // Unknown paths fall back to the app shell (client-side areas).
      if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
      const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
      return c.body(fs.readFileSync(file), 200, {
        'content-type': type,
        'cache-control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
        'x-content-type-options': 'nosniff',
      });
    });
  }
  return app;
}

export interface RunningServer {
  url: string;
  token: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(
  core: Core,
  opts: { host: string; port: number; rendererDir?: string; token?: string },
): Promise<RunningServer> {
  const token = opts.token ?? newToken();
  const app = createHttpApp(core, { token, ...(opts.rendererDir ? { rendererDir: opts.rendererDir } : {}) });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: opts.host, port: opts.port }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const hostInUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host;
  return {
    url: `http://${hostInUrl}:${port}/?token=${token}`,
    token,
    host: opts.host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
