import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { DatasetStats } from '../../../src/shared/contracts/datasets';
import { openDb, type Db } from '../../../src/main/core/db';
import { codePointLength, computeStats, whitespaceTokenCount } from '../../../src/main/core/datasets/stats';
import { hasSharedData, sharedData, tempDir } from '../../helpers';

interface Row {
  text: string;
  bias?: string | null;
  toxicity?: string | null;
  sentiment?: string | null;
  harm?: string | null;
  gold?: string | null;
  derived?: string | null;
  strict?: string | null;
  disagrees?: 0 | 1;
  benign?: string | null;
  split?: string | null;
}

function freshDb(): { db: Db; dataset: { id: number; name: string } } {
  const db = openDb(path.join(tempDir(), 'srlab.sqlite'));
  const id = Number(
    db.prepare("INSERT INTO datasets (name, created_at) VALUES ('t', '2024-01-01')").run().lastInsertRowid,
  );
  return { db, dataset: { id, name: 't' } };
}

function insert(db: Db, datasetId: number, rows: Row[]): void {
  const stmt = db.prepare(
    `INSERT INTO records (dataset_id, text, bias, toxicity, sentiment, harm, annotation_gold, annotation_derived,
                          annotation_strict, disagrees, benign, split, content_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const r of rows) {
      const hash = createHash('sha256').update(JSON.stringify(r)).digest('hex').slice(0, 32);
      stmt.run(
        datasetId,
        r.text,
        r.bias ?? null,
        r.toxicity ?? null,
        r.sentiment ?? null,
        r.harm ?? null,
        r.gold ?? null,
        r.derived ?? null,
        r.strict ?? null,
        r.disagrees ?? 0,
        r.benign ?? null,
        r.split ?? null,
        hash,
      );
    }
  })();
}

const CAT = 'The cat sat on the mat.';

describe('computeStats: label counts (METRICS.md section 11)', () => {
  let db: Db;
  let dataset: { id: number; name: string };
  beforeEach(() => {
    ({ db, dataset } = freshDb());
    insert(db, dataset.id, [
      {
        text: 'a one',
        bias: 'Yes',
        toxicity: 'High',
        sentiment: 'Negative',
        harm: 'High',
        gold: 'Unsafe',
        derived: 'Unsafe',
        strict: 'Unsafe',
        split: 'train',
      },
      {
        text: 'a two',
        bias: 'No',
        toxicity: 'Yes',
        sentiment: 'Negative',
        harm: 'Low',
        gold: 'Benign',
        derived: 'Unsafe',
        strict: 'Unsafe',
        disagrees: 1,
        split: 'train',
      },
      {
        text: 'a three',
        bias: null,
        toxicity: 'No',
        sentiment: 'Neutral',
        harm: 'Low',
        derived: 'Benign',
        strict: null,
        split: 'test',
      },
      { text: 'a four', bias: 'No', toxicity: 'No', sentiment: null, harm: 'Low', derived: null, strict: 'Benign' },
    ]);
  });

  it('counts every defined value (zeros included), "(missing)" for nulls and an outside value under its own key', () => {
    const s = computeStats(db, dataset, null);
    expect(s.records).toBe(4);
    expect(s.labels.bias).toEqual({ No: 2, Yes: 1, '(missing)': 1 });
    expect(s.labels.toxicity).toEqual({ No: 2, Mild: 0, High: 1, Yes: 1 });
    expect(s.labels.sentiment).toEqual({ Negative: 2, Neutral: 1, Positive: 0, '(missing)': 1 });
    expect(s.labels.harm).toEqual({ Low: 3, Medium: 0, High: 1 });
  });

  it('counts the effective annotation (gold where present, else derived) beside gold, derived and strict', () => {
    const s = computeStats(db, dataset, null);
    expect(s.labels.annotation).toEqual({ Unsafe: 1, Benign: 2, '(missing)': 1 });
    expect(s.labels.annotationGold).toEqual({ Unsafe: 1, Benign: 1, '(missing)': 2 });
    expect(s.labels.annotationDerived).toEqual({ Unsafe: 2, Benign: 1, '(missing)': 1 });
    expect(s.labels.annotationStrict).toEqual({ Unsafe: 2, Benign: 1, '(missing)': 1 });
    expect(s.labels.disagreements).toBe(1);
  });

  it('gives counts per split (train/dev/test/none) only for the whole dataset', () => {
    const all = computeStats(db, dataset, null);
    expect(Object.keys(all.labelsBySplit!)).toEqual(['train', 'dev', 'test', 'none']);
    expect(all.labelsBySplit!.train!.annotation).toEqual({ Unsafe: 1, Benign: 1 });
    expect(all.labelsBySplit!.dev!.bias).toEqual({ No: 0, Yes: 0 });
    expect(all.labelsBySplit!.none!.sentiment['(missing)']).toBe(1);

    const train = computeStats(db, dataset, 'train');
    expect(train).toMatchObject({ split: 'train', records: 2, labelsBySplit: null });
    expect(train.labels.disagreements).toBe(1);
  });

  it('returns output the datasets.stats contract accepts', () => {
    expect(DatasetStats.safeParse(computeStats(db, dataset, null)).success).toBe(true);
  });
});

describe('computeStats: lengths, Flesch and benign change', () => {
  it.each([
    { text: 'plain', chars: 5 },
    { text: 'café', chars: 4 },
    { text: '😀 ok', chars: 4 },
    { text: '𝔘𝔫𝔦', chars: 3 },
  ])('counts characters as Unicode code points: $text → $chars', ({ text, chars }) => {
    expect(codePointLength(text)).toBe(chars);
    expect(codePointLength(text)).toBe([...text].length);
  });

  it.each([
    { text: 'one two  three', words: 3 },
    { text: '  lead and trail\n', words: 3 },
    { text: 'tab\tand\nnewline', words: 3 },
    { text: "I 'm here !", words: 4 },
    { text: '', words: 0 },
  ])('counts words as whitespace-separated tokens: $text → $words', ({ text, words }) => {
    expect(whitespaceTokenCount(text)).toBe(words);
  });

  it('describes FRE overall and per sentiment, on shared histogram edges, leaving out texts without words', () => {
    const { db, dataset } = freshDb();
    insert(db, dataset.id, [
      { text: CAT, sentiment: 'Positive' },
      { text: `${CAT} It was a sunny day, and everyone felt happy.`, sentiment: 'Positive' },
      { text: '!!!', sentiment: 'Negative' },
      { text: 'Cats sleep.', sentiment: 'Mixed' },
    ]);
    const s = computeStats(db, dataset, null);
    expect(s.flesch.overall.count).toBe(3);
    expect(s.flesch.bySentiment.Positive!.count).toBe(2);
    expect(s.flesch.bySentiment.Positive!.mean).toBeCloseTo((116.145 + 92.0625) / 2, 10);
    expect(s.flesch.bySentiment.Negative!.count).toBe(0);
    expect(Object.keys(s.flesch.bySentiment)).toEqual(['Negative', 'Neutral', 'Positive', 'Mixed']);
    const edges = Object.values(s.flesch.histogramBySentiment).map((h) => h.edges);
    for (const e of edges) expect(e).toEqual(edges[0]);
    expect(s.flesch.histogramBySentiment.Positive!.counts.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('measures benign change only over records with a benign variation', () => {
    const { db, dataset } = freshDb();
    insert(db, dataset.id, [
      { text: 'the cat sat here', benign: 'the dog sat here' },
      { text: 'one two', benign: 'one two' },
      { text: 'no rewrite', benign: null },
      { text: 'blank rewrite', benign: '  ' },
    ]);
    const s = computeStats(db, dataset, null);
    expect(s.benignChange).toMatchObject({ count: 2, mean: 0.125, min: 0, max: 0.25 });
    expect(s.length.words).toMatchObject({ count: 4, min: 2, max: 4 });
  });

  it('gives empty summaries for an empty dataset', () => {
    const { db, dataset } = freshDb();
    const s = computeStats(db, dataset, null);
    expect(s.records).toBe(0);
    expect(s.length.chars).toMatchObject({ count: 0, mean: null });
    expect(s.lengthHistogram.chars).toEqual({ edges: [], counts: [] });
    expect(DatasetStats.safeParse(s).success).toBe(true);
  });
});

const TRAIN_500 = ['srllm', 'train_500.csv'] as const;

describe.skipIf(!hasSharedData(...TRAIN_500))("computeStats on the authors' train_500.csv", () => {
  // Reference values computed independently with Python's statistics module (exact arithmetic):
  //   /usr/bin/python3 -c "import csv, statistics as st
  //   rows = list(csv.DictReader(open('../shared/data/srllm/train_500.csv', encoding='utf-8', newline='')))
  //   for f in (len, lambda s: len(s.split())):
  //       x = [f(r['biased_text']) for r in rows]
  //       print(len(x), st.fmean(x), st.stdev(x), min(x), st.quantiles(x, n=4, method='inclusive'), max(x))"
  // (method='inclusive' is the linear interpolation of pandas describe.)
  const EXPECTED = {
    chars: {
      count: 434,
      mean: 318.99769585253455,
      std: 245.19214785780164,
      min: 21,
      p25: 110,
      p50: 246,
      p75: 494.5,
      max: 1283,
    },
    words: {
      count: 434,
      mean: 62.57834101382488,
      std: 46.608086314967785,
      min: 4,
      p25: 23,
      p50: 49.5,
      p75: 96,
      max: 150,
    },
  };

  it('matches the independently computed char and word length summaries', () => {
    const rows = parse(fs.readFileSync(sharedData(...TRAIN_500)), { columns: true, bom: true }) as Record<
      string,
      string
    >[];
    const { db, dataset } = freshDb();
    insert(
      db,
      dataset.id,
      rows.map((r) => ({ text: r.biased_text!, benign: r.debiased_text || null })),
    );
    const s = computeStats(db, dataset, null);
    expect(s.records).toBe(434);
    for (const k of ['chars', 'words'] as const) {
      const got = s.length[k];
      const want = EXPECTED[k];
      expect({ count: got.count, min: got.min, p25: got.p25, p50: got.p50, p75: got.p75, max: got.max }).toEqual({
        count: want.count,
        min: want.min,
        p25: want.p25,
        p50: want.p50,
        p75: want.p75,
        max: want.max,
      });
      expect(got.mean).toBeCloseTo(want.mean, 10);
      expect(got.std).toBeCloseTo(want.std, 10);
      expect(s.lengthHistogram[k].counts.reduce((a, b) => a + b, 0)).toBe(434);
    }
    expect(s.benignChange.count).toBe(434);
    expect(s.benignChange.min).toBeGreaterThanOrEqual(0);
    expect(s.benignChange.max).toBeLessThanOrEqual(1);
    expect(s.labels.bias).toEqual({ No: 0, Yes: 0, '(missing)': 434 });
  });
});
