// The Figures area's form as pure functions: what the user picked (a source, a kind, options,
// width, theme) becomes a FigureSpec; a kind's options JSON Schema becomes form fields; exports
// come back as base64 and leave as downloads named after the figure. No DOM, no store: tested
// directly.
import { DEFAULT_DPI, MAX_DPI, MIN_DPI } from '../../../../shared/contracts/figures';
import type { FigureKind, FigureSpecInput, FigureThemeName, FigureWidth } from '../../../../shared/figures/spec';

export type SourceKind = 'evaluation' | 'dataset' | 'humaneval' | 'input';
export const SOURCE_KINDS: readonly SourceKind[] = ['evaluation', 'dataset', 'humaneval', 'input'];
export const SOURCE_LABELS: Record<SourceKind, string> = {
  evaluation: 'An evaluation',
  dataset: 'A dataset',
  humaneval: 'A human-evaluation session',
  input: 'My own numbers (JSON)',
};

export const DATASET_SPLITS = ['all', 'train', 'dev', 'test'] as const;
export type DatasetSplit = (typeof DATASET_SPLITS)[number];

export { DEFAULT_DPI, MAX_DPI, MIN_DPI };

/** What the user has picked; becomes a FigureSpec through draftToSpec. */
export interface FigureDraft {
  sourceKind: SourceKind;
  evaluation: number | null;
  dataset: string | null;
  /** A blind human-evaluation session (the People area's). */
  humaneval: number | null;
  split: DatasetSplit;
  /** The inline input as the user typed it (JSON text). */
  inputText: string;
  kind: FigureKind | null;
  width: FigureWidth;
  theme: FigureThemeName;
  /** The kind's options as set so far (missing ones take the kind's defaults). */
  options: Record<string, unknown>;
  /** Empty: the kind's generated caption. */
  caption: string;
}

export const EMPTY_DRAFT: FigureDraft = {
  sourceKind: 'evaluation',
  evaluation: null,
  dataset: null,
  humaneval: null,
  split: 'all',
  inputText: '',
  kind: null,
  width: 'double',
  theme: 'paper',
  options: {},
  caption: '',
};

/** A kind as the area lists it (from figures.kinds). */
export interface KindChoice {
  kind: FigureKind;
  label: string;
  sources: readonly SourceKind[];
  /** The kind's options as JSON Schema (input side: defaults make fields optional). */
  options?: unknown;
}

export function kindsForSource(kinds: readonly KindChoice[], source: SourceKind): KindChoice[] {
  return kinds.filter((k) => k.sources.includes(source));
}

/** The kind to keep after the source or the list changed: the current one while it still fits, else the first. */
export function pickKind(
  current: FigureKind | null,
  kinds: readonly KindChoice[],
  source: SourceKind,
): FigureKind | null {
  const fitting = kindsForSource(kinds, source);
  return fitting.find((k) => k.kind === current)?.kind ?? fitting[0]?.kind ?? null;
}

