import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { ApiError } from '../../../shared/contract';

/** sha256 of a file, streamed (multi-GB models never sit in memory); progress in bytes. */
export async function sha256File(
  file: string,
  opts: { signal?: AbortSignal; onProgress?: (bytes: number) => void } = {},
): Promise<string> {
  const hash = createHash('sha256');
  let done = 0;
  const stream = fs.createReadStream(file, { highWaterMark: 4 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (opts.signal?.aborted) {
      stream.destroy();
      throw new ApiError('cancelled', 'cancelled while hashing');
    }
    hash.update(chunk);
    done += chunk.length;
    opts.onProgress?.(done);
  }
  return hash.digest('hex');
}

/** Stable sha256 of a JSON value (object keys sorted), for settings and request hashes. */
export function sha256Json(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
