// Turning one source value into one CMD field, with the row error to report when it does not fit.
// Empty strings and null mean "absent" (stored as null, never invented); label values compare
// case-insensitively. Nothing but a missing text and a value that cannot be represented (an
// object or a list where a label string belongs) is a row error: a label value outside its set
// is kept as written and flagged (issue 9), and a number or boolean label is kept as its string
// form ("1", "true"), flagged the same way.

import {
  ANNOTATION_VALUES,
  LABEL_VALUES,
  isAnnotation,
  isCanonicalLabel,
  normaliseAnnotation,
  normaliseLabel,
  type AnnotationValue,
  type LabelName,
  type LabelValue,
} from '../../../../shared/domain';
import type { FlaggedValue, RowError } from '../../../../shared/contracts/datasets';
import { parsePythonList } from './python-list';

/** Collects the problems (row errors) and the flagged-but-kept values of the row being mapped. */
export class RowProblems {
  readonly list: RowError[] = [];
  readonly flags: FlaggedValue[] = [];
  line = 0;

  reset(line: number): void {
    this.line = line;
    if (this.list.length) this.list.length = 0;
    if (this.flags.length) this.flags.length = 0;
  }

  add(field: string, message: string): void {
    this.list.push({ line: this.line, field, message });
  }

  flag(field: string, value: string | null, message: string): void {
    this.flags.push({ line: this.line, field, value, message });
  }

  get any(): boolean {
    return this.list.length > 0;
  }
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return `a number (${v})`;
  if (typeof v === 'boolean') return `a boolean (${v})`;
  if (typeof v === 'string') return 'a string';
  return typeof v;
}

function quoteValue(raw: string): string {
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);
}

export function textValue(raw: unknown, field: string, p: RowProblems): string | null {
  if (raw === undefined || raw === null) {
    p.add(field, 'the text is missing');
    return null;
  }
  if (typeof raw !== 'string') {
    p.add(field, `expected the text as a string, got ${typeName(raw)}`);
    return null;
  }
  if (isBlankText(raw)) {
    p.add(field, 'the text is empty');
    return null;
  }
  return raw;
}

/**
 * Whether `s` is empty or only whitespace. Most values start with a printable ASCII character,
 * which settles it without `trim()` copying the string (called for every text of every row).
 */
export function isBlankText(s: string): boolean {
  const c = s.charCodeAt(0);
  if (c > 0x20 && c < 0x7f) return false;
  return s.trim() === '';
}

/**
 * "A, B, C": the values a label may take, for messages. Built only when a message needs it
 * (joining the list for every label of every row was a measurable share of an import).
 */
const expectedCache = new Map<string, string>();
function expectedValues(label: LabelName | 'annotation'): string {
  let e = expectedCache.get(label);
  if (e === undefined) {
    e = (label === 'annotation' ? ANNOTATION_VALUES : LABEL_VALUES[label]).join(', ');
    expectedCache.set(label, e);
  }
  return e;
}

/** A label as a string, or null (absent) / undefined (a type that cannot be a label: a row error). */
function labelString(
  raw: unknown,
  field: string,
  label: LabelName | 'annotation',
  p: RowProblems,
): string | null | undefined {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string') return raw;
  if ((typeof raw === 'number' && Number.isFinite(raw)) || typeof raw === 'boolean') return String(raw);
  p.add(field, `expected one of ${expectedValues(label)} as a string, got ${typeName(raw)}`);
  return undefined;
}

export function labelValue<L extends LabelName>(
  label: L,
  raw: unknown,
  field: string,
  p: RowProblems,
): LabelValue<L> | null {
  const s = labelString(raw, field, label, p);
  if (s === null || s === undefined) return null;
  const v = normaliseLabel(label, s);
  if (v !== null && !isCanonicalLabel(label, v)) {
    p.flag(
      field,
      v,
      `${quoteValue(v)} is not one of ${expectedValues(label)}; kept as written (the annotation rule treats it as non-benign)`,
    );
  }
  return v;
}

export function annotationValue(raw: unknown, field: string, p: RowProblems): AnnotationValue | null {
  const s = labelString(raw, field, 'annotation', p);
  if (s === null || s === undefined) return null;
  const v = normaliseAnnotation(s);
  if (v !== null && !isAnnotation(v)) {
    p.flag(
      field,
      v,
      `${quoteValue(v)} is not one of ${expectedValues('annotation')}; kept as written (not counted as agreeing or disagreeing with the rule)`,
    );
  }
  return v;
}

/** A target demographic: free text; empty or "None" means no specific target. */
export function targetValue(raw: unknown, field: string, p: RowProblems): string | null {
  if (raw === undefined || raw === null) return null;
  if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) raw = raw.join(', ');
  if (typeof raw !== 'string') {
    p.add(field, `expected the target demographic as a string, got ${typeName(raw)}`);
    return null;
  }
  const t = raw.trim();
  return t === '' || t.toLowerCase() === 'none' ? null : t;
}

/** Free text that may be absent (the benign variation). */
export function optionalText(raw: unknown, field: string, p: RowProblems): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string') {
    p.add(field, `expected a string, got ${typeName(raw)}`);
    return null;
  }
  return isBlankText(raw) ? null : raw;
}

export function idValue(raw: unknown, field: string, p: RowProblems): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  p.add(field, `expected the ID as a string or number, got ${typeName(raw)}`);
  return null;
}

const NO_WORDS: string[] = [];

/**
 * Biased words: a JSON list of strings, or a string holding a Python/JSON-style list
 * (`['a', "b"]`) or comma-separated words (`a, b`). `pythonOnly` demands the list form.
 */
export function wordsValue(raw: unknown, field: string, p: RowProblems, pythonOnly = false): string[] {
  if (raw === undefined || raw === null) return NO_WORDS;
  if (Array.isArray(raw)) {
    for (const w of raw) {
      if (typeof w !== 'string') {
        p.add(field, `expected a list of strings, but it holds ${typeName(w)}`);
        return NO_WORDS;
      }
    }
    return cleanWords(raw as string[]);
  }
  if (typeof raw !== 'string') {
    p.add(field, `expected a list of strings, got ${typeName(raw)}`);
    return NO_WORDS;
  }
  const s = raw.trim();
  if (s === '') return NO_WORDS;
  if (s[0] === '[' || pythonOnly) {
    const parsed = parsePythonList(s);
    if (!parsed.ok) {
      p.add(field, parsed.error);
      return NO_WORDS;
    }
    return cleanWords(parsed.items);
  }
  return cleanWords(s.split(','));
}

/** Trimmed words, empty ones dropped. */
function cleanWords(words: string[]): string[] {
  let clean = true;
  for (const w of words) if (w === '' || w.trim() !== w) clean = false;
  if (clean) return words;
  const out: string[] = [];
  for (const w of words) {
    const t = w.trim();
    if (t !== '') out.push(t);
  }
  return out;
}
