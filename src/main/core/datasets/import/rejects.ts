// The rejects file: rejected records byte-for-byte, in a file of the same kind as the source so
// it can be fixed and imported again (CSV: the original header line first; JSON lines: the raw
// lines; JSON array: `[` + the raw elements joined by `,\n` + `]`), and beside it
// `<rejects>.errors.jsonl` with every {line, field, message}. Both are created on the first
// rejected record, written through small buffers, and removed again if the import fails as a
// whole (nothing was imported, so there is nothing to fix).

import fs from 'node:fs';
import path from 'node:path';
import type { RowError } from '../../../../shared/contracts/datasets';
import type { Container } from './detect';

const FLUSH_BYTES = 1 << 16;

class BufferedFile {
  private parts: Buffer[] = [];
  private size = 0;

  constructor(private readonly fd: number) {}

  write(b: Buffer): void {
    this.parts.push(b);
    this.size += b.length;
    if (this.size >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    if (this.size === 0) return;
    const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    let off = 0;
    while (off < all.length) off += fs.writeSync(this.fd, all, off, all.length - off);
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

export function rejectsFileName(dataset: string, shownName: string, now: Date): string {
  const safe = (s: string) => s.replace(/[^\p{L}\p{N}._-]+/gu, '_');
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return `${safe(dataset)}-${stamp}-${safe(path.basename(shownName)) || 'import'}`;
}

export class RejectsWriter {
  /** The rejects file's path once the first reject was written. */
  file: string | null = null;
  private data: BufferedFile | null = null;
  private errors: BufferedFile | null = null;
  private rows = 0;

  constructor(
    private readonly dir: string,
    private readonly baseName: string,
    private readonly container: Container,
    /** CSV: the header line (with its line break) to write first. */
    private readonly csvHeader: () => Buffer | null,
  ) {}

  /** A rejected record: its raw bytes (a copy is taken) and its errors. */
  reject(raw: Buffer | null, errors: readonly RowError[]): void {
    this.open();
    if (raw !== null) {
      if (this.container === 'json-array') this.data!.write(Buffer.from(this.rows === 0 ? '' : ',\n'));
      this.data!.write(Buffer.from(raw));
      this.rows++;
    }
    for (const e of errors) this.errors!.write(Buffer.from(JSON.stringify(e) + '\n'));
  }

  /** Finish both files (closing the JSON array). */
  close(): void {
    if (!this.data) return;
    if (this.container === 'json-array') this.data.write(Buffer.from(']'));
    this.data.close();
    this.errors!.close();
    this.data = this.errors = null;
  }

  /** Close and delete both files. */
  discard(): void {
    if (this.data) {
      this.data.close();
      this.errors!.close();
      this.data = this.errors = null;
    }
    if (this.file) {
      fs.rmSync(this.file, { force: true });
      fs.rmSync(`${this.file}.errors.jsonl`, { force: true });
      this.file = null;
    }
  }

  private open(): void {
    if (this.data) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const ext = path.extname(this.baseName);
    const stem = this.baseName.slice(0, this.baseName.length - ext.length);
    for (let n = 1; ; n++) {
      const candidate = path.join(this.dir, n === 1 ? this.baseName : `${stem}-${n}${ext}`);
      let fd: number;
      try {
        fd = fs.openSync(candidate, 'wx');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw e;
      }
      this.file = candidate;
      this.data = new BufferedFile(fd);
      this.errors = new BufferedFile(fs.openSync(`${candidate}.errors.jsonl`, 'w'));
      break;
    }
    if (this.container === 'json-array') this.data!.write(Buffer.from('['));
    const header = this.container === 'csv' ? this.csvHeader() : null;
    if (header) this.data!.write(header);
  }
}
