// Dataset statistics (METRICS.md section 11; the paper's Tables 1, 2, 13 and Figure 5).
// Streams the rows once with `iterate()` into typed arrays, so a million-record dataset costs a
// few typed arrays rather than a million objects.
import type { DatasetStats, Describe, FieldCounts, Histogram, LabelCounts } from '../../../shared/contracts/datasets';
import { ANNOTATION_VALUES, LABEL_VALUES, SPLITS, type Split } from '../../../shared/domain';
import { describe, histogram, histogramWithEdges, niceEdges } from '../../../shared/metrics/describe';
import { fleschReadingEase } from '../../../shared/metrics/flesch';
import { benignChange } from '../../../shared/metrics/levenshtein';
import type { Db } from '../db';
import { EXTRA_PREFIX, ExtraTally, FieldTally, fieldCounts, MISSING } from './fields';

export { MISSING };

interface StatsRow {
  text: string;
  bias: string | null;
  toxicity: string | null;
  sentiment: string | null;
  harm: string | null;
  annotation_gold: string | null;
  annotation_derived: string | null;
  annotation_strict: string | null;
  disagrees: number;
  benign: string | null;
  split: string | null;
  target: string | null;
  extra: string;
}

const COUNTED = [
  'bias',
  'toxicity',
  'sentiment',
  'harm',
  'annotation',
  'annotationGold',
  'annotationDerived',
  'annotationStrict',
] as const;
type Counted = (typeof COUNTED)[number];

const KNOWN: Record<Counted, readonly string[]> = {
  ...LABEL_VALUES,
  annotation: ANNOTATION_VALUES,
  annotationGold: ANNOTATION_VALUES,
  annotationDerived: ANNOTATION_VALUES,
  annotationStrict: ANNOTATION_VALUES,
};

/** Label counts being accumulated: Maps seeded with every defined value (so zeros show). */
class CountsAcc {
  private readonly maps = new Map<Counted, Map<string, number>>(
    COUNTED.map((k) => [k, new Map(KNOWN[k].map((v) => [v, 0] as const))] as const),
  );
  disagreements = 0;

  add(r: StatsRow): void {
    this.inc('bias', r.bias);
    this.inc('toxicity', r.toxicity);
    this.inc('sentiment', r.sentiment);
    this.inc('harm', r.harm);
    this.inc('annotation', r.annotation_gold ?? r.annotation_derived);
    this.inc('annotationGold', r.annotation_gold);
    this.inc('annotationDerived', r.annotation_derived);
    this.inc('annotationStrict', r.annotation_strict);
    if (r.disagrees === 1) this.disagreements++;
  }

  private inc(k: Counted, v: string | null): void {
    const key = v ?? MISSING;
    const m = this.maps.get(k)!;
    m.set(key, (m.get(key) ?? 0) + 1);
  }

  /**
   * Defined values first in their table order, then values outside the set (each under its
   * own key, sorted), then "(missing)". Unseen extra keys never appear.
   */
  result(): LabelCounts {
    const out = {} as Record<Counted, Record<string, number>>;
    for (const k of COUNTED) {
      const m = this.maps.get(k)!;
      const known = KNOWN[k];
      const extra = [...m.keys()].filter((v) => !known.includes(v) && v !== MISSING).sort();
      const o: Record<string, number> = {};
      for (const v of [...known, ...extra]) o[v] = m.get(v)!;
      if (m.has(MISSING)) o[MISSING] = m.get(MISSING)!;
      out[k] = o;
    }
    return { ...out, disagreements: this.disagreements };
  }
}

/** Unicode code points of `s` (a surrogate pair is one character), like Python's len(). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

const TOKEN = /\S+/g;

/** Whitespace-separated tokens, like Python's str.split() with no argument. */
export function whitespaceTokenCount(s: string): number {
  let n = 0;
  TOKEN.lastIndex = 0;
  while (TOKEN.exec(s) !== null) n++;
  return n;
}

const LENGTH_BINS = 30;

/** Records between two progress reports (cheap enough to ignore, frequent enough to move a bar). */
export const PROGRESS_EVERY = 4096;

/** Told how many records have been processed so far, of `total`; ends with done === total. */
export type ProgressFn = (done: number, total: number) => void;
const FLESCH_BINS = 24;

/**
 * Statistics of one split of `dataset` (or all of it, with counts per split), read in one
 * transaction so the count and the rows agree. `onProgress` (optional) is told the records read
 * every PROGRESS_EVERY records and once at the end; it does not change the result.
 */
export function computeStats(
  db: Db,
  dataset: { id: number; name: string },
  split: Split | null,
  onProgress?: ProgressFn,
): DatasetStats {
  return db.transaction(() => stats(db, dataset, split, onProgress))();
}

