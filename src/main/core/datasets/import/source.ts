// Reading an import file in chunks into one growable buffer.
//
// The buffer holds the bytes of the record being parsed plus what has been read after it; the
// bytes of records already handled are dropped (`compact`) before the next read, so memory stays
// bounded by the chunk size and the largest single record, never by the file size. A record that
// spans many chunks (a 10 MB text field) grows the buffer by doubling, and parsers resume where
// they stopped, so its cost stays linear. The next chunk is read while the current one is parsed.
import fs from 'node:fs';
import { ApiError } from '../../../../shared/contract';

export const DEFAULT_CHUNK_BYTES = 1 << 20;

/** Open `file` for reading, turning the usual problems into messages that name `shownName`. */
export async function openSource(
  file: string,
  shownName: string,
): Promise<{ fh: fs.promises.FileHandle; size: number }> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'r');
  } catch (e) {
    throw new ApiError('invalid-input', `${shownName}: ${describeFsError(e)}`);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new ApiError('invalid-input', `${shownName} is a folder, not a file`);
    if (!st.isFile()) throw new ApiError('invalid-input', `${shownName} is not a regular file`);
    if (st.size === 0)
      throw new ApiError('invalid-input', `${shownName} is empty (0 bytes): there is nothing to import`);
    return { fh, size: st.size };
  } catch (e) {
    await fh.close();
    if (e instanceof ApiError) throw e;
    throw new ApiError('invalid-input', `${shownName}: ${describeFsError(e)}`);
  }
}

export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    case 'EISDIR':
      return 'is a folder, not a file';
    default:
      return `cannot be read (${(e as Error).message})`;
  }
}

export class ChunkSource {
  /** Parse buffer: bytes [0, len) are valid. */
  buf: Buffer;
  len = 0;
  /** Bytes of the file read so far. */
  readBytes = 0;
  eof = false;
  private readonly spare: Buffer;
  private pending: Promise<number> | null = null;

  constructor(
    private readonly fh: fs.promises.FileHandle,
    readonly size: number,
    readonly chunkBytes = DEFAULT_CHUNK_BYTES,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(chunkBytes * 2, 64));
    this.spare = Buffer.allocUnsafe(chunkBytes);
    this.startRead();
  }

  private startRead(): void {
    this.pending = this.fh.read(this.spare, 0, this.chunkBytes, null).then((r) => r.bytesRead);
  }

  /** The valid bytes as a view (so searches like indexOf stop at the end of what was read). */
  view(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  /** Drop bytes [0, keepFrom): they belong to records already handled. */
  compact(keepFrom: number): void {
    if (keepFrom <= 0) return;
    this.buf.copyWithin(0, keepFrom, this.len);
    this.len -= keepFrom;
  }

  /** Append the next chunk (waiting for the read started earlier) and start reading the one after. */
  async fill(): Promise<void> {
    if (this.eof || !this.pending) return;
    const n = await this.pending;
    this.pending = null;
    if (n === 0) {
      this.eof = true;
      return;
    }
    if (this.buf.length - this.len < n) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
      this.buf.copy(grown, 0, 0, this.len);
      this.buf = grown;
    }
    this.spare.copy(this.buf, this.len, 0, n);
    this.len += n;
    this.readBytes += n;
    this.startRead();
  }

  /** Wait for an outstanding read so the file handle can be closed safely. */
  async settle(): Promise<void> {
    if (this.pending) await this.pending.catch(() => 0);
    this.pending = null;
  }
}

/**
 * The end of the longest prefix of `buf[from, len)` that does not stop inside a UTF-8 sequence
 * (so `isUtf8` can check it now and the rest with the next chunk).
 */
export function utf8SafeEnd(buf: Buffer, from: number, len: number): number {
  for (let i = len - 1, back = 0; i >= from && back < 4; i--, back++) {
    const b = buf[i]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for its lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return back + 1 >= need ? len : i;
  }
  return len;
}
