import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasets } from '../../../src/shared/contracts/datasets';
import { openDb, type Db } from '../../../src/main/core/db';
import { allocate, assignSplits } from '../../../src/main/core/datasets/split';
import { tempDir } from '../../helpers';

interface Rec {
  hash: string;
  gold: string | null;
  derived: string | null;
}

/** `unsafe` Unsafe (gold), `benign` Benign (derived only) and `missing` unannotated records. */
function records(unsafe: number, benign: number, missing: number): Rec[] {
  const out: Rec[] = [];
  for (let i = 0; i < unsafe; i++)
    out.push({ hash: `u${i}`, gold: 'Unsafe', derived: i % 3 === 0 ? 'Benign' : 'Unsafe' });
  for (let i = 0; i < benign; i++) out.push({ hash: `b${i}`, gold: null, derived: 'Benign' });
  for (let i = 0; i < missing; i++) out.push({ hash: `m${i}`, gold: null, derived: null });
  return out;
}

function dbWith(recs: Rec[]): { db: Db; dataset: { id: number; name: string } } {
  const db = openDb(path.join(tempDir(), 'srlab.sqlite'));
  const id = Number(
    db.prepare("INSERT INTO datasets (name, created_at) VALUES ('cmd', '2024-01-01')").run().lastInsertRowid,
  );
  const stmt = db.prepare(
    'INSERT INTO records (dataset_id, text, annotation_gold, annotation_derived, content_hash) VALUES (?, ?, ?, ?, ?)',
  );
  db.transaction(() => recs.forEach((r) => stmt.run(id, `text ${r.hash}`, r.gold, r.derived, r.hash)))();
  return { db, dataset: { id, name: 'cmd' } };
}

function assignment(db: Db): Record<string, string | null> {
  const rows = db
    .prepare<[], { content_hash: string; split: string | null }>('SELECT content_hash, split FROM records')
    .all();
  return Object.fromEntries(rows.map((r) => [r.content_hash, r.split]));
}

/** A deterministic shuffle (so the test itself is reproducible). */
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('allocate (largest remainder)', () => {
  it.each([
    { n: 10, shares: [0.7, 0.1, 0.2], counts: [7, 1, 2] },
    { n: 1000, shares: [0.7, 0.1, 0.2], counts: [700, 100, 200] },
    { n: 19999, shares: [0.7, 0.1, 0.2], counts: [13999, 2000, 4000] },
    { n: 3, shares: [1 / 3, 1 / 3, 1 / 3], counts: [1, 1, 1] },
    { n: 5, shares: [0.7, 0.1, 0.2], counts: [4, 0, 1] },
    { n: 1, shares: [0.7, 0.1, 0.2], counts: [1, 0, 0] },
    { n: 7, shares: [0.5, 0, 0.5], counts: [4, 0, 3] },
    { n: 0, shares: [0.7, 0.1, 0.2], counts: [0, 0, 0] },
  ])('$n records at $shares → $counts', ({ n, shares, counts }) => {
    expect(allocate(n, shares as [number, number, number])).toEqual(counts);
  });
});

describe('assignSplits', () => {
  const RECS = records(700, 300, 10);

  it('gives the same split for the same seed whatever order the records were inserted in', () => {
    const a = dbWith(RECS);
    const b = dbWith(shuffled(RECS, 7));
    assignSplits(a.db, a.dataset, 42, [70, 10, 20]);
    assignSplits(b.db, b.dataset, 42, [70, 10, 20]);
    expect(assignment(b.db)).toEqual(assignment(a.db));
  });

  it('gives a different split for a different seed, with the same counts', () => {
    const { db, dataset } = dbWith(RECS);
    const first = assignSplits(db, dataset, 1, [70, 10, 20]);
    const one = assignment(db);
    const second = assignSplits(db, dataset, 2, [70, 10, 20]);
    const two = assignment(db);
    const changed = Object.keys(one).filter((h) => two[h] !== one[h]).length;
    expect(changed).toBeGreaterThan(100);
    expect(second.counts).toEqual(first.counts);
  });

  it('stratifies by the effective annotation (gold, else derived; "(missing)" when neither)', () => {
    const { db, dataset } = dbWith(RECS);
    const out = assignSplits(db, dataset, 42, [70, 10, 20]);
    expect(out.byStratum).toEqual({
      '(missing)': { train: 7, dev: 1, test: 2 },
      Benign: { train: 210, dev: 30, test: 60 },
      Unsafe: { train: 490, dev: 70, test: 140 },
    });
    expect(out.counts).toEqual({ train: 707, dev: 101, test: 202 });
    expect(datasets.split.output.safeParse(out).success).toBe(true);
  });

  it('stores what it reports, in every record', () => {
    const { db, dataset } = dbWith(RECS);
    const out = assignSplits(db, dataset, 42, [70, 10, 20]);
    const stored = db
      .prepare<[], { split: string | null; n: number }>(
        'SELECT split, COUNT(*) AS n FROM records GROUP BY split ORDER BY split',
      )
      .all();
    expect(stored).toEqual([
      { split: 'dev', n: out.counts.dev },
      { split: 'test', n: out.counts.test },
      { split: 'train', n: out.counts.train },
    ]);
  });

  it.each([
    { ratios: [7, 1, 2], same: [70, 10, 20] },
    { ratios: [0.7, 0.1, 0.2], same: [70, 10, 20] },
    { ratios: [1, 1, 1], same: [5, 5, 5] },
  ])('treats ratios as weights: $ratios splits like $same', ({ ratios, same }) => {
    const a = dbWith(RECS);
    const b = dbWith(RECS);
    const out = assignSplits(a.db, a.dataset, 9, ratios as [number, number, number]);
    assignSplits(b.db, b.dataset, 9, same as [number, number, number]);
    expect(assignment(a.db)).toEqual(assignment(b.db));
    expect(out.ratios.reduce((s, r) => s + r, 0)).toBeCloseTo(1, 12);
  });

  it.each([
    { ratios: [1, 0, 0], counts: { train: 1010, dev: 0, test: 0 } },
    { ratios: [0, 0, 5], counts: { train: 0, dev: 0, test: 1010 } },
    { ratios: [0, 1, 1], counts: { train: 0, dev: 505, test: 505 } },
  ])('puts nothing in a split whose ratio is 0: $ratios', ({ ratios, counts }) => {
    const { db, dataset } = dbWith(RECS);
    expect(assignSplits(db, dataset, 3, ratios as [number, number, number]).counts).toEqual(counts);
  });

  it('rejects ratios that are all 0 or negative', () => {
    const { db, dataset } = dbWith(RECS);
    expect(() => assignSplits(db, dataset, 1, [0, 0, 0])).toThrow(/ratios/);
    expect(() => assignSplits(db, dataset, 1, [-1, 1, 1])).toThrow(/ratios/);
  });

  it('reports the normalised ratios and the 70/10/20 default', () => {
    const { db, dataset } = dbWith(records(10, 0, 0));
    const out = assignSplits(db, dataset, 42);
    expect(out.ratios.map((r) => Number(r.toFixed(12)))).toEqual([0.7, 0.1, 0.2]);
    expect(out).toMatchObject({ dataset: 'cmd', seed: 42, counts: { train: 7, dev: 1, test: 2 } });
  });

  it('handles an empty dataset', () => {
    const { db, dataset } = dbWith([]);
    expect(assignSplits(db, dataset, 42)).toMatchObject({ counts: { train: 0, dev: 0, test: 0 }, byStratum: {} });
  });
});

