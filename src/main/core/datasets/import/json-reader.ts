// Byte-level scanners for the two JSON containers: JSON lines and one JSON array.
//
// Like the CSV scanner they only find record boundaries (the caller decodes and JSON.parses a
// record after checking its UTF-8), resume where they stopped when fed more bytes, and report
// records while the buffer is stable. Boundaries are found structurally, so one malformed
// element does not stop the rest of the file from importing.

import type { RecordScanner } from './scanner';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

export interface JsonRecord {
  buf: Buffer;
  /** The record's bytes to parse: [start, end). */
  start: number;
  end: number;
  /** The bytes to write to a rejects file: [start, rawEnd) (a JSON line keeps its line break). */
  rawEnd: number;
  /** 1-based physical line where the record starts. */
  line: number;
  /** Why the record is known to be broken before parsing (truncated), or null. */
  error: string | null;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === LF || c === CR || c === 0x09;
}

/** One JSON value per line; blank lines are skipped. */
export class JsonLinesScanner implements RecordScanner {
  private readonly rec: JsonRecord = { buf: Buffer.alloc(0), start: 0, end: 0, rawEnd: 0, line: 1, error: null };
  private lineStart: number;
  private pos: number;
  private line = 1;

  constructor(
    private readonly onRecord: (r: JsonRecord) => void,
    startOffset = 0,
  ) {
    this.lineStart = startOffset;
    this.pos = startOffset;
  }

  scan(buf: Buffer, eof: boolean): number {
    const len = buf.length;
    for (;;) {
      const nl = buf.indexOf(LF, this.pos);
      if (nl === -1) {
        this.pos = len;
        if (eof && this.lineStart < len) this.emit(buf, this.lineStart, len, len);
        break;
      }
      this.emit(buf, this.lineStart, nl > this.lineStart && buf[nl - 1] === CR ? nl - 1 : nl, nl + 1);
      this.line++;
      this.lineStart = this.pos = nl + 1;
    }
    return this.lineStart;
  }

  shift(delta: number): void {
    this.lineStart -= delta;
    this.pos -= delta;
  }

  private emit(buf: Buffer, start: number, end: number, rawEnd: number): void {
    let s = start;
    while (s < end && isSpace(buf[s]!)) s++;
    if (s === end) return; // blank line
    const r = this.rec;
    r.buf = buf;
    r.start = start;
    r.end = end;
    r.rawEnd = rawEnd;
    r.line = this.line;
    r.error = null;
    this.onRecord(r);
  }
}

const enum ArrayState {
  /** After `[` or a comma: whitespace, then an element or `]`. */
  BeforeElement,
  InElement,
  /** After an element: whitespace, then a comma or `]`. */
  AfterElement,
  /** After the closing `]`: only whitespace may follow. */
  Closed,
}

/**
 * The elements of one JSON array (`[` already consumed at `startOffset`). Problems that are not
 * an element (a missing `]`, text after it) go to `onProblem`.
 */
export class JsonArrayScanner implements RecordScanner {
  private readonly rec: JsonRecord = { buf: Buffer.alloc(0), start: 0, end: 0, rawEnd: 0, line: 1, error: null };
  private pos: number;
  private line: number;
  private state = ArrayState.BeforeElement;
  private elemStart = 0;
  private elemLine = 1;
  private depth = 0;
  private inString = false;
  private escape = false;
  /** The element is a bare scalar (number, true, false, null, or a top-level string). */
  private scalar = false;
  private problemReported = false;

  constructor(
    private readonly onRecord: (r: JsonRecord) => void,
    private readonly onProblem: (line: number, message: string) => void,
    startOffset: number,
    startLine: number,
  ) {
    this.pos = startOffset;
    this.line = startLine;
  }

  scan(buf: Buffer, eof: boolean): number {
    const len = buf.length;
    let pos = this.pos;
    while (pos < len) {
      const c = buf[pos]!;
      switch (this.state) {
        case ArrayState.BeforeElement:
        case ArrayState.AfterElement:
          if (c === LF) this.line++;
          if (isSpace(c)) {
            pos++;
          } else if (c === 0x5d /* ] */) {
            this.state = ArrayState.Closed;
            pos++;
          } else if (c === COMMA) {
            // A comma after an element separates; a stray one (`[,` or `,,`) is skipped.
            this.state = ArrayState.BeforeElement;
            pos++;
          } else {
            this.startElement(c, pos);
            pos++;
          }
          break;
        case ArrayState.InElement:
          pos = this.scanElement(buf, pos, len);
          break;
        case ArrayState.Closed:
          if (c === LF) this.line++;
          if (!isSpace(c) && !this.problemReported) {
            this.problemReported = true;
            this.onProblem(this.line, 'unexpected text after the closing "]" of the JSON array (ignored)');
          }
          pos = this.problemReported ? len : pos + 1;
          break;
      }
    }
    this.pos = pos;
    if (eof) {
      if (this.state === ArrayState.InElement) {
        this.emit(buf, this.elemStart, len, 'the file ends inside this element: it is truncated');
        this.state = ArrayState.BeforeElement;
        this.problemReported = true; // the unclosed array needs no second message
      }
      if (this.state !== ArrayState.Closed && !this.problemReported) {
        this.problemReported = true;
        this.onProblem(this.line, 'the JSON array is not closed with "]": the file may be truncated');
      }
    }
    return this.state === ArrayState.InElement ? this.elemStart : pos;
  }

  shift(delta: number): void {
    this.pos -= delta;
    this.elemStart -= delta;
  }

  private startElement(c: number, pos: number): void {
    this.state = ArrayState.InElement;
    this.elemStart = pos;
    this.elemLine = this.line;
    this.escape = false;
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      this.depth = 1;
      this.inString = false;
      this.scalar = false;
    } else if (c === QUOTE) {
      this.depth = 0;
      this.inString = true;
      this.scalar = true;
    } else {
      this.depth = 0;
      this.inString = false;
      this.scalar = true;
    }
  }

  /** Continue the current element from `pos`; returns where scanning stopped. */
  private scanElement(buf: Buffer, pos: number, len: number): number {
    for (; pos < len; pos++) {
      const c = buf[pos]!;
      if (c === LF) this.line++;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.scalar) return this.endElement(buf, pos + 1);
        }
        continue;
      }
      if (this.scalar) {
        if (c === COMMA || c === 0x5d || isSpace(c)) {
          if (c === LF) this.line--; // re-read by the caller's state
          return this.endElement(buf, pos);
        }
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (--this.depth === 0) return this.endElement(buf, pos + 1);
      }
    }
    return pos;
  }

  private endElement(buf: Buffer, end: number): number {
    this.state = ArrayState.AfterElement;
    this.emit(buf, this.elemStart, end, null);
    return end;
  }

  private emit(buf: Buffer, start: number, end: number, error: string | null): void {
    const r = this.rec;
    r.buf = buf;
    r.start = start;
    r.end = end;
    r.rawEnd = end;
    r.line = this.elemLine;
    r.error = error;
    this.onRecord(r);
  }
}
