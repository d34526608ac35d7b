// The import dialog's form → the `datasets.import` input (minus the source, which depends on
// the face: an upload id in the browser, a path on the desktop).
import type { Input } from '../../../../shared/api';
import type { ColumnMapping } from '../../../../shared/contracts/datasets';

export const IMPORT_FORMAT_OPTIONS = ['auto', 'cmd-flat', 'cmd-nested', 'srllm-csv', 'csv', 'jsonl'] as const;
export type ImportFormatOption = (typeof IMPORT_FORMAT_OPTIONS)[number];

export const FORMAT_HINTS: Record<ImportFormatOption, string> = {
  auto: 'Detected from the file name and its first bytes.',
  'cmd-flat': 'The paper’s flat JSON schema (Appendix B.1), as a JSON array or JSON lines.',
  'cmd-nested': 'The nested CMD record (section 3.2): ID, Text, Labels{…}, Target Demographic, …',
  'srllm-csv': 'The authors’ released CSV: biased_text, dimension, biased_words, aspect, label, debiased_text.',
  csv: 'Any CSV with a header row; map its columns below.',
  jsonl: 'Any JSON lines file; map its keys below.',
};

/** Mapping fields in display order; `text` is the only required one. */
export const MAPPING_FIELDS = [
  'text',
  'id',
  'bias',
  'toxicity',
  'sentiment',
  'harm',
  'annotation',
  'target',
  'biasedWords',
  'benign',
] as const satisfies readonly (keyof ColumnMapping)[];
export type MappingField = (typeof MAPPING_FIELDS)[number];

export interface ImportForm {
  dataset: string;
  format: ImportFormatOption;
  strict: boolean;
  mapping: Record<MappingField, string>;
}

export const EMPTY_MAPPING: Record<MappingField, string> = {
  text: '',
  id: '',
  bias: '',
  toxicity: '',
  sentiment: '',
  harm: '',
  annotation: '',
  target: '',
  biasedWords: '',
  benign: '',
};

export function needsMapping(format: ImportFormatOption): boolean {
  return format === 'csv' || format === 'jsonl';
}

export type ImportRequest = Omit<Input<'datasets.import'>, 'source'>;

/** Problems the user can fix before anything is sent; empty when the form is ready. */
export function importFormProblems(form: ImportForm, hasFile: boolean): string[] {
  const problems: string[] = [];
  if (!hasFile) problems.push('Choose a file to import.');
  if (!form.dataset.trim()) problems.push('Give the dataset a name.');
  else if (!/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u.test(form.dataset.trim()))
    problems.push(
      'Dataset names use letters, digits, space, dot, dash or underscore, starting with a letter or digit.',
    );
  if (needsMapping(form.format) && !form.mapping.text.trim()) problems.push('Name the column that holds the text.');
  return problems;
}

export function importRequest(form: ImportForm): ImportRequest {
  const req: ImportRequest = { dataset: form.dataset.trim(), format: form.format, strict: form.strict };
  if (needsMapping(form.format)) {
    const mapping: Record<string, string> = {};
    for (const f of MAPPING_FIELDS) {
      const v = form.mapping[f].trim();
      if (v) mapping[f] = v;
    }
    req.mapping = mapping as ColumnMapping;
  }
  return req;
}

/** A default dataset name from a file name: extension dropped, characters the API refuses replaced. */
export function datasetNameFromFile(fileName: string): string {
  const cleaned = fileName
    .replace(/\.(csv|tsv|jsonl?|ndjson|json|txt)$/i, '')
    .replace(/[^\p{L}\p{N} ._-]+/gu, '-')
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .slice(0, 120)
    .trim();
  return cleaned || 'dataset';
}

/** Split one CSV line into fields (RFC 4180 quotes; a header row has no embedded new lines in practice). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

/**
 * Column names offered in the mapping fields, read from the start of the chosen file: the
 * CSV header, or the keys of the first JSON line. Empty when they cannot be read.
 */
export function sourceColumns(format: 'csv' | 'jsonl', head: string): string[] {
  const firstLine = head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (!firstLine.trim()) return [];
  if (format === 'csv') return splitCsvLine(firstLine).filter((c) => c !== '');
  try {
    const obj: unknown = JSON.parse(firstLine);
    return obj && typeof obj === 'object' && !Array.isArray(obj) ? Object.keys(obj) : [];
  } catch {
    return [];
  }
}
