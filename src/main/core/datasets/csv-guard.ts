// Spreadsheet formula injection (CSV injection): Excel and LibreOffice run a cell that starts
// with = + - @ (or a tab or carriage return before one) as a formula. srlab's CSV export guards
// such cells as OWASP recommends, with a leading single quote, which spreadsheets show as text.
//
// The guard is reversible without ambiguity:
// - guard: a cell matching /^'*[=+\-@\t\r]/ (a trigger character, after any number of quotes)
//   gets one more leading quote. Cells that already start with quotes before a trigger are
//   guarded too, so that a literal "'=x" in the data is written "''=x" and comes back as "'=x".
// - unguard (import): a cell matching /^'+[=+\-@\t\r]/ loses exactly one leading quote.
// unguard(guard(s)) === s for every string s. A CSV from elsewhere whose cell starts with
// a quote and then a trigger character (e.g. "'=A1" typed as text in a spreadsheet) also loses
// that one quote on import: the same reading a spreadsheet gives it.

/** The characters that make a spreadsheet read a cell as a formula (OWASP's list). */
export const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r'] as const;

const NEEDS_GUARD = /^'*[=+\-@\t\r]/;
const GUARDED = /^'+[=+\-@\t\r]/;

/** `s` with a leading single quote when a spreadsheet would run it as a formula. */
export function guardCsvCell(s: string): string {
  return NEEDS_GUARD.test(s) ? `'${s}` : s;
}

/** The inverse of guardCsvCell: one leading quote removed when a trigger character follows the quotes. */
export function unguardCsvCell(s: string): string {
  return s.charCodeAt(0) === 39 && GUARDED.test(s) ? s.slice(1) : s;
}
