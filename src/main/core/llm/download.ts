// Hugging Face downloads: hf:OWNER/REPO/FILE.gguf → https://huggingface.co/OWNER/REPO/resolve/main/FILE.
// Bytes go to FILE.part (with FILE.part.json naming what they belong to), resumed with Range
// requests after a dropped connection or a cancel, checked against the sha256 the Hub reports
// (x-linked-etag, the LFS object id), and renamed into place only when complete and verified.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { ApiError } from '../../../shared/contract';
import { HF_URI } from '../../../shared/contracts/llm';
import { humanBytes } from './format';
import { sha256File } from './hash';
import { sleep } from '../sleep';

export interface HfFile {
  owner: string;
  repo: string;
  file: string;
  revision: string;
}

export function parseHfUri(uri: string): HfFile {
  const m = HF_URI.exec(uri.trim());
  if (!m) throw new ApiError('invalid-input', `"${uri}" is not a Hugging Face file: use hf:OWNER/REPO/FILE.gguf`);
  return { owner: m[1]!, repo: m[2]!, file: m[3]!, revision: m[4] ?? 'main' };
}

/** The download URL; HF_ENDPOINT (as huggingface_hub reads it) points at a mirror. */
export function hfResolveUrl(f: HfFile, env: NodeJS.ProcessEnv = process.env): string {
  const base = (env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
  const enc = (p: string) => p.split('/').map(encodeURIComponent).join('/');
  return `${base}/${enc(f.owner)}/${enc(f.repo)}/resolve/${encodeURIComponent(f.revision)}/${enc(f.file)}`;
}

export interface DownloadOptions {
  url: string;
  dest: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number | null) => void;
  /** Extra request headers (e.g. Authorization from HF_TOKEN). Never logged. */
  headers?: Record<string, string>;
  /** Attempts after a dropped connection or a 5xx before giving up (the .part stays for later). */
  maxAttempts?: number;
  retryDelayMs?: number;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  sha256: string;
  /** The checksum the server announced, when it did (verified equal to sha256). */
  expectedSha256: string | null;
  /** Bytes already on disk from an earlier attempt when this call started. */
  resumedFrom: number;
}

interface Remote {
  size: number | null;
  etag: string | null;
  sha256: string | null;
}

