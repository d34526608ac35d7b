// The import driver: read chunks, scan records, check each record's UTF-8, map, store or reject.

import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { ApiError } from '../../../../shared/contract';
import type { FlaggedValue, ImportFormat, ImportResult, RowError } from '../../../../shared/contracts/datasets';
import { openDb } from '../../db';
import { CsvScanner } from './csv-reader';
import {
  checkFormatFits,
  detectCsvFormat,
  detectJsonFormat,
  sniffContainer,
  unknownJsonFormat,
  type Container,
  type Sniffed,
} from './detect';
import { RowProblems, typeName } from './fields';
import { csvMapper, jsonMapper, mappingRequired, type CsvMapper, type JsonMapper, type MappedRecord } from './formats';
import type { ImportOptions } from './index';
import { JsonArrayScanner, JsonLinesScanner, type JsonRecord } from './json-reader';
import { RejectsWriter, rejectsFileName } from './rejects';
import type { RecordScanner } from './scanner';
import { ChunkSource, DEFAULT_CHUNK_BYTES, openSource, utf8SafeEnd } from './source';
import { SqlWriterClient, type HashOn } from './sql-writer';

export interface ImportTuning {
  /** Bytes per read (tests use tiny chunks to exercise records split across reads). */
  chunkBytes?: number;
  /** Write on this thread instead of a worker thread. */
  inThread?: boolean;
  /** Which thread computes content hashes (default: chosen per batch; see sql-writer.ts). */
  hashOn?: HashOn;
  now?: () => Date;
}

/** SQLite page cache of the importing connection: bounded, so memory does not grow with the file. */
const IMPORT_CACHE_KIB = 64 * 1024;

const NOT_UTF8 = 'not valid UTF-8 (is the file Latin-1 or Windows-1252? save it as UTF-8)';

/**
 * Deepest nesting of arrays/objects a JSON record may have. Extra fields are stored as JSON and
 * later stringified again (API answers, exports), which recurses: a record nested thousands of
 * levels deep would overflow the stack there, so it is rejected here, with its line.
 */
export const MAX_JSON_DEPTH = 256;

/** Whether `v` nests arrays/objects deeper than `max` levels (iterative: no recursion). */
function nestedDeeperThan(v: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length > 0) {
    const [x, depth] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    if (depth > max) return true;
    for (const y of Array.isArray(x) ? x : Object.values(x)) {
      if (y !== null && typeof y === 'object') stack.push([y, depth + 1]);
    }
  }
  return false;
}

const TOO_DEEP = `nested more than ${MAX_JSON_DEPTH} levels deep (arrays/objects inside each other); srlab cannot keep such a record`;

