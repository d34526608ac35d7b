// A resumable, byte-level RFC 4180 CSV scanner.
//
// It finds records and field boundaries in a Buffer without decoding anything, so a rejected
// record can be written out byte-for-byte and each record's UTF-8 can be checked on its own.
// Fed a growing buffer chunk by chunk, it resumes exactly where it stopped (no re-scanning), and
// reports each complete record to a callback while the buffer is stable. Quoted fields may hold
// commas, doubled quotes and line breaks; records end with LF or CRLF; blank lines are skipped.

import type { RecordScanner } from './scanner';

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

type Utf8Slicer = { utf8Slice(start: number, end: number): string };

/** Buffer#toString('utf8', s, e) without its argument handling (called for every field). */
const decodeUtf8: (buf: Buffer, start: number, end: number) => string =
  typeof (Buffer.prototype as unknown as Partial<Utf8Slicer>).utf8Slice === 'function'
    ? (buf, start, end) => (buf as unknown as Utf8Slicer).utf8Slice(start, end)
    : (buf, start, end) => buf.toString('utf8', start, end);

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  AfterQuote,
  /** Text after a closing quote: the record is malformed; skip to the next delimiter. */
  Junk,
}

export class CsvScanner implements RecordScanner {
  /** The buffer the current record's offsets point into (valid during the callback). */
  buf: Buffer = Buffer.alloc(0);
  /** Offset of the current record's first byte. */
  start = 0;
  /** Offset just past the current record's line terminator (or the end of the file). */
  end = 0;
  /** 1-based physical line where the current record starts. */
  line = 1;
  /** Number of fields in the current record. */
  nFields = 0;
  /** Why the record is malformed (unterminated quote, text after a quote), or null. */
  error: string | null = null;

  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Whether a field was quoted and contains doubled quotes to undo. */
  private readonly escaped: boolean[] = [];
  private pos = 0;
  private curLine = 1;
  private state = State.FieldStart;
  private fieldStart = 0;
  private fieldEscaped = false;
  private quoteLine = 1;

  constructor(
    private readonly onRecord: (r: CsvScanner) => void,
    startOffset = 0,
  ) {
    this.pos = startOffset;
    this.start = startOffset;
  }

  /** The text of field `i` of the current record. */
  field(i: number): string {
    const s = decodeUtf8(this.buf, this.starts[i]!, this.ends[i]!);
    return this.escaped[i] ? s.replaceAll('""', '"') : s;
  }

  fieldStartOffset(i: number): number {
    return this.starts[i]!;
  }

  fieldEndOffset(i: number): number {
    return this.ends[i]!;
  }

  scan(buf: Buffer, eof: boolean): number {
    this.buf = buf;
    const len = buf.length;
    let pos = this.pos;
    let state = this.state;
    outer: while (pos < len) {
      switch (state) {
        case State.FieldStart:
          if (buf[pos] === QUOTE) {
            state = State.Quoted;
            this.fieldStart = pos + 1;
            this.fieldEscaped = false;
            this.quoteLine = this.curLine;
            pos++;
          } else {
            state = State.Unquoted;
            this.fieldStart = pos;
          }
          break;
        case State.Unquoted: {
          for (; pos < len; pos++) {
            const c = buf[pos];
            if (c === COMMA) {
              this.pushField(this.fieldStart, pos, false);
              pos++;
              state = State.FieldStart;
              continue outer;
            }
            if (c === LF) {
              const end = pos > this.fieldStart && buf[pos - 1] === CR ? pos - 1 : pos;
              this.pushField(this.fieldStart, end, false);
              pos++;
              this.curLine++;
              this.endRecord(pos);
              state = State.FieldStart;
              continue outer;
            }
          }
          break;
        }
        case State.Quoted: {
          const q = buf.indexOf(QUOTE, pos);
          const stop = q === -1 ? len : q;
          this.countLines(buf, pos, stop);
          if (q === -1) {
            pos = len;
            break outer;
          }
          if (q + 1 >= len && !eof) {
            // Cannot tell a closing quote from a doubled one yet.
            pos = q;
            break outer;
          }
          if (buf[q + 1] === QUOTE) {
            this.fieldEscaped = true;
            pos = q + 2;
          } else {
            this.pushField(this.fieldStart, q, this.fieldEscaped);
            pos = q + 1;
            state = State.AfterQuote;
          }
          break;
        }
        case State.AfterQuote: {
          const c = buf[pos];
          if (c === COMMA) {
            pos++;
            state = State.FieldStart;
          } else if (c === LF) {
            pos++;
            this.curLine++;
            this.endRecord(pos);
            state = State.FieldStart;
          } else if (c === CR && pos + 1 >= len && !eof) {
            break outer; // CRLF split across chunks
          } else if (c === CR && buf[pos + 1] === LF) {
            pos += 2;
            this.curLine++;
            this.endRecord(pos);
            state = State.FieldStart;
          } else {
            this.error ??= `unexpected text after the closing quote of field ${this.nFields}`;
            state = State.Junk;
          }
          break;
        }
        case State.Junk: {
          for (; pos < len; pos++) {
            const c = buf[pos];
            if (c === COMMA) {
              pos++;
              state = State.FieldStart;
              continue outer;
            }
            if (c === LF) {
              pos++;
              this.curLine++;
              this.endRecord(pos);
              state = State.FieldStart;
              continue outer;
            }
          }
          break;
        }
      }
    }
    this.pos = pos;
    this.state = state;
    if (eof) this.finish(len);
    return this.start;
  }

  shift(delta: number): void {
    this.pos -= delta;
    this.start -= delta;
    this.fieldStart -= delta;
    for (let i = 0; i < this.nFields; i++) {
      this.starts[i]! -= delta;
      this.ends[i]! -= delta;
    }
  }

  private finish(len: number): void {
    switch (this.state) {
      case State.Quoted:
        this.error ??= `unterminated quoted field: the file ends inside the quotes opened on line ${this.quoteLine}`;
        this.pushField(this.fieldStart, len, this.fieldEscaped);
        break;
      case State.Unquoted: {
        const end = len > this.fieldStart && this.buf[len - 1] === CR ? len - 1 : len;
        this.pushField(this.fieldStart, end, false);
        break;
      }
      case State.FieldStart:
        if (this.nFields === 0) return; // nothing pending
        this.pushField(len, len, false); // the line ended with a comma
        break;
      case State.AfterQuote:
      case State.Junk:
        break;
    }
    this.pos = len;
    this.endRecord(len);
    this.state = State.FieldStart;
  }

  private countLines(buf: Buffer, from: number, to: number): void {
    // Usually the next LF is the record's terminator, beyond `to`: one memchr settles it.
    let nl = buf.indexOf(LF, from);
    while (nl !== -1 && nl < to) {
      this.curLine++;
      nl = buf.indexOf(LF, nl + 1);
    }
  }

  private pushField(s: number, e: number, escaped: boolean): void {
    const i = this.nFields++;
    if (i < this.starts.length) {
      this.starts[i] = s;
      this.ends[i] = e;
      this.escaped[i] = escaped;
    } else {
      this.starts.push(s);
      this.ends.push(e);
      this.escaped.push(escaped);
    }
  }

  private endRecord(end: number): void {
    this.end = end;
    const blank =
      this.nFields === 1 && this.starts[0] === this.ends[0] && this.error === null && this.buf[this.start] !== QUOTE;
    if (!blank) this.onRecord(this);
    this.start = end;
    this.line = this.curLine;
    this.nFields = 0;
    this.error = null;
  }
}
