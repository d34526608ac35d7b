// Serve mode: the contract over HTTP JSON + server-sent events, for a browser on a headless GPU
// server or an evaluator's laptop. Loopback by default; a token guards every route but
// /api/health: the lab token `srlab serve` printed, or an evaluator token the lab created (one
// evaluator, one scoring session; auth.ts). No CORS headers, so other origins cannot read
// responses; edge.ts refuses what a page on another origin can make the browser send.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import { serve, type ServerType } from '@hono/node-server';
import { ApiError, HTTP_STATUS, type CallResult, type Caller } from '../../shared/contract';
import { type Core, packageVersion, saveUpload } from '../core';
import { bearerToken, callerForToken, tokenCookieName } from './auth';
import { apiRequestRefusal, type EdgeConfig, hostAllowed, readLimited } from './edge';
import { createStaticSite } from './static-site';
import {
  MAX_TOKEN_FORM_BYTES,
  safeNext,
  TOKEN_FORM_PATH,
  TOKEN_PAGE_HEADERS,
  tokenFromPasted,
  tokenPage,
} from './token-page';

/** The cookie's name for an app without a known port (in-process tests); see tokenCookieName. */
export const TOKEN_COOKIE = tokenCookieName(null);
/** JSON calls are small; files travel through /api/uploads instead. */
export const MAX_JSON_BYTES = 1024 * 1024;
const SSE_HEARTBEAT_MS = 15_000;

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function sendResult(c: Context, r: CallResult<unknown>) {
  return c.json(r, r.ok ? 200 : (HTTP_STATUS[r.error.kind] as 400));
}

function fail(c: Context, err: ApiError) {
  return sendResult(c, { ok: false, error: err.toBody() });
}

/** A refusal with its own status (413, 415, a Host or Origin refusal), in the API's JSON shape. */
function refuseJson(c: Context, status: 400 | 403 | 413 | 415, kind: 'invalid-input' | 'forbidden', message: string) {
  // A body we stopped reading is not worth draining: close the connection after the answer.
  if (status === 413) c.header('connection', 'close');
  return c.json({ ok: false, error: { kind, message } }, status);
}

/**
 * This server as the browser addressed it (the Host header, checked first of all): the origin
 * our own pages send, and the address the sign-in page shows.
 */
function ownOrigin(c: Context): string {
  return `http://${c.req.header('host') ?? new URL(c.req.url).host}`;
}

const EVALUATOR_REFUSED = 'an evaluator token reaches only its own scoring session, not the lab';

export interface HttpAppOptions {
  token: string;
  /** The built renderer (out/renderer); when absent, only the API is served. */
  rendererDir?: string;
  /** The bound host and port (filled in at listen time); Host checks and the cookie's name use it. */
  edge?: EdgeConfig;
}

type Env = { Variables: { caller: Caller } };