export async function importFile(o: ImportOptions, tuning: ImportTuning = {}): Promise<ImportResult> {
  const t0 = performance.now();
  const now = tuning.now ?? (() => new Date());
  const shownName = o.displayName ?? path.basename(o.file);
  const cancelled = () => new ApiError('cancelled', `import of ${shownName} cancelled; nothing was imported`);
  if (o.signal?.aborted) throw cancelled();
  if (o.dataset.trim() === '') throw new ApiError('invalid-input', 'a dataset name is required');
  if ((o.format === 'csv' || o.format === 'jsonl') && !o.mapping) throw mappingRequired(o.format);

  const { fh, size } = await openSource(o.file, shownName);
  const src = new ChunkSource(fh, size, tuning.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  let writer: SqlWriterClient | null = null;
  let sink: RecordSink | null = null;
  let keepRejects = false;
  try {
    let sniffed: Sniffed | null = null;
    while (!sniffed) {
      await src.fill();
      sniffed = sniffContainer(src.view(), src.eof, shownName);
    }
    if (o.format !== 'auto') checkFormatFits(o.format, sniffed.container, shownName);

    // Open (and migrate) the database here, so its problems surface before any work; the
    // writer then keeps its own connection for the one transaction.
    openDb(o.dbFile, o.nativeBinding ? { nativeBinding: o.nativeBinding } : {}).close();
    const startedAt = now();
    writer = await SqlWriterClient.start(
      {
        dbFile: o.dbFile,
        ...(o.nativeBinding ? { nativeBinding: o.nativeBinding } : {}),
        dataset: o.dataset,
        file: o.displayName ?? o.file,
        format: o.format,
        startedAt: startedAt.toISOString(),
        cacheKiB: IMPORT_CACHE_KIB,
      },
      { inThread: tuning.inThread ?? false, ...(tuning.hashOn ? { hashOn: tuning.hashOn } : {}) },
    );
    sink = new RecordSink(o, shownName, sniffed.container, writer, startedAt);
    const scanner = sink.scannerFor(sniffed);

    for (;;) {
      if (o.signal?.aborted) throw cancelled();
      const view = src.view();
      sink.checkUtf8(view, src.eof);
      const keep = scanner.scan(view, src.eof);
      o.onProgress?.(src.readBytes, size);
      if (src.eof) break;
      src.compact(keep);
      scanner.shift(keep);
      sink.shift(keep);
      await writer.drain();
      await src.fill();
    }
    if (o.signal?.aborted) throw cancelled();

    const format = sink.finish();
    const rejectsFile = sink.rejects.file;
    const rejectsName = rejectsFile === null ? null : path.basename(rejectsFile);
    if (o.strict && sink.failed) {
      keepRejects = true;
      await writer.rollback();
      sink.rejects.close();
      const what =
        sink.rejected > 0
          ? `${sink.rejected} rows failed validation`
          : `the file failed validation (${sink.errors[0]?.message ?? ''})`;
      throw new ApiError(
        'invalid-input',
        `${what}; nothing was imported (--strict). Rejects: ${rejectsFile}`,
        sink.errors.map((e) => ({ path: `line ${e.line}: ${e.field}`, message: e.message })),
      );
    }
    sink.rejects.close();
    // Wait for every row to be written, so `inserted` is final before deciding to commit.
    await writer.settle();
    if (writer.inserted === 0 && writer.createdDataset) {
      // Every row was rejected: do not leave an empty new dataset behind (an existing one stays
      // as it was). The rejects file stays, to be fixed and imported again.
      await writer.rollback();
    } else {
      await writer.commit({ format, rejected: sink.rejected, rejectsFile, finishedAt: now().toISOString() });
    }
    return {
      dataset: o.dataset,
      file: o.displayName ?? o.file,
      format,
      imported: writer.inserted,
      duplicates: sink.valid - writer.inserted,
      duplicateRows: writer.duplicateRows,
      rejected: sink.rejected,
      rejectsFile,
      rejectsName,
      errors: sink.errors,
      errorsOmitted: sink.errorsOmitted,
      flagged: sink.flagged,
      flaggedTotal: sink.flaggedTotal,
      disagreements: writer.disagreements,
      durationMs: Math.round(performance.now() - t0),
    };
  } catch (e) {
    await writer?.rollback().catch(() => undefined);
    if (!keepRejects) sink?.rejects.discard();
    throw e;
  } finally {
    await src.settle();
    await fh.close();
  }
}

/** Receives scanned records: decides the format, maps, stores or rejects, and counts. */
class RecordSink {
  /** Records that passed validation (sent to the writer). */
  valid = 0;
  rejected = 0;
  /** Whether any row or file-level error was seen (for --strict). */
  failed = false;
  readonly errors: RowError[] = [];
  errorsOmitted = 0;
  /** The first values kept but flagged (outside a value set, a required field missing). */
  readonly flagged: FlaggedValue[] = [];
  flaggedTotal = 0;
  readonly rejects: RejectsWriter;

  private format: ImportFormat | null;
  private records = 0;
  private csv: CsvMapper | null = null;
  private csvHeaderRaw: Buffer | null = null;
  private csvFields: string[] = [];
  private json: JsonMapper | null = null;
  private readonly problems = new RowProblems();
  private readonly maxErrors: number;
  /** Bytes before this offset are known to be valid UTF-8. */
  private validTo = 0;

  constructor(
    private readonly o: ImportOptions,
    private readonly shownName: string,
    private readonly container: Container,
    private readonly writer: SqlWriterClient,
    startedAt: Date,
  ) {
    this.format = o.format === 'auto' ? null : o.format;
    this.maxErrors = o.maxErrorsInResult ?? 100;
    this.rejects = new RejectsWriter(
      o.rejectsDir,
      rejectsFileName(o.dataset, shownName, startedAt),
      container,
      () => this.csvHeaderRaw,
    );
  }

  scannerFor(s: Sniffed): RecordScanner {
    this.validTo = s.offset;
    switch (s.container) {
      case 'csv':
        return new CsvScanner((r) => this.onCsvRecord(r), s.offset);
      case 'jsonl':
        return new JsonLinesScanner((r) => this.onJsonRecord(r), s.offset);
      case 'json-array':
        return new JsonArrayScanner(
          (r) => this.onJsonRecord(r),
          (line, message) => this.fileProblem(line, message),
          s.offset,
          s.line,
        );
    }
  }

  /**
   * Check the new bytes' UTF-8 in one call; records that end before `validTo` need no check
   * of their own. On a failure, records are checked one by one until the next chunk.
   */
  checkUtf8(view: Buffer, eof: boolean): void {
    const from = this.validTo;
    const end = eof ? view.length : utf8SafeEnd(view, from, view.length);
    if (end > from) this.validTo = isUtf8(view.subarray(from, end)) ? end : from;
  }

  shift(delta: number): void {
    this.validTo = Math.max(0, this.validTo - delta);
  }

  private utf8Ok(buf: Buffer, start: number, end: number): boolean {
    return end <= this.validTo || isUtf8(buf.subarray(start, end));
  }

  /** Called after the last record: the format used (throws when there was nothing to import). */
  finish(): ImportFormat {
    if (this.records === 0) {
      throw new ApiError(
        'invalid-input',
        this.container === 'csv' && this.csv
          ? `${this.shownName} has a header line but no records`
          : `${this.shownName} holds no records`,
      );
    }
    if (this.format === null) throw unknownJsonFormat(this.shownName);
    return this.format;
  }

  // --- CSV -------------------------------------------------------------------------------------

  private onCsvRecord(r: CsvScanner): void {
    const buf = r.buf;
    const ok = this.utf8Ok(buf, r.start, r.end);
    if (!this.csv) return this.onCsvHeader(r, ok);
    this.records++;
    const p = this.problems;
    p.reset(r.line);
    let rec: MappedRecord | null = null;
    if (r.error !== null) p.add('(record)', r.error);
    else if (!ok) p.add(this.invalidUtf8Column(r), NOT_UTF8);
    else if (r.nFields !== this.csv.width) {
      p.add(
        '(record)',
        `has ${r.nFields} fields but the header has ${this.csv.width} (a missing quote or an unquoted comma?)`,
      );
    } else {
      const fields = this.csvFields;
      fields.length = r.nFields;
      for (let i = 0; i < r.nFields; i++) fields[i] = r.field(i);
      rec = this.csv.map(fields, p);
    }
    if (rec === null) this.reject(buf.subarray(r.start, r.end));
    else this.store(rec, r.line);
  }

  private onCsvHeader(r: CsvScanner, ok: boolean): void {
    if (r.error !== null)
      throw new ApiError('invalid-input', `${this.shownName}: the header line is malformed: ${r.error}`);
    if (!ok) throw new ApiError('invalid-input', `${this.shownName}: the header line is ${NOT_UTF8}`);
    const header: string[] = [];
    for (let i = 0; i < r.nFields; i++) header.push(r.field(i));
    this.csvHeaderRaw = Buffer.from(r.buf.subarray(r.start, r.end));
    this.format ??= detectCsvFormat(header, this.o.mapping, this.shownName);
    this.csv = csvMapper(this.format as 'cmd-flat' | 'srllm-csv' | 'csv', header, this.o.mapping, this.shownName);
    for (const f of this.csv.headerFlags)
      this.noteFlag({ line: r.line, field: f.field, value: null, message: f.message });
  }

  private invalidUtf8Column(r: CsvScanner): string {
    for (let i = 0; i < r.nFields; i++) {
      if (!isUtf8(r.buf.subarray(r.fieldStartOffset(i), r.fieldEndOffset(i)))) return this.csv!.columnName(i);
    }
    return '(record)';
  }

  // --- JSON ------------------------------------------------------------------------------------

  private onJsonRecord(r: JsonRecord): void {
    this.records++;
    const p = this.problems;
    p.reset(r.line);
    let rec: MappedRecord | null = null;
    if (r.error !== null) p.add('(record)', r.error);
    else if (!this.utf8Ok(r.buf, r.start, r.rawEnd)) p.add('(record)', NOT_UTF8);
    else {
      let v: unknown;
      let parsed = true;
      try {
        v = JSON.parse(r.buf.toString('utf8', r.start, r.end));
      } catch (e) {
        parsed = false;
        p.add('(record)', `malformed JSON: ${(e as Error).message}`);
      }
      if (parsed) {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) {
          p.add('(record)', `expected a JSON object, got ${typeName(v)}`);
        } else if (nestedDeeperThan(v, MAX_JSON_DEPTH)) {
          p.add('(record)', TOO_DEEP);
        } else {
          try {
            rec = this.jsonMapperFor(v as Record<string, unknown>)(v as Record<string, unknown>, p);
          } catch (e) {
            // Belt and braces: a stack overflow while mapping one record rejects that record
            // (with its line), not the whole import.
            if (!(e instanceof RangeError)) throw e;
            rec = null;
            p.add('(record)', `${TOO_DEEP} (${e.message})`);
          }
        }
      }
    }
    if (rec === null) this.reject(r.buf.subarray(r.start, r.rawEnd));
    else this.store(rec, r.line);
  }

  private jsonMapperFor(first: Record<string, unknown>): JsonMapper {
    if (this.json) return this.json;
    this.format ??= detectJsonFormat(first, this.o.mapping, this.shownName);
    this.json = jsonMapper(this.format as 'cmd-flat' | 'cmd-nested' | 'jsonl', this.o.mapping);
    return this.json;
  }

  private fileProblem(line: number, message: string): void {
    this.failed = true;
    const e = { line, field: '(file)', message };
    this.note(e);
    this.rejects.reject(null, [e]);
  }

  // --- both ------------------------------------------------------------------------------------

  private store(rec: MappedRecord, line: number): void {
    for (const f of this.problems.flags) this.noteFlag(f);
    if (this.o.strict && this.failed) return; // nothing will be written: skip the work
    this.valid++;
    this.writer.add(rec, line);
  }

  private noteFlag(f: FlaggedValue): void {
    this.flaggedTotal++;
    if (this.flagged.length < this.maxErrors) this.flagged.push({ ...f });
  }

  private reject(raw: Buffer): void {
    this.failed = true;
    this.rejected++;
    for (const e of this.problems.list) this.note(e);
    this.rejects.reject(raw, this.problems.list);
  }

  private note(e: RowError): void {
    if (this.errors.length < this.maxErrors) this.errors.push({ ...e });
    else this.errorsOmitted++;
  }
}