/** JSON.parse with an error that names the line and column (the message of V8 gives a position). */
export function parseJsonText(text: string, what: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (!text.trim()) return { ok: false, error: `${what} is empty: paste or type JSON.` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(message);
    if (!pos) return { ok: false, error: `${what}: ${message}` };
    const before = text.slice(0, Number(pos[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return { ok: false, error: `${what}, line ${line}, column ${column}: ${message.replace(/ in JSON at .*$/, '')}` };
  }
}

/** The spec the draft names, or why it names none yet (what to pick or fix). */
export function draftToSpec(draft: FigureDraft): { ok: true; spec: FigureSpecInput } | { ok: false; error: string } {
  if (!draft.kind) return { ok: false, error: 'Pick a figure kind.' };
  let source: FigureSpecInput['source'];
  if (draft.sourceKind === 'evaluation') {
    if (draft.evaluation === null) return { ok: false, error: 'Pick an evaluation.' };
    source = { kind: 'evaluation', evaluation: draft.evaluation };
  } else if (draft.sourceKind === 'dataset') {
    if (!draft.dataset) return { ok: false, error: 'Pick a dataset.' };
    source = { kind: 'dataset', dataset: draft.dataset, split: draft.split };
  } else if (draft.sourceKind === 'humaneval') {
    if (draft.humaneval === null) return { ok: false, error: 'Pick a human-evaluation session.' };
    source = { kind: 'humaneval', session: draft.humaneval };
  } else {
    const parsed = parseJsonText(draft.inputText, 'The input');
    if (!parsed.ok) return parsed;
    const value = parsed.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { ok: false, error: 'The input must be a JSON object, e.g. {"values": [...], "mu": 0}.' };
    source = { kind: 'input', data: value as Record<string, unknown> };
  }
  const spec: FigureSpecInput = {
    kind: draft.kind,
    source,
    width: draft.width,
    theme: draft.theme,
    options: draft.options,
  };
  if (draft.caption.trim()) spec.caption = draft.caption.trim();
  return { ok: true, spec };
}

/** A saved spec JSON (srlab's own export) back into a draft, so the same figure is drawn again. */
export function specToDraft(spec: FigureSpecInput): FigureDraft {
  const base: FigureDraft = {
    ...EMPTY_DRAFT,
    kind: spec.kind,
    width: spec.width ?? 'double',
    theme: spec.theme ?? 'paper',
    options: { ...(spec.options ?? {}) },
    caption: spec.caption ?? '',
  };
  const s = spec.source;
  if (s.kind === 'evaluation') return { ...base, sourceKind: 'evaluation', evaluation: s.evaluation };
  if (s.kind === 'dataset') return { ...base, sourceKind: 'dataset', dataset: s.dataset, split: s.split ?? 'all' };
  if (s.kind === 'humaneval') return { ...base, sourceKind: 'humaneval', humaneval: s.session };
  return { ...base, sourceKind: 'input', inputText: JSON.stringify(s.data, null, 2) };
}

// ---- options as form fields ----

export type OptionField =
  | { key: string; label: string; help?: string; type: 'select'; choices: string[]; default?: unknown }
  | {
      key: string;
      label: string;
      help?: string;
      type: 'number';
      integer: boolean;
      min?: number;
      max?: number;
      default?: unknown;
    }
  | { key: string; label: string; help?: string; type: 'boolean'; default?: unknown }
  | { key: string; label: string; help?: string; type: 'text'; default?: unknown }
  /** Objects, records and arrays (e.g. valence per trait): edited as JSON text. */
  | { key: string; label: string; help?: string; type: 'json'; default?: unknown };

type Schema = Record<string, unknown>;

function asSchema(v: unknown): Schema | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Schema) : null;
}

/** The one non-null branch of `anyOf`/`oneOf` (optional or nullable values), else the schema itself. */
function unwrap(schema: Schema): Schema {
  const branches = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (!Array.isArray(branches)) return schema;
  const real = branches.map(asSchema).filter((b): b is Schema => !!b && b.type !== 'null');
  return real.length === 1 ? { ...real[0]!, ...withoutBranches(schema) } : schema;
}

function withoutBranches(schema: Schema): Schema {
  const { anyOf: _a, oneOf: _o, ...rest } = schema;
  return rest;
}

/** "minWeight" → "Min weight", "topK" → "Top k". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Form fields for a kind's options, in the schema's order. Keys in `hidden` (e.g. a network's
 * dragged positions, which the preview edits) are left out.
 */
export function optionFields(jsonSchema: unknown, hidden: readonly string[] = ['positions']): OptionField[] {
  const root = asSchema(jsonSchema);
  const props = asSchema(root?.properties);
  if (!props) return [];
  const fields: OptionField[] = [];
  for (const [key, raw] of Object.entries(props)) {
    if (hidden.includes(key)) continue;
    const s = asSchema(raw);
    if (!s) continue;
    const schema = unwrap(s);
    const base = {
      key,
      label: typeof schema.title === 'string' ? schema.title : humanize(key),
      help: typeof schema.description === 'string' ? schema.description : undefined,
      default: schema.default,
    };
    const type = schema.type;
    if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string'))
      fields.push({ ...base, type: 'select', choices: schema.enum as string[] });
    else if (schema.const !== undefined) continue;
    else if (type === 'integer' || type === 'number')
      fields.push({
        ...base,
        type: 'number',
        integer: type === 'integer',
        min: numberOr(schema.minimum, schema.exclusiveMinimum),
        max: numberOr(schema.maximum, schema.exclusiveMaximum),
      });
    else if (type === 'boolean') fields.push({ ...base, type: 'boolean' });
    else if (type === 'string') fields.push({ ...base, type: 'text' });
    else fields.push({ ...base, type: 'json' });
  }
  return fields;
}

function numberOr(...vs: unknown[]): number | undefined {
  const v = vs.find((x) => typeof x === 'number' && Number.isFinite(x));
  return v as number | undefined;
}

/**
 * What the user typed into an option field, as the option's value: undefined leaves the option
 * to the kind's default (an empty field), an error says what is wrong with the text.
 */
export function parseOptionValue(
  field: OptionField,
  raw: string | boolean,
): { ok: true; value: unknown } | { ok: false; error: string } {
  if (field.type === 'boolean') return { ok: true, value: raw === true || raw === 'true' };
  const text = String(raw);
  if (!text.trim()) return { ok: true, value: undefined };
  switch (field.type) {
    case 'select':
      return field.choices.includes(text)
        ? { ok: true, value: text }
        : { ok: false, error: `${field.label}: pick one of ${field.choices.join(', ')}` };
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n)) return { ok: false, error: `${field.label}: "${text}" is not a number` };
      if (field.integer && !Number.isInteger(n)) return { ok: false, error: `${field.label}: a whole number` };
      if (field.min !== undefined && n < field.min)
        return { ok: false, error: `${field.label}: at least ${field.min}` };
      if (field.max !== undefined && n > field.max) return { ok: false, error: `${field.label}: at most ${field.max}` };
      return { ok: true, value: n };
    }
    case 'json': {
      const parsed = parseJsonText(text, field.label);
      return parsed.ok ? { ok: true, value: parsed.value } : parsed;
    }
    default:
      return { ok: true, value: text };
  }
}

