// The HTTP edge's checks that come before any token or work: who may address this server (Host),
// which pages may call its API (Origin, Sec-Fetch-Site, Content-Type), and how much a request may
// send (counted while reading, so a huge chunked body is refused, not buffered).
//
// Why each matters when srlab serves on 127.0.0.1: a page from another port of 127.0.0.1 is
// "same-site" to the browser, so SameSite=Strict cookies ride along with its requests. A form or
// a no-cors fetch can only send text/plain, form or multipart bodies, and the browser labels the
// request with the page's Origin and Sec-Fetch-Site; requiring JSON (or octet-stream) and our own
// origin shuts that door. A DNS-rebinding page reaches us under its own host name: the Host check
// refuses it.

/** Host names that always mean this machine (the browser sends [::1] bracketed). */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

export interface EdgeConfig {
  /** The --host the server was bound to. */
  host: string;
  /** The port it listens on, once known (port 0 picks one at listen time). */
  port: number | null;
}

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Whether the Host header names this server: a loopback name or the configured host, with our
 * port when one is given. A server bound to every interface (0.0.0.0) is reached under whatever
 * names the network gives it, so only the port is checked there.
 */
export function hostAllowed(hostHeader: string | undefined, cfg: EdgeConfig): boolean {
  if (!hostHeader) return false;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(hostHeader.trim());
  if (!m) return false;
  const name = m[1]!.toLowerCase();
  if (m[2] !== undefined && cfg.port !== null && Number(m[2]) !== cfg.port) return false;
  if (WILDCARD_HOSTS.has(cfg.host)) return true;
  return LOOPBACK_NAMES.has(name) || name === bracketed(cfg.host).toLowerCase();
}

export type EdgeRefusal = { status: 400 | 403 | 413 | 415; message: string };

/**
 * An API request's own checks (after Host): the body type it must declare (null for a request
 * without a body, e.g. a download), its Origin (when the browser sends one) equal to ours, and a
 * Sec-Fetch-Site (when sent) that says the request came from our own pages or the address bar.
 */
export function apiRequestRefusal(
  req: { method: string; header(name: string): string | undefined },
  ownOrigin: string,
  bodyType: 'application/json' | 'application/octet-stream' | null,
): EdgeRefusal | null {
  const origin = req.header('origin');
  if (origin !== undefined && origin !== ownOrigin)
    return { status: 403, message: `cross-origin request refused (Origin ${origin} is not ${ownOrigin})` };
  const site = req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return { status: 403, message: `cross-site request refused (Sec-Fetch-Site: ${site})` };
  if (bodyType !== null) {
    const type = (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== bodyType) return { status: 415, message: `send Content-Type: ${bodyType} (got ${type || 'none'})` };
  }
  return null;
}

export type LimitedBody = { ok: true; bytes: Buffer } | { ok: false; tooLarge: true };

/**
 * Read a request body, at most `limit` bytes. A Content-Length over the limit is refused without
 * reading; otherwise the bytes are counted as they arrive and reading stops (the stream is
 * cancelled) as soon as they pass the limit, so a chunked body of any size costs at most `limit`.
 */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  contentLength: string | undefined,
  limit: number,
): Promise<LimitedBody> {
  if (contentLength !== undefined && Number(contentLength) > limit) {
    await body?.cancel().catch(() => undefined);
    return { ok: false, tooLarge: true };
  }
  if (!body) return { ok: true, bytes: Buffer.alloc(0) };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, tooLarge: true };
    }
    chunks.push(value);
  }
  return { ok: true, bytes: Buffer.concat(chunks, total) };
}
