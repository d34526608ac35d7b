// The CMD formats: which source field feeds which CMD field, per format, for CSV rows and for
// JSON objects. Every mapper returns a MappedRecord, or null after reporting its row errors.

import { ApiError } from '../../../../shared/contract';
import type { ColumnMapping } from '../../../../shared/contracts/datasets';
import type { CmdRecordInput } from '../../../../shared/domain';
import {
  RowProblems,
  annotationValue,
  idValue,
  labelValue,
  optionalText,
  targetValue,
  textValue,
  typeName,
  wordsValue,
} from './fields';
import { unguardCsvCell } from '../csv-guard';
import { json } from './content-hash';

/** The CMD fields a source field can feed. */
export const ROLES = [
  'id',
  'text',
  'bias',
  'toxicity',
  'sentiment',
  'harm',
  'annotation',
  'target',
  'words',
  'benign',
] as const;
export type Role = (typeof ROLES)[number];

/** ColumnMapping's key for each role. */
const MAPPING_KEY: Record<Role, keyof ColumnMapping> = {
  id: 'id',
  text: 'text',
  bias: 'bias',
  toxicity: 'toxicity',
  sentiment: 'sentiment',
  harm: 'harm',
  annotation: 'annotation',
  target: 'target',
  words: 'biasedWords',
  benign: 'benign',
};

/**
 * The paper's flat schema (Appendix B.1), as its field names are spelled there. It has no
 * target group: its `DEMOGRAPHIC TARGETING` is a flag ("None" / "Specific Demographics"),
 * kept as written in `extra` under its own name (see FLAT_TARGETING), never as the target.
 */
export const FLAT_NAMES: Record<Exclude<Role, 'target'>, string> = {
  id: 'ID',
  text: 'Original Sentence',
  bias: 'BIAS',
  toxicity: 'TOXICITY',
  sentiment: 'SENTIMENT',
  harm: 'HARM',
  annotation: 'Annotation',
  words: 'WORDS OR PHRASES',
  benign: 'Benign',
};
const FLAT_ROLES = Object.keys(FLAT_NAMES) as Exclude<Role, 'target'>[];

/** The flat schema's demographic-targeting flag and its values (Appendix B.1). */
export const FLAT_TARGETING = 'DEMOGRAPHIC TARGETING';
export const TARGETING_VALUES = ['None', 'Specific Demographics'] as const;

/** The paper's nested record (section 3.2); the label roles live inside `Labels`. */
export const NESTED_NAMES: Record<Role, string> = {
  id: 'ID',
  text: 'Text',
  bias: 'Labels.Bias',
  toxicity: 'Labels.Toxicity',
  sentiment: 'Labels.Sentiment',
  harm: 'Labels.Harm',
  annotation: 'Labels.Annotation',
  target: 'Target Demographic',
  words: 'Biased Words',
  benign: 'Benign Variation',
};

const NESTED_LABEL_ROLES: Record<string, Role> = {
  bias: 'bias',
  toxicity: 'toxicity',
  sentiment: 'sentiment',
  harm: 'harm',
  annotation: 'annotation',
};

const byLowerName = (names: Record<Role, string>, roles: readonly Role[]) =>
  new Map(roles.map((r) => [names[r].toLowerCase(), r] as const));
const FLAT_KEYS = byLowerName(FLAT_NAMES as Record<Role, string>, FLAT_ROLES);
const NESTED_TOP_KEYS = byLowerName(NESTED_NAMES, ['id', 'text', 'target', 'words', 'benign']);

/** The srllm CSV's `label` values; both say the text is biased. */
const SRLLM_LABELS = ['Slightly Biased', 'Highly Biased'];

// Role positions in the per-row value arrays below.
const ID = 0,
  TEXT = 1,
  BIAS = 2,
  TOXICITY = 3,
  SENTIMENT = 4,
  HARM = 5,
  ANNOTATION = 6,
  TARGET = 7,
  WORDS = 8,
  BENIGN = 9;
const roleIndex = (r: Role) => ROLES.indexOf(r);

/** A record ready to store: `extra` is already JSON (CSV rows build it without an object). */
export interface MappedRecord extends Omit<CmdRecordInput, 'extra'> {
  extraJson: string;
}

/**
 * Build a record from one value per role (`vals`, in ROLES order; undefined = not in the
 * source) with `names[i]` the source field name for messages; null after reporting problems.
 */
