// A figure's data file: its rows as CSV (RFC 4180, CRLF), text cells guarded against spreadsheet
// formulas as every srlab CSV export is (dataset text such as trait or group names is untrusted).
import { guardCsvCell } from '../datasets/csv-guard';
import { csvField } from '../datasets/export';

export function rowsToCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows
    .map((r) => `${r.map((v) => csvField(typeof v === 'string' ? guardCsvCell(v) : v)).join(',')}\r\n`)
    .join('');
}
