import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { ApiError } from '../../../shared/contract';
import type { HomePaths } from '../paths';

/** Largest file serve mode accepts as an upload (the full CMD source collection is a few GB). */
export const MAX_UPLOAD_BYTES = 16 * 1024 ** 3;

function safeName(name: string): string {
  const base = path
    .basename(name)
    .replace(/[^\w.\- ]+/g, '_')
    .slice(0, 200);
  return base === '' || base === '.' || base === '..' ? 'upload' : base;
}

/**
 * Store a file a browser sent (it cannot give us a path) under the data home's uploads/,
 * streaming so size is bounded by disk, not memory. Returns the id `datasets.import` takes.
 */
export async function saveUpload(paths: HomePaths, name: string, body: Readable, maxBytes = MAX_UPLOAD_BYTES) {
  const uploadId = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
  const dir = path.join(paths.uploads, uploadId);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, safeName(name));
  let bytes = 0;
  body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > maxBytes) body.destroy(new ApiError('invalid-input', `upload is larger than ${maxBytes} bytes`));
  });
  try {
    await pipeline(body, fs.createWriteStream(file));
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { uploadId, name: safeName(name), bytes };
}

export function resolveUpload(paths: HomePaths, uploadId: string): { file: string; displayName: string } {
  const dir = path.join(paths.uploads, uploadId);
  const names = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  if (names.length !== 1) throw new ApiError('not-found', `no upload ${uploadId}`);
  return { file: path.join(dir, names[0]!), displayName: names[0]! };
}

/**
 * Remove an uploaded file once its import has ended (succeeded, failed or cancelled): it is a
 * copy the browser sent, and big ones would otherwise pile up in the data home. Best effort.
 */
export function removeUpload(paths: HomePaths, uploadId: string): void {
  if (!/^[A-Za-z0-9_-]+$/.test(uploadId)) return;
  fs.rmSync(path.join(paths.uploads, uploadId), { recursive: true, force: true });
}

/**
 * Remove uploads older than `maxAgeMs` (default a day): files sent but never imported (the
 * browser closed between upload and import). Younger ones may belong to an import in progress.
 */
export function removeStaleUploads(paths: HomePaths, now = Date.now(), maxAgeMs = 24 * 3600 * 1000): void {
  let names: string[];
  try {
    names = fs.readdirSync(paths.uploads);
  } catch {
    return;
  }
  for (const name of names) {
    try {
      const dir = path.join(paths.uploads, name);
      if (now - fs.statSync(dir).mtimeMs > maxAgeMs) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      /* gone already, or not ours to remove */
    }
  }
}