describe('assignSplits: the field it stratifies by', () => {
  /** Records with a bias label and source columns, no annotation. */
  function dbWithColumns(rows: { bias: string | null; extra: Record<string, unknown> }[]) {
    const db = openDb(path.join(tempDir(), 'srlab.sqlite'));
    const id = Number(
      db.prepare("INSERT INTO datasets (name, created_at) VALUES ('cols', '2024-01-01')").run().lastInsertRowid,
    );
    const stmt = db.prepare('INSERT INTO records (dataset_id, text, bias, extra, content_hash) VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => rows.forEach((r, i) => stmt.run(id, `t${i}`, r.bias, JSON.stringify(r.extra), `c${i}`)))();
    return { db, dataset: { id, name: 'cols' } };
  }
  const ROWS = Array.from({ length: 100 }, (_, i) => ({
    bias: i % 4 === 0 ? 'No' : i % 10 === 0 ? null : 'Yes',
    extra: { label: i % 3 === 0 ? 'Highly Biased' : 'Slightly Biased', serial: `s${i}` },
  }));

  it('stratifies by a label when asked, "(missing)" for records without it', () => {
    const { db, dataset } = dbWithColumns(ROWS);
    const out = assignSplits(db, dataset, 1, [70, 10, 20], { stratifyBy: 'Bias' });
    expect(out.stratifiedBy).toEqual({ key: 'bias', label: 'Bias', defaultReason: null });
    const sizes = { No: 25, Yes: 70, '(missing)': 5 };
    for (const [value, size] of Object.entries(sizes)) {
      const [train, dev, test] = allocate(size, [0.7, 0.1, 0.2]);
      expect(out.byStratum[value]).toEqual({ train, dev, test });
    }
  });

  it('defaults to the label column when no record has an annotation, and to no strata without one', () => {
    const withLabel = dbWithColumns(ROWS);
    expect(assignSplits(withLabel.db, withLabel.dataset, 1).stratifiedBy.key).toBe('extra.label');
    const without = dbWithColumns(ROWS.map((r) => ({ ...r, extra: { serial: r.extra.serial } })));
    const out = assignSplits(without.db, without.dataset, 1);
    expect(out.stratifiedBy).toMatchObject({ key: 'none', defaultReason: expect.stringMatching(/no "label" column/) });
    expect(out.byStratum).toEqual({ '(all records)': { train: 70, dev: 10, test: 20 } });
  });

  it('falls back to no strata, and says why, when the label column is no category', () => {
    const { db, dataset } = dbWithColumns(ROWS.map((r) => ({ ...r, extra: { label: r.extra.serial } })));
    const out = assignSplits(db, dataset, 1);
    expect(out.stratifiedBy.key).toBe('none');
    expect(out.stratifiedBy.defaultReason).toMatch(/not a category \(100 distinct values/);
    expect(Object.keys(out.byStratum)).toEqual(['(all records)']);
  });

  it('refuses an asked-for column that is no category, and leaves the split as it was', () => {
    const { db, dataset } = dbWithColumns(ROWS);
    assignSplits(db, dataset, 1);
    const before = assignment(db);
    expect(() => assignSplits(db, dataset, 2, [70, 10, 20], { stratifyBy: 'extra.serial' })).toThrow(
      /cannot stratify by "extra.serial": "serial" is not a category/,
    );
    expect(assignment(db)).toEqual(before);
  });

  it('gives the split that annotation-stratified datasets always had (the default is unchanged for them)', () => {
    const { db, dataset } = dbWith(records(700, 300, 10));
    const byDefault = assignSplits(db, dataset, 42);
    const first = assignment(db);
    const asked = assignSplits(db, dataset, 42, [70, 10, 20], { stratifyBy: 'annotation' });
    expect(assignment(db)).toEqual(first);
    expect(byDefault.stratifiedBy.key).toBe('annotation');
    expect(asked.stratifiedBy.defaultReason).toBeNull();
    expect(asked.byStratum).toEqual(byDefault.byStratum);
  });
});
