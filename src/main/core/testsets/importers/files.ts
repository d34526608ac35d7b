// Reading benchmark files: whole files (the largest is under 2 MB), with messages that name the
// file, and the CSV scanner the dataset importer uses (RFC 4180, multi-line quoted fields).
import fs from 'node:fs';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { ApiError } from '../../../../shared/contract';
import { CsvScanner } from '../../datasets/import/csv-reader';
import { describeFsError } from '../../datasets/import/source';

/**
 * Test-set files are read whole. The largest published one is under 2 MB (ToxiGen's prompts are
 * 31 files of under 1 MB); srlab's limit leaves ample room and keeps a wrong file from filling memory.
 */
export const MAX_FILE_BYTES = 256 * 1024 ** 2;

/** A file's bytes, or an invalid-input error naming it. */
export function readBytes(file: string, shownName: string): Buffer {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new ApiError('invalid-input', `${shownName}: ${describeFsError(e)}`);
  }
  if (st.isDirectory()) throw new ApiError('invalid-input', `${shownName} is a folder, not a file`);
  if (!st.isFile()) throw new ApiError('invalid-input', `${shownName} is not a regular file`);
  if (st.size > MAX_FILE_BYTES)
    throw new ApiError(
      'invalid-input',
      `${shownName} is ${(st.size / 1024 ** 2).toFixed(0)} MB: a benchmark file is at most ${MAX_FILE_BYTES / 1024 ** 2} MB (is it the right file?)`,
    );
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new ApiError('invalid-input', `${shownName}: ${describeFsError(e)}`);
  }
}

/**
 * A file's text. UTF-8 as the benchmarks publish them; a file that is not valid UTF-8 is read as
 * Windows-1252 (RedditBias's religion1 annotations are, per its PROVENANCE.md). A BOM is dropped.
 */
export function decodeText(buf: Buffer): string {
  const text = isUtf8(buf) ? buf.toString('utf8') : new TextDecoder('windows-1252').decode(buf);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function readText(file: string, shownName: string): string {
  return decodeText(readBytes(file, shownName));
}

/** Whether the path is a folder (false for a file; an error naming it if it is neither). */
export function isFolder(p: string, shownName: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch (e) {
    throw new ApiError('invalid-input', `${shownName}: ${describeFsError(e)}`);
  }
}

/** The names in a folder, sorted (so a folder import's order does not depend on the file system). */
export function listFolder(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

/**
 * The file a single-file kind imports: the path itself, or the one file with extension `ext` in
 * the folder given (the benchmark's own folder, e.g. shared/data/crows-pairs).
 */
export function singleFile(p: string, shownName: string, ext: string, what: string): { file: string; shown: string } {
  if (!isFolder(p, shownName)) return { file: p, shown: shownName };
  const found = listFolder(p).filter((n) => n.toLowerCase().endsWith(ext) && fs.statSync(path.join(p, n)).isFile());
  if (found.length !== 1)
    throw new ApiError(
      'invalid-input',
      `${shownName} is a folder with ${found.length === 0 ? 'no' : found.length} ${ext} files: give the ${what} file itself`,
    );
  return { file: path.join(p, found[0]!), shown: path.join(shownName, found[0]!) };
}

/** One CSV record: the physical line it starts on (1-based), its fields, and why it is malformed. */
export interface CsvRow {
  line: number;
  fields: string[];
  error: string | null;
}

/** Every record of a CSV text (header included), blank lines skipped. */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  const scanner = new CsvScanner((r) => {
    const fields: string[] = [];
    for (let i = 0; i < r.nFields; i++) fields.push(r.field(i));
    rows.push({ line: r.line, fields, error: r.error });
  });
  scanner.scan(Buffer.from(text, 'utf8'), true);
  return rows;
}

/**
 * A CSV file's header and data rows, with the named columns' positions. A missing column makes
 * the whole file unusable: an invalid-input error naming the file and the columns it has.
 */
export function csvWithColumns<C extends string>(
  text: string,
  shownName: string,
  required: readonly C[],
): { header: string[]; col: Record<C, number>; rows: CsvRow[] } {
  const all = parseCsv(text);
  const head = all[0];
  if (!head) throw new ApiError('invalid-input', `${shownName} is empty: there is nothing to import`);
  const header = head.fields.map((h) => h.trim());
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length)
    throw new ApiError(
      'invalid-input',
      `${shownName}: line 1: the header has no column ${missing.map((c) => `"${c}"`).join(', ')} ` +
        `(it has ${header.map((h) => `"${h}"`).join(', ')})`,
    );
  const col = Object.fromEntries(required.map((c) => [c, header.indexOf(c)])) as Record<C, number>;
  return { header, col, rows: all.slice(1) };
}

/** The trimmed text of a cell, or null when it is empty. */
export function cell(row: CsvRow, i: number): string | null {
  const v = row.fields[i]?.trim() ?? '';
  return v === '' ? null : v;
}