export function createHttpApp(core: Core, opts: HttpAppOptions): Hono<Env> {
  const app = new Hono<Env>();
  const { token } = opts;
  const edge: EdgeConfig = opts.edge ?? { host: '127.0.0.1', port: null };
  const cookieName = () => tokenCookieName(edge.port);

  // Before anything else: the request must address this server by a name it answers to (a
  // DNS-rebinding page reaches us under its own host name).
  app.use('*', async (c, next) => {
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!hostAllowed(host, edge)) {
      const message = `srlab answers only to its loopback address or --host (Host: ${host})`;
      return c.req.path.startsWith('/api/') ? refuseJson(c, 403, 'forbidden', message) : c.text(`${message}\n`, 403);
    }
    return next();
  });

  app.get('/api/health', (c) => c.json({ ok: true, version: packageVersion() }));

  // A browser that opens a page without the token gets the sign-in page (token-page.ts); other
  // clients get one line of text, and /api/* its JSON 401.
  const refuse = (c: Context, wrong: boolean, text: string) =>
    c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/html')
      ? c.body(tokenPage({ next: safeNext(c.req.path), wrong, origin: ownOrigin(c) }), 401, TOKEN_PAGE_HEADERS)
      : c.text(text, 401);
  // The cookie carries the token itself (lab or evaluator): a revoked evaluator token stops
  // working on its next request. `next` is always a path on this server (safeNext).
  const signIn = (c: Context, presented: string, next: string) => {
    setCookie(c, cookieName(), presented, { httpOnly: true, sameSite: 'Strict', path: '/' });
    return c.redirect(safeNext(next), c.req.method === 'POST' ? 303 : 302);
  };

  // The start URL carries ?token= (the lab's) or ?invite= (an evaluator's invitation link): trade
  // it for an HttpOnly cookie and drop it from the address bar. The sign-in page's form posts the
  // same token (or the whole pasted URL) to TOKEN_FORM_PATH.
  app.use('*', async (c, next) => {
    const query = c.req.query('token') ?? c.req.query('invite');
    if (query !== undefined && c.req.method === 'GET' && !c.req.path.startsWith('/api/')) {
      if (!callerForToken(core, token, query)) return refuse(c, true, 'srlab: wrong token in the URL\n');
      return signIn(c, query, c.req.path);
    }
    if (c.req.method === 'POST' && c.req.path === TOKEN_FORM_PATH) {
      // Unauthenticated: a pasted token is short, so read at most MAX_TOKEN_FORM_BYTES of it.
      const cross = apiRequestRefusal(c.req, ownOrigin(c), null);
      if (cross) return c.text(`srlab: ${cross.message}\n`, cross.status);
      const body = await readLimited(c.req.raw.body, c.req.header('content-length'), MAX_TOKEN_FORM_BYTES);
      if (!body.ok) {
        c.header('connection', 'close');
        return c.text('srlab: that is too large to be a pasted token\n', 413);
      }
      const form = new URLSearchParams(body.bytes.toString('utf8'));
      const next = safeNext(form.get('next'));
      const pasted = tokenFromPasted(form.get('token') ?? '');
      if (!callerForToken(core, token, pasted))
        return c.body(tokenPage({ next, wrong: true, origin: ownOrigin(c) }), 401, TOKEN_PAGE_HEADERS);
      return signIn(c, pasted, next);
    }
    const caller =
      callerForToken(core, token, bearerToken(c.req.header('authorization'))) ??
      callerForToken(core, token, getCookie(c, cookieName()));
    if (caller) {
      c.set('caller', caller);
      return next();
    }
    if (c.req.path.startsWith('/api/')) {
      const message = 'missing or wrong token: send Authorization: Bearer <token> (printed by srlab serve)';
      return fail(c, new ApiError('unauthorized', message));
    }
    // A cookie that does not match is a stale one (a restarted server, a revoked token): say so.
    const stale = getCookie(c, cookieName()) !== undefined;
    return refuse(c, stale, 'srlab: open the URL that `srlab serve` printed; it carries the access token.\n');
  });

  // Every API request, signed in or not yet refused: only this server's own pages may send it
  // (Origin, Sec-Fetch-Site), and only with the body type a form or no-cors fetch cannot send.
  app.use('/api/*', async (c, next) => {
    const bodyType =
      c.req.method !== 'POST' ? null : c.req.path === '/api/uploads' ? 'application/octet-stream' : 'application/json';
    const refusal = apiRequestRefusal(c.req, ownOrigin(c), bodyType);
    if (refusal)
      return refuseJson(c, refusal.status, refusal.status === 415 ? 'invalid-input' : 'forbidden', refusal.message);
    return next();
  });

  // Lab-only routes: the event stream (it carries every dataset, job and run), files in and out.
  const labOnly = (c: Context<Env>) =>
    c.get('caller').scope === 'evaluator' ? fail(c, new ApiError('forbidden', EVALUATOR_REFUSED)) : null;

  app.get('/api/events', (c) => {
    const refused = labOnly(c);
    if (refused) return refused;
    return streamSSE(c, async (stream) => {
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
    });
  });

  app.post('/api/uploads', async (c) => {
    const refused = labOnly(c);
    if (refused) return refused;
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
    const refused = labOnly(c);
    if (refused) return refused;
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
    const refused = labOnly(c);
    if (refused) return refused;
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
    // Counted while reading: a body past the limit is refused at the limit, never buffered whole.
    const body = await readLimited(c.req.raw.body, c.req.header('content-length'), MAX_JSON_BYTES);
    if (!body.ok) return refuseJson(c, 413, 'invalid-input', `request body over ${MAX_JSON_BYTES} bytes`);
    const text = body.bytes.toString('utf8');
    let input: unknown = {};
    if (text.trim() !== '') {
      try {
        input = JSON.parse(text);
      } catch {
        return fail(c, new ApiError('invalid-input', 'the request body is not valid JSON'));
      }
    }
    // core.call checks the caller's scope: an evaluator reaches evaluator methods only, and no
    // HTTP caller reaches a local one.
    return sendResult(c, await core.call(c.req.param('method'), input, c.get('caller')));
  });

  app.all('/api/*', (c) => fail(c, new ApiError('not-found', `no route ${c.req.method} ${c.req.path}`)));

  if (opts.rendererDir) {
    const site = createStaticSite(opts.rendererDir);
    app.get('*', (c) => {
      const answer = site.answer(c.req.path, c.get('caller').scope === 'evaluator' ? 'evaluator' : 'lab');
      if (answer.status !== 200) return c.text(answer.text, answer.status);
      return c.body(fs.readFileSync(answer.file), 200, answer.headers);
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
  // The port is known once listening (port 0 picks one); the app reads it per request.
  const edge: EdgeConfig = { host: opts.host, port: null };
  const app = createHttpApp(core, { token, edge, ...(opts.rendererDir ? { rendererDir: opts.rendererDir } : {}) });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: opts.host, port: opts.port }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  edge.port = port;
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
