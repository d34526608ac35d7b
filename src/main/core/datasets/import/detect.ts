// Telling what a file is from its bytes: the container (CSV, one JSON array, JSON lines) from
// the first bytes, then the CMD format from the CSV header or the first JSON object's keys.

import { ApiError } from '../../../../shared/contract';
import type { ColumnMapping, ImportFormat } from '../../../../shared/contracts/datasets';
import { FLAT_NAMES, listNames } from './formats';

export type Container = 'csv' | 'json-array' | 'jsonl';

export interface Sniffed {
  container: Container;
  /** Where the records start: after a UTF-8 BOM, and for a JSON array after its `[`. */
  offset: number;
  /** 1-based line at `offset`. */
  line: number;
}

const LF = 0x0a;

/**
 * Look at the first bytes. Returns null when they are all whitespace and more may follow.
 * Throws invalid-input for encodings and kinds of file that cannot be imported.
 */
export function sniffContainer(buf: Buffer, eof: boolean, shownName: string): Sniffed | null {
  const b0 = buf[0];
  const b1 = buf[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff) || (b0 === 0 && b1 === 0 && buf[2] === 0xfe)) {
    throw new ApiError(
      'invalid-input',
      `${shownName} is encoded as UTF-16 or UTF-32 (it starts with that byte order mark); save it as UTF-8 and import it again`,
    );
  }
  if (b0 === 0x50 && b1 === 0x4b && buf[2] === 3 && buf[3] === 4) {
    throw new ApiError(
      'invalid-input',
      `${shownName} is a zip archive (an Excel .xlsx file?); export it as CSV (UTF-8) or JSON and import that`,
    );
  }
  if (b0 === 0x1f && b1 === 0x8b) {
    throw new ApiError('invalid-input', `${shownName} is gzip-compressed; decompress it and import the file inside`);
  }
  const probe = buf.subarray(0, Math.min(buf.length, 4096));
  if (probe.includes(0)) {
    throw new ApiError(
      'invalid-input',
      `${shownName} contains NUL bytes: it looks like UTF-16 text without a byte order mark, or a binary file; ` +
        'save it as UTF-8 CSV, JSON or JSON lines',
    );
  }
  let i = b0 === 0xef && b1 === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const bomEnd = i;
  let line = 1;
  for (; i < buf.length; i++) {
    const c = buf[i]!;
    if (c === LF) line++;
    else if (c !== 0x20 && c !== 0x09 && c !== 0x0d) break;
  }
  if (i === buf.length) {
    if (!eof) return null;
    throw new ApiError('invalid-input', `${shownName} holds no records (it is empty or only whitespace)`);
  }
  const c = buf[i];
  if (c === 0x5b /* [ */) return { container: 'json-array', offset: i + 1, line };
  // JSON lines, and CSV: records start at the first byte (line numbers count from the top).
  if (c === 0x7b /* { */) return { container: 'jsonl', offset: bomEnd, line: 1 };
  return { container: 'csv', offset: bomEnd, line: 1 };
}

/** Which formats each container can hold. */
export function checkFormatFits(format: ImportFormat, container: Container, shownName: string): void {
  const json = container !== 'csv';
  const fits =
    format === 'cmd-flat' ||
    (json ? format === 'cmd-nested' || format === 'jsonl' : format === 'srllm-csv' || format === 'csv');
  if (!fits) {
    const seen = json ? 'JSON' : 'CSV';
    const needs = format === 'srllm-csv' || format === 'csv' ? 'a CSV file' : 'JSON or JSON lines';
    throw new ApiError('invalid-input', `${shownName} looks like ${seen}, but the ${format} format needs ${needs}`);
  }
}

const KNOWN_FORMATS =
  'known formats: cmd-flat (JSON, JSON lines or CSV with "Original Sentence", "BIAS", "TOXICITY", "SENTIMENT", "HARM", ...), ' +
  'cmd-nested (JSON or JSON lines with "ID", "Text", "Labels"), srllm-csv (CSV with "biased_text", "biased_words", "label", ...), ' +
  'and the generic csv / jsonl formats with a column mapping (CLI: --map text=COL,bias=COL,...)';

export function detectCsvFormat(header: string[], mapping: ColumnMapping | undefined, shownName: string): ImportFormat {
  const lower = new Set(header.map((h) => h.trim().toLowerCase()));
  if (lower.has('biased_text')) return 'srllm-csv';
  if (lower.has(FLAT_NAMES.text.toLowerCase())) return 'cmd-flat';
  if (mapping) return 'csv';
  const hint =
    header.length === 1 && /[;\t|]/.test(header[0]!)
      ? ' (one column only: is the file separated by semicolons or tabs? srlab reads comma-separated CSV)'
      : '';
  throw new ApiError(
    'invalid-input',
    `${shownName}: unknown format: a CSV file with columns ${listNames(header)}${hint}; ${KNOWN_FORMATS}`,
  );
}

export function detectJsonFormat(
  obj: Record<string, unknown>,
  mapping: ColumnMapping | undefined,
  shownName: string,
): ImportFormat {
  const keys = Object.keys(obj);
  const lower = new Set(keys.map((k) => k.toLowerCase()));
  if (lower.has(FLAT_NAMES.text.toLowerCase())) return 'cmd-flat';
  if (lower.has('text') && lower.has('labels')) return 'cmd-nested';
  if (mapping) return 'jsonl';
  throw new ApiError(
    'invalid-input',
    `${shownName}: unknown format: JSON objects with keys ${listNames(keys)}; ${KNOWN_FORMATS}`,
  );
}

export function unknownJsonFormat(shownName: string): ApiError {
  return new ApiError(
    'invalid-input',
    `${shownName}: unknown format: no record parses as a JSON object (JSON lines need one object per line); ${KNOWN_FORMATS}`,
  );
}