const unquote = (s: string | null) => (s ? s.replace(/^W\//, '').replace(/^"|"$/g, '') : null);

function httpError(status: number, url: string): ApiError {
  if (status === 401 || status === 403) {
    return new ApiError(
      'failed',
      `${url} needs access (HTTP ${status}): for a gated model, accept its licence on huggingface.co and set HF_TOKEN or run \`srlab hf-token set\``,
    );
  }
  if (status === 404) return new ApiError('not-found', `no such file on the server (HTTP 404): ${url}`);
  return new ApiError('failed', `the server answered HTTP ${status} for ${url}`);
}

async function probe(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Remote> {
  // Not following the redirect: the Hub puts the LFS sha256 and size on the 302 itself.
  const res = await fetch(url, { method: 'HEAD', redirect: 'manual', headers, ...(signal ? { signal } : {}) });
  if (res.status >= 300 && res.status < 400) {
    const linkedSize = res.headers.get('x-linked-size');
    const etag = unquote(res.headers.get('x-linked-etag') ?? res.headers.get('etag'));
    const location = res.headers.get('location');
    let size = linkedSize ? Number(linkedSize) : null;
    if (size === null && location) {
      const next = await fetch(new URL(location, url), { method: 'HEAD', headers, ...(signal ? { signal } : {}) });
      if (next.ok) size = Number(next.headers.get('content-length') ?? NaN) || null;
    }
    return { size, etag, sha256: etag && /^[0-9a-f]{64}$/.test(etag) ? etag : null };
  }
  if (!res.ok) throw httpError(res.status, url);
  const etag = unquote(res.headers.get('x-linked-etag') ?? res.headers.get('etag'));
  const length = res.headers.get('x-linked-size') ?? res.headers.get('content-length');
  return { size: length ? Number(length) : null, etag, sha256: etag && /^[0-9a-f]{64}$/.test(etag) ? etag : null };
}

/** Download `url` to `dest`, resuming a matching `dest.part`; see the file comment. */
export async function downloadFile(opts: DownloadOptions): Promise<DownloadResult> {
  const { url, dest, signal } = opts;
  const headers = { 'user-agent': 'srlab', ...(opts.headers ?? {}) };
  const maxAttempts = opts.maxAttempts ?? 5;
  const part = `${dest}.part`;
  const meta = `${dest}.part.json`;
  fs.mkdirSync(path.dirname(dest), { recursive: true });

  const cancelled = () =>
    new ApiError(
      'cancelled',
      `download cancelled; ${humanBytes(fileSize(part))} kept in ${part}: pull again to resume`,
    );
  let remote: Remote;
  try {
    remote = await probe(url, headers, signal);
  } catch (err) {
    if (signal?.aborted) throw cancelled();
    if (err instanceof ApiError) throw err;
    throw new ApiError(
      'failed',
      `cannot reach ${new URL(url).origin}: ${err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err)}`,
    );
  }

  // A partial file is only resumed when it belongs to the same remote file.
  const identity = JSON.stringify({ url, etag: remote.etag, size: remote.size });
  const previous = fs.existsSync(meta) ? fs.readFileSync(meta, 'utf8') : null;
  if (previous !== identity) {
    fs.rmSync(part, { force: true });
    fs.writeFileSync(meta, identity);
  }
  const resumedFrom = fileSize(part);

  let attempt = 0;
  for (;;) {
    const have = fileSize(part);
    if (remote.size !== null && have === remote.size) break;
    if (remote.size !== null && have > remote.size) {
      fs.rmSync(part, { force: true });
      continue;
    }
    try {
      const res = await fetch(url, {
        headers: have > 0 ? { ...headers, range: `bytes=${have}-` } : headers,
        redirect: 'follow',
        ...(signal ? { signal } : {}),
      });
      if (res.status === 416 && remote.size === null) break;
      if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
      if (!res.ok) throw httpError(res.status, url);
      let start = 0;
      if (res.status === 206) {
        start = Number(/bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1] ?? NaN);
        if (start !== have) throw new ApiError('failed', `the server resumed at byte ${start}, not ${have}`);
      } else if (have > 0) {
        // The server ignored the Range header: start over.
        fs.truncateSync(part, 0);
      }
      if (remote.size === null) {
        const length = Number(res.headers.get('content-length') ?? NaN);
        if (Number.isFinite(length)) remote = { ...remote, size: start + length };
      }
      const fh = await fs.promises.open(part, start === 0 ? 'w' : 'a');
      let done = start;
      try {
        if (!res.body) throw new Error('empty response body');
        for await (const chunk of Readable.fromWeb(res.body as NodeReadableStream) as AsyncIterable<Buffer>) {
          await fh.write(chunk);
          done += chunk.length;
          opts.onProgress?.(done, remote.size);
        }
      } finally {
        await fh.close();
      }
      if (remote.size === null || done === remote.size) {
        if (remote.size === null) remote = { ...remote, size: done };
        break;
      }
      throw new Error(`connection closed after ${humanBytes(done)} of ${humanBytes(remote.size)}`);
    } catch (err) {
      if (signal?.aborted) throw cancelled();
      if (err instanceof ApiError) throw err;
      attempt++;
      if (attempt >= maxAttempts) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new ApiError(
          'failed',
          `download failed after ${attempt} attempts (${reason}); ${humanBytes(fileSize(part))} kept in ${part}: pull again to resume`,
        );
      }
      await sleep((opts.retryDelayMs ?? 1000) * 2 ** (attempt - 1), signal);
      if (signal?.aborted) throw cancelled();
    }
  }

  const sha256 = await sha256File(part, signal ? { signal } : {});
  if (remote.sha256 && remote.sha256 !== sha256) {
    fs.rmSync(part, { force: true });
    fs.rmSync(meta, { force: true });
    throw new ApiError(
      'failed',
      `checksum mismatch for ${url}: expected sha256 ${remote.sha256}, got ${sha256}; the damaged download was removed, pull again`,
    );
  }
  fs.renameSync(part, dest);
  fs.rmSync(meta, { force: true });
  return { path: dest, bytes: fileSize(dest), sha256, expectedSha256: remote.sha256, resumedFrom };
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