function assemble(
  vals: unknown[],
  names: string[],
  extraJson: string,
  p: RowProblems,
  wordsListOnly: boolean,
): MappedRecord | null {
  const text = textValue(vals[TEXT], names[TEXT]!, p);
  const bias = labelValue('bias', vals[BIAS], names[BIAS]!, p);
  const toxicity = labelValue('toxicity', vals[TOXICITY], names[TOXICITY]!, p);
  const sentiment = labelValue('sentiment', vals[SENTIMENT], names[SENTIMENT]!, p);
  const harm = labelValue('harm', vals[HARM], names[HARM]!, p);
  const annotationGold = annotationValue(vals[ANNOTATION], names[ANNOTATION]!, p);
  const targetDemographic = targetValue(vals[TARGET], names[TARGET]!, p);
  const biasedWords = wordsValue(vals[WORDS], names[WORDS]!, p, wordsListOnly);
  const benignVariation = optionalText(vals[BENIGN], names[BENIGN]!, p);
  const sourceId = idValue(vals[ID], names[ID]!, p);
  if (text === null || p.any) return null;
  return {
    sourceId,
    text,
    labels: { bias, toxicity, sentiment, harm },
    annotationGold,
    targetDemographic,
    biasedWords,
    benignVariation,
    extraJson,
  };
}

/**
 * What "required" means for the flat schema (Appendix B.1), srlab's reading: the paper lists the
 * nine fields every record of the schema has. Its text (`Original Sentence`) is required: a
 * record without one is rejected. The four labels, `Annotation` and the `DEMOGRAPHIC TARGETING`
 * flag describe every record, so they are required too, but a record missing one is kept (the
 * label stays missing, never invented) and the gap is flagged in the import report. `WORDS OR
 * PHRASES` and `Benign` (the rewrite, only for unsafe text) may be empty, and `ID` is srlab's
 * addition: those are optional.
 */
const FLAT_REQUIRED: readonly number[] = [BIAS, TOXICITY, SENTIMENT, HARM, ANNOTATION];
const REQUIRED_WHY = 'required by the flat schema (Appendix B.1); the record is kept with it missing';

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * Flag the flat-schema problems of a kept record: required fields missing (`skip`: roles whose
 * column the whole file lacks, flagged once for the header instead) and a demographic-targeting
 * flag outside None / Specific Demographics.
 */
