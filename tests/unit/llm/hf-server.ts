// A small stand-in for the Hugging Face Hub, started inside a test: /OWNER/REPO/resolve/REV/FILE
// redirects to a CDN path with the LFS sha256 and size in x-linked-etag / x-linked-size, as the
// Hub does; the CDN path honours Range and can drop the connection mid-file or trickle bytes.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  body: Buffer;
  /** Announce this sha256 instead of the real one (to test checksum failures). */
  announcedSha256?: string;
  /** Destroy the socket after this many bytes, on the first full (non-Range) request only. */
  cutAfter?: number;
  /** Send in 16 kB chunks, this many ms apart. */
  trickleMs?: number;
  status?: number;
}

export interface HubServer {
  url: string;
  requests: { method: string; path: string; range: string | null; authorization: string | null }[];
  close(): Promise<void>;
}

export async function startHub(files: Record<string, ServedFile>): Promise<HubServer> {
  const requests: HubServer['requests'] = [];
  const cut = new Set<string>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      range: req.headers.range ?? null,
      authorization: req.headers.authorization ?? null,
    });
    const resolve = /^\/([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (resolve) {
      const f = files[resolve[4]!];
      if (!f) return res.writeHead(404).end('Entry not found');
      if (f.status) return res.writeHead(f.status).end('Access to this model is restricted');
      const sha = f.announcedSha256 ?? createHash('sha256').update(f.body).digest('hex');
      res.writeHead(302, {
        location: `/cdn/${resolve[4]}`,
        'x-linked-etag': `"${sha}"`,
        'x-linked-size': String(f.body.length),
      });
      return res.end();
    }
    const cdn = /^\/cdn\/(.+)$/.exec(url.pathname);
    const f = cdn ? files[cdn[1]!] : undefined;
    if (!cdn || !f) return res.writeHead(404).end();
    const total = f.body.length;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (start >= total) return res.writeHead(416, { 'content-range': `bytes */${total}` }).end();
    const headers = {
      'content-length': String(total - start),
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
    };
    if (req.method === 'HEAD') return res.writeHead(200, headers).end();
    res.writeHead(
      range ? 206 : 200,
      range ? { ...headers, 'content-range': `bytes ${start}-${total - 1}/${total}` } : headers,
    );
    const body = f.body.subarray(start);
    if (f.cutAfter !== undefined && !range && !cut.has(cdn[1]!)) {
      cut.add(cdn[1]!);
      res.write(body.subarray(0, f.cutAfter), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    if (!f.trickleMs) return res.end(body);
    let at = 0;
    const tick = () => {
      if (res.destroyed) return;
      if (at >= body.length) return res.end();
      res.write(body.subarray(at, at + 16_384));
      at += 16_384;
      setTimeout(tick, f.trickleMs);
    };
    tick();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