function stats(
  db: Db,
  dataset: { id: number; name: string },
  split: Split | null,
  onProgress: ProgressFn | undefined,
): DatasetStats {
  const where = split === null ? 'dataset_id = ?' : 'dataset_id = ? AND split = ?';
  const params: (number | string)[] = split === null ? [dataset.id] : [dataset.id, split];
  const total = db
    .prepare<(number | string)[], { n: number }>(`SELECT COUNT(*) AS n FROM records WHERE ${where}`)
    .get(...params)!.n;

  const chars = new Float64Array(total);
  const words = new Float64Array(total);
  // FRE per record (NaN when the text has no words) and the index of its sentiment key.
  const fre = new Float64Array(total);
  const sentimentOf = new Uint32Array(total);
  const sentimentKeys: string[] = [...LABEL_VALUES.sentiment];
  const sentimentIndex = new Map(sentimentKeys.map((v, i) => [v, i] as const));
  const change = new Float64Array(total);
  let changes = 0;

  const overall = new CountsAcc();
  const bySplit =
    split === null ? new Map<string, CountsAcc>([...SPLITS, 'none'].map((s) => [s, new CountsAcc()] as const)) : null;
  // The target and the source's categorical columns (fields.ts), per split too.
  const target = new FieldTally();
  const extraColumns = new ExtraTally();
  const groupTotals = split === null ? new Map<string, number>([...SPLITS, 'none'].map((s) => [s, 0] as const)) : null;

  const stmt = db.prepare<(number | string)[], StatsRow>(
    `SELECT text, bias, toxicity, sentiment, harm, annotation_gold, annotation_derived, annotation_strict,
            disagrees, benign, split, target, extra
       FROM records WHERE ${where} ORDER BY id`,
  );
  let i = 0;
  for (const r of stmt.iterate(...params)) {
    if (i >= total) break; // (cannot happen inside the transaction; guards the typed arrays)
    overall.add(r);
    const group = groupTotals ? (r.split ?? 'none') : undefined;
    if (bySplit) {
      const key = group!;
      let acc = bySplit.get(key);
      if (!acc) bySplit.set(key, (acc = new CountsAcc()));
      acc.add(r);
      groupTotals!.set(key, (groupTotals!.get(key) ?? 0) + 1);
    }
    target.add(r.target, group);
    extraColumns.add(r.extra, group);
    chars[i] = codePointLength(r.text);
    words[i] = whitespaceTokenCount(r.text);
    fre[i] = fleschReadingEase(r.text) ?? Number.NaN;
    const sKey = r.sentiment ?? MISSING;
    let si = sentimentIndex.get(sKey);
    if (si === undefined) {
      si = sentimentKeys.length;
      sentimentKeys.push(sKey);
      sentimentIndex.set(sKey, si);
    }
    sentimentOf[i] = si;
    if (r.benign !== null && r.benign.trim() !== '') change[changes++] = benignChange(r.text, r.benign);
    i++;
    if (onProgress && i % PROGRESS_EVERY === 0) onProgress(i, total);
  }
  const n = i;
  onProgress?.(n, n);

  // FRE per sentiment, all on one set of edges so the histograms compare (Figure 5).
  const freAll = fre.subarray(0, n);
  const freOverall = describe(freAll);
  const edges = freOverall.count > 0 ? niceEdges(freOverall.min!, freOverall.max!, FLESCH_BINS) : [];
  const bySentiment: Record<string, Describe> = {};
  const histogramBySentiment: Record<string, Histogram> = {};
  const groupCounts = new Uint32Array(sentimentKeys.length);
  for (let j = 0; j < n; j++) groupCounts[sentimentOf[j]!]!++;
  // Order: defined values, then others (sorted), then "(missing)" — as in the label counts.
  const extra = sentimentKeys
    .slice(LABEL_VALUES.sentiment.length)
    .filter((k) => k !== MISSING)
    .sort();
  const order = [...LABEL_VALUES.sentiment, ...extra, ...(sentimentIndex.has(MISSING) ? [MISSING] : [])];
  for (const key of order) {
    const si = sentimentIndex.get(key)!;
    const group = new Float64Array(groupCounts[si]!);
    let g = 0;
    for (let j = 0; j < n; j++) if (sentimentOf[j] === si) group[g++] = fre[j]!;
    bySentiment[key] = describe(group);
    histogramBySentiment[key] = histogramWithEdges(group, edges);
  }

  const charsN = chars.subarray(0, n);
  const wordsN = words.subarray(0, n);
  return {
    dataset: dataset.name,
    split,
    records: n,
    labels: overall.result(),
    labelsBySplit: bySplit ? Object.fromEntries([...bySplit].map(([k, acc]) => [k, acc.result()])) : null,
    fields: [
      ...(target.present > 0
        ? [fieldCounts('target', 'Target demographic', 'target', target, n, groupTotals)]
        : ([] as FieldCounts[])),
      ...extraColumns
        .categorical()
        .map(([column, t]) => fieldCounts(EXTRA_PREFIX + column, column, 'extra', t, n, groupTotals)),
    ],
    length: { chars: describe(charsN), words: describe(wordsN) },
    lengthHistogram: {
      chars: histogram(charsN, { bins: LENGTH_BINS, integer: true }),
      words: histogram(wordsN, { bins: LENGTH_BINS, integer: true }),
    },
    flesch: { overall: freOverall, bySentiment, histogramBySentiment },
    benignChange: describe(change.subarray(0, changes)),
  };
}