function checkFlat(
  vals: unknown[],
  names: string[],
  targeting: unknown,
  targetingName: string,
  skipTargeting: boolean,
  skip: ReadonlySet<number>,
  p: RowProblems,
): void {
  for (const r of FLAT_REQUIRED)
    if (!skip.has(r) && isBlank(vals[r])) p.flag(names[r]!, null, `missing: ${REQUIRED_WHY}`);
  if (skipTargeting) return;
  if (isBlank(targeting)) {
    p.flag(targetingName, null, `missing: ${REQUIRED_WHY}`);
    return;
  }
  const v = typeof targeting === 'string' ? targeting.trim() : JSON.stringify(targeting);
  if (!TARGETING_VALUES.some((t) => t.toLowerCase() === v.toLowerCase())) {
    p.flag(
      targetingName,
      v,
      `${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)} is not one of ${TARGETING_VALUES.join(', ')}; kept as written`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// CSV

export interface CsvMapper {
  /** Number of fields every row must have (the header's). */
  readonly width: number;
  map(fields: string[], p: RowProblems): MappedRecord | null;
  /** The header name of column `i`, for messages. */
  columnName(i: number): string;
  /** Flags about the header itself (a column the flat schema requires is missing). */
  readonly headerFlags: { field: string; message: string }[];
}

const norm = (s: string) => s.trim().toLowerCase();

function missingColumn(shownName: string, column: string, why: string, header: string[]): ApiError {
  return new ApiError(
    'invalid-input',
    `${shownName}: the header has no column "${column}" (${why}); its columns are: ${listNames(header)}`,
  );
}

export function listNames(names: string[], max = 20): string {
  const shown = names.slice(0, max).map((n) => JSON.stringify(n));
  return shown.join(', ') + (names.length > max ? `, ... (${names.length} in all)` : '');
}

/** Column names made unique (a repeated name gets " (2)", " (3)", ...) for use as `extra` keys. */
function uniqueNames(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((h) => {
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    return n === 1 ? h : `${h} (${n})`;
  });
}

export function csvMapper(
  format: 'cmd-flat' | 'srllm-csv' | 'csv',
  header: string[],
  mapping: ColumnMapping | undefined,
  shownName: string,
): CsvMapper {
  const names = uniqueNames(header);
  const lower = header.map(norm);
  const find = (name: string) => {
    const exact = header.indexOf(name);
    return exact !== -1 ? exact : lower.indexOf(norm(name));
  };
  const cols: Partial<Record<Role, number>> = {};
  let srllmLabel = -1;
  let flat: { targetingCol: number; absent: Set<number> } | null = null;
  const headerFlags: { field: string; message: string }[] = [];

  if (format === 'srllm-csv') {
    const text = find('biased_text');
    if (text === -1) throw missingColumn(shownName, 'biased_text', 'the text, required by srllm-csv', header);
    srllmLabel = find('label');
    if (srllmLabel === -1) throw missingColumn(shownName, 'label', 'the bias grade, required by srllm-csv', header);
    cols.text = text;
    const optional: [Role, string][] = [
      ['words', 'biased_words'],
      ['target', 'aspect'],
      ['benign', 'debiased_text'],
    ];
    for (const [role, name] of optional) {
      const i = find(name);
      if (i !== -1) cols[role] = i;
    }
  } else if (format === 'cmd-flat') {
    for (const role of FLAT_ROLES) {
      const i = find(FLAT_NAMES[role]);
      if (i !== -1) cols[role] = i;
    }
    if (cols.text === undefined)
      throw missingColumn(shownName, FLAT_NAMES.text, 'the text, required by cmd-flat', header);
    flat = {
      targetingCol: find(FLAT_TARGETING),
      absent: new Set(FLAT_REQUIRED.filter((r) => cols[ROLES[r]!] === undefined)),
    };
    for (const r of flat.absent)
      headerFlags.push({
        field: FLAT_NAMES[ROLES[r] as Exclude<Role, 'target'>],
        message: `the header has no such column: ${REQUIRED_WHY.replace('the record is', 'every record is')}`,
      });
    if (flat.targetingCol === -1)
      headerFlags.push({
        field: FLAT_TARGETING,
        message: `the header has no such column: ${REQUIRED_WHY.replace('the record is', 'every record is')}`,
      });
  } else {
    if (!mapping) throw mappingRequired('csv');
    for (const role of ROLES) {
      const column = mapping[MAPPING_KEY[role]];
      if (column === undefined) continue;
      const i = find(column);
      if (i === -1) throw missingColumn(shownName, column, `mapped to ${MAPPING_KEY[role]}`, header);
      cols[role] = i;
    }
  }

  // Every column not feeding a CMD field is kept in `extra`; srllm's `label` is kept too.
  const used = new Set(Object.values(cols));
  const extraCols: number[] = [];
  for (let i = 0; i < header.length; i++) if (!used.has(i)) extraCols.push(i);
  const extraKeys = extraCols.map((i, j) => (j === 0 ? '' : ',') + JSON.stringify(names[i]) + ':');

  const colOf = ROLES.map((r) => cols[r] ?? -1);
  const roleNames = ROLES.map((r) => (cols[r] === undefined ? r : names[cols[r]]!));
  const vals: unknown[] = new Array(ROLES.length);
  const srllmLabelName = srllmLabel === -1 ? '' : names[srllmLabel]!;
  if (srllmLabel !== -1) roleNames[BIAS] = srllmLabelName;

  const targetingName = flat && flat.targetingCol !== -1 ? names[flat.targetingCol]! : FLAT_TARGETING;
  return {
    width: header.length,
    headerFlags,
    columnName: (i) => names[i] ?? `column ${i + 1}`,
    map(row, p) {
      let extraJson = '{';
      for (let j = 0; j < extraCols.length; j++) extraJson += extraKeys[j]! + json(unguardCsvCell(row[extraCols[j]!]!));
      extraJson += '}';
      // A cell srlab's CSV export guarded against formula injection ("'=…") gets its text back.
      for (let r = 0; r < colOf.length; r++) vals[r] = colOf[r]! < 0 ? undefined : unguardCsvCell(row[colOf[r]!]!);
      if (flat) {
        const rec = assemble(vals, roleNames, extraJson, p, false);
        const t = flat.targetingCol === -1 ? undefined : unguardCsvCell(row[flat.targetingCol]!);
        if (rec) checkFlat(vals, roleNames, t, targetingName, flat.targetingCol === -1, flat.absent, p);
        return rec;
      }
      if (srllmLabel === -1) return assemble(vals, roleNames, extraJson, p, false);
      // srllm-csv: both grades state the text is biased, so bias = Yes; the other labels are absent.
      // Another grade is kept as written (in `extra`, like every grade) and flagged, with Bias left
      // missing rather than guessed: only a missing text rejects a row (issue 9).
      const raw = row[srllmLabel]!;
      const grade = raw.trim().toLowerCase();
      const rec = assemble(vals, roleNames, extraJson, p, true);
      if (rec && (grade === 'slightly biased' || grade === 'highly biased')) rec.labels.bias = 'Yes';
      else if (rec && grade !== '')
        p.flag(srllmLabelName, raw, `"${raw}" is not one of ${SRLLM_LABELS.join(', ')}; kept, Bias left missing`);
      return rec;
    },
  };
}

export function mappingRequired(format: 'csv' | 'jsonl'): ApiError {
  return new ApiError(
    'invalid-input',
    `the generic ${format} format needs a column mapping that says which ${format === 'csv' ? 'column' : 'key'} holds the text ` +
      `and each label: pass a mapping (CLI: --map text=COL,bias=COL,toxicity=COL,...)`,
  );
}

// ---------------------------------------------------------------------------------------------
// JSON objects

export type JsonMapper = (obj: Record<string, unknown>, p: RowProblems) => MappedRecord | null;

export function jsonMapper(
  format: 'cmd-flat' | 'cmd-nested' | 'jsonl',
  mapping: ColumnMapping | undefined,
): JsonMapper {
  if (format === 'cmd-flat') return (obj, p) => mapByKeys(obj, p, FLAT_KEYS, FLAT_DEFAULT_NAMES, null, true);
  if (format === 'cmd-nested')
    return (obj, p) => mapByKeys(obj, p, NESTED_TOP_KEYS, NESTED_DEFAULT_NAMES, 'labels', false);
  if (!mapping) throw mappingRequired('jsonl');
  const wanted: [number, string][] = [];
  for (const role of ROLES) {
    const key = mapping[MAPPING_KEY[role]];
    if (key !== undefined) wanted.push([roleIndex(role), key]);
  }
  const defaultNames = ROLES.map((r) => mapping[MAPPING_KEY[r]] ?? r);
  return (obj, p) => {
    const vals: unknown[] = new Array(ROLES.length);
    const names = defaultNames.slice();
    const used = new Set<string>();
    let lowerKeys: Map<string, string> | null = null;
    for (const [role, key] of wanted) {
      let k: string | undefined = key;
      if (!Object.hasOwn(obj, k)) {
        lowerKeys ??= new Map(Object.keys(obj).map((x) => [x.toLowerCase(), x]));
        k = lowerKeys.get(key.toLowerCase());
      }
      if (k === undefined) continue;
      vals[role] = obj[k];
      names[role] = k;
      used.add(k);
    }
    const extra = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(obj)) if (!used.has(k)) extra[k] = obj[k];
    return assemble(vals, names, JSON.stringify(extra), p, false);
  };
}

const FLAT_DEFAULT_NAMES = ROLES.map((r) => (r === 'target' ? r : FLAT_NAMES[r]));
const NESTED_DEFAULT_NAMES = ROLES.map((r) => NESTED_NAMES[r]);

/** Map an object by its (case-insensitive) key names; `labelsKey` names a nested labels object. */
function mapByKeys(
  obj: Record<string, unknown>,
  p: RowProblems,
  topKeys: Map<string, Role>,
  defaultNames: string[],
  labelsKey: string | null,
  flat: boolean,
): MappedRecord | null {
  const vals: unknown[] = new Array(ROLES.length);
  const names = defaultNames.slice();
  const extra = Object.create(null) as Record<string, unknown>;
  let targeting: unknown = undefined;
  let targetingName = FLAT_TARGETING;
  for (const k of Object.keys(obj)) {
    const lk = k.toLowerCase();
    const role = topKeys.get(lk);
    const v = obj[k];
    if (flat && lk === FLAT_TARGETING_LOWER) {
      targeting = v;
      targetingName = k;
    }
    if (role !== undefined) {
      vals[roleIndex(role)] = v;
      names[roleIndex(role)] = k;
    } else if (labelsKey !== null && lk === labelsKey) {
      if (v === null || v === undefined) continue;
      if (typeof v !== 'object' || Array.isArray(v)) {
        p.add(k, `expected the labels as an object, got ${typeName(v)}`);
        continue;
      }
      for (const [k2, lv] of Object.entries(v as Record<string, unknown>)) {
        const lk2 = k2.toLowerCase();
        const labelRole = Object.hasOwn(NESTED_LABEL_ROLES, lk2) ? NESTED_LABEL_ROLES[lk2] : undefined;
        if (labelRole !== undefined) {
          vals[roleIndex(labelRole)] = lv;
          names[roleIndex(labelRole)] = `${k}.${k2}`;
        } else {
          extra[`${k}.${k2}`] = lv;
        }
      }
    } else {
      extra[k] = v;
    }
  }
  const rec = assemble(vals, names, JSON.stringify(extra), p, false);
  if (rec && flat) checkFlat(vals, names, targeting, targetingName, false, NO_ROLES, p);
  return rec;
}

const FLAT_TARGETING_LOWER = FLAT_TARGETING.toLowerCase();
const NO_ROLES: ReadonlySet<number> = new Set();