/** The options with one value set (undefined removes it, so the kind's default applies). */
export function setOption(options: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const next = { ...options };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/** The text an option field shows for the current value (the default's when unset). */
export function optionText(field: OptionField, options: Record<string, unknown>): string {
  const v = field.key in options ? options[field.key] : field.default;
  if (v === undefined || v === null) return '';
  if (field.type === 'json') return JSON.stringify(v);
  return String(v);
}

// ---- exports ----

/** The export's bytes from the base64 the server sent (atob is in browsers and Node ≥ 16). */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The DPI the user typed, or why it cannot be used. */
export function parseDpi(text: string): { ok: true; dpi: number } | { ok: false; error: string } {
  const n = Number(text);
  if (!text.trim() || !Number.isInteger(n)) return { ok: false, error: 'DPI: a whole number, e.g. 300' };
  if (n < MIN_DPI || n > MAX_DPI) return { ok: false, error: `DPI: between ${MIN_DPI} and ${MAX_DPI}` };
  return { ok: true, dpi: n };
}

/** The PNG's pixel size at a DPI: the figure's points are 1/72 in. */
export function pixelSize(widthPt: number, heightPt: number, dpi: number): { width: number; height: number } {
  return { width: Math.round((widthPt / 72) * dpi), height: Math.round((heightPt / 72) * dpi) };
}

/** The names of the data and spec files beside an export: figure.png → figure.csv, figure.json. */
export function sideFileNames(fileName: string): { csv: string; json: string; caption: string } {
  const stem = fileName.replace(/\.[a-z0-9]+$/i, '') || 'figure';
  return { csv: `${stem}.csv`, json: `${stem}.json`, caption: `${stem}.caption.txt` };
}

/** A file name from the spec when the server gave none: kind, source, width (letters, digits, dashes only). */
export function figureFileStem(spec: FigureSpecInput): string {
  const s = spec.source;
  const from =
    s.kind === 'evaluation'
      ? `eval${s.evaluation}`
      : s.kind === 'dataset'
        ? s.dataset
        : s.kind === 'humaneval'
          ? `humaneval${s.session}`
          : 'input';
  return `${spec.kind}-${from}-${spec.width ?? 'double'}`.replace(/[^A-Za-z0-9-]+/g, '-').replace(/-+/g, '-');
}

/** The node positions a drag left in the options (kept in the spec, so exports and redraws keep them). */
export function adjustedPositions(options: Record<string, unknown>): Record<string, [number, number]> {
  const p = options.positions;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return {};
  const out: Record<string, [number, number]> = {};
  for (const [k, v] of Object.entries(p as Record<string, unknown>))
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x)))
      out[k] = [v[0] as number, v[1] as number];
  return out;
}

// ---- examples for inline input ----

/**
 * A starting point for `source: input`, per kind: the shape the kind checks, with made-up
 * numbers the user replaces (srlab's examples, not results).
 */
export const INPUT_EXAMPLES: Partial<Record<FigureKind, unknown>> = {
  't-dist': { summary: { n: 40, mean: 0.12, sd: 0.3 }, mu: 0, alpha: 0.05 },
  human: {
    models: [
      { label: 'model A', safety: 3.9, language: 4.2, safetyCi: [3.7, 4.1], languageCi: [4.0, 4.4] },
      { label: 'model B', safety: 3.1, language: 4.4, safetyCi: [2.9, 3.3], languageCi: [4.2, 4.6] },
    ],
  },
  'trait-network': {
    traits: [
      { name: 'polite', valence: 1 },
      { name: 'sarcastic', valence: -1 },
      { name: 'formal', valence: 0 },
    ],
    texts: [
      { probs: { polite: 0.8, sarcastic: 0.1, formal: 0.6 } },
      { probs: { polite: 0.2, sarcastic: 0.7, formal: 0.3 } },
      { probs: { polite: 0.6, sarcastic: 0.2, formal: 0.7 } },
    ],
  },
};

export function inputExample(kind: FigureKind | null): string {
  const ex = kind ? INPUT_EXAMPLES[kind] : undefined;
  return ex === undefined ? '{}' : JSON.stringify(ex, null, 2);
}
