// A dataset's fields (fields.ts): which source columns are categories, the field list, the
// records filter on a source column, and the per-field counts of Statistics.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasets as contract, DatasetStats } from '../../../src/shared/contracts/datasets';
import { openDb, type Db } from '../../../src/main/core/db';
import {
  categoryOf,
  ExtraTally,
  FieldTally,
  isCategorical,
  listFields,
  MAX_LISTED,
} from '../../../src/main/core/datasets/fields';
import { queryRecords } from '../../../src/main/core/datasets/repository';
import { computeStats } from '../../../src/main/core/datasets/stats';
import { tempDir } from '../../helpers';

interface Row {
  extra?: Record<string, unknown>;
  target?: string | null;
  bias?: string | null;
  gold?: string | null;
  split?: string | null;
}

function dbWith(rows: Row[]): { db: Db; dataset: { id: number; name: string } } {
  const db = openDb(path.join(tempDir(), 'srlab.sqlite'));
  const id = Number(
    db.prepare("INSERT INTO datasets (name, created_at) VALUES ('d', '2024-01-01')").run().lastInsertRowid,
  );
  const stmt = db.prepare(
    'INSERT INTO records (dataset_id, text, bias, annotation_gold, target, extra, split, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() =>
    rows.forEach((r, i) =>
      stmt.run(
        id,
        `text ${i}`,
        r.bias ?? null,
        r.gold ?? null,
        r.target ?? null,
        JSON.stringify(r.extra ?? {}),
        r.split ?? null,
        `h${i}`,
      ),
    ),
  )();
  return { db, dataset: { id, name: 'd' } };
}

describe('categoryOf: which values can be categories', () => {
  it.each([
    { v: 'Slightly Biased', out: 'Slightly Biased' },
    { v: ' padded ', out: ' padded ' },
    { v: '', out: null },
    { v: '   ', out: null },
    { v: null, out: null },
    { v: undefined, out: null },
    { v: 3, out: '3' },
    { v: -1, out: '-1' },
    { v: true, out: 'true' },
    { v: false, out: 'false' },
    { v: 1.5, out: undefined },
    { v: 2 ** 60, out: undefined },
    { v: ['a'], out: undefined },
    { v: { a: 1 }, out: undefined },
  ])('$v → $out', ({ v, out }) => {
    expect(categoryOf(v)).toBe(out);
  });
});

describe('isCategorical: srlab’s rule (2 to 50 distinct values, one at least repeated)', () => {
  const tally = (values: (string | null)[]) => {
    const t = new FieldTally();
    for (const v of values) t.add(v);
    return t;
  };
  it.each([
    { name: 'two grades', values: ['a', 'b', 'a'], ok: true },
    { name: 'one value only', values: ['x', 'x', 'x'], ok: false },
    { name: 'every value distinct (an id or free text)', values: ['a', 'b', 'c'], ok: false },
    { name: 'mostly missing, values repeated', values: ['a', 'a', 'b', null, null], ok: true },
    {
      name: `${MAX_LISTED} values`,
      values: [...Array(MAX_LISTED).keys()].flatMap((i) => [`v${i}`, `v${i}`]),
      ok: true,
    },
    {
      name: `${MAX_LISTED + 1} values`,
      values: [...Array(MAX_LISTED + 1).keys()].flatMap((i) => [`v${i}`, `v${i}`]),
      ok: false,
    },
  ])('$name → $ok', ({ values, ok }) => {
    expect(isCategorical(tally(values))).toBe(ok);
  });

  it('drops a column once a value cannot be a category, or once it has too many values', () => {
    const t = new ExtraTally();
    const rows = [
      { grade: 'low', score: 0.5, tags: ['a'], n: 1 },
      { grade: 'high', score: 1, tags: [], n: 2 },
      { grade: 'low', score: 2, tags: [], n: 1 },
    ];
    for (const r of rows) t.add(JSON.stringify(r));
    expect(t.categorical().map(([c]) => c)).toEqual(['grade', 'n']);
  });
});

describe('listFields', () => {
  const ROWS: Row[] = [
    { bias: 'Yes', target: 'age', extra: { label: 'Slightly Biased', dimension: 'ageism', id: 'a1', flag: true } },
    { bias: 'Yes', target: 'age', extra: { label: 'Highly Biased', dimension: 'toxicity', id: 'a2', flag: false } },
    { bias: 'No', target: null, extra: { label: 'Slightly Biased', dimension: 'toxicity', id: 'a3', flag: true } },
    { bias: null, target: 'gender', extra: { label: 'Slightly Biased', dimension: '', id: 'a4', nested: { x: 1 } } },
  ];

  it('lists every canonical field with its presence, then the categorical source columns in first-seen order', () => {
    const { db, dataset } = dbWith(ROWS);
    const out = listFields(db, dataset.id);
    expect(contract.fields.output.safeParse(out).success).toBe(true);
    expect(out.fields.map((f) => [f.key, f.kind, f.present])).toEqual([
      ['annotation', 'annotation', 0],
      ['bias', 'label', 3],
      ['toxicity', 'label', 0],
      ['sentiment', 'label', 0],
      ['harm', 'label', 0],
      ['target', 'target', 3],
      ['extra.label', 'extra', 4],
      ['extra.dimension', 'extra', 3],
      ['extra.flag', 'extra', 3],
    ]);
    const label = out.fields.find((f) => f.key === 'extra.label')!;
    expect(label).toMatchObject({
      label: 'label',
      values: [
        { value: 'Slightly Biased', count: 3 },
        { value: 'Highly Biased', count: 1 },
      ],
      moreValues: 0,
    });
    // No annotation anywhere: a split would stratify by the authors' label column.
    expect(out.defaultStratifyBy).toBe('extra.label');
  });

  it('defaults to the annotation as soon as one record has one', () => {
    const { db, dataset } = dbWith([...ROWS, { gold: 'Unsafe' }]);
    expect(listFields(db, dataset.id).defaultStratifyBy).toBe('annotation');
  });

  it('defaults to no strata without annotation or label column', () => {
    const { db, dataset } = dbWith([{ extra: { dimension: 'a' } }, { extra: { dimension: 'a' } }]);
    expect(listFields(db, dataset.id).defaultStratifyBy).toBe('none');
  });
});

describe('queryRecords: filter by a source column', () => {
  const ROWS: Row[] = [
    { extra: { dimension: 'ageism', 'a.b': 'dot', 'say "hi"': 'q', n: 1, ok: true } },
    { extra: { dimension: 'toxicity', 'a.b': 'dot', n: 2, ok: false } },
    { extra: { dimension: 'toxicity', n: 1 } },
    { extra: { dimension: 'ageism ' } },
    { extra: {} },
  ];
  const count = (db: Db, id: number, extra: Record<string, string[]>) => queryRecords(db, id, { extra }, 0, 100).total;

  it('matches any of the chosen values, exactly as written', () => {
    const { db, dataset } = dbWith(ROWS);
    expect(count(db, dataset.id, { dimension: ['ageism'] })).toBe(1);
    expect(count(db, dataset.id, { dimension: ['toxicity'] })).toBe(2);
    expect(count(db, dataset.id, { dimension: ['ageism', 'toxicity'] })).toBe(3);
    expect(count(db, dataset.id, { dimension: ['ageism '] })).toBe(1);
    expect(count(db, dataset.id, { dimension: ['news'] })).toBe(0);
  });

  it('matches integers and booleans as the field list writes them, and column names with dots and quotes', () => {
    const { db, dataset } = dbWith(ROWS);
    expect(count(db, dataset.id, { n: ['1'] })).toBe(2);
    expect(count(db, dataset.id, { ok: ['true'] })).toBe(1);
    expect(count(db, dataset.id, { ok: ['false'] })).toBe(1);
    expect(count(db, dataset.id, { 'a.b': ['dot'] })).toBe(2);
    expect(count(db, dataset.id, { 'say "hi"': ['q'] })).toBe(1);
    // "a.b" is one column, not the path a → b.
    expect(count(db, dataset.id, { a: ['dot'] })).toBe(0);
  });

  it('combines columns with AND, and with the other filters', () => {
    const { db, dataset } = dbWith(ROWS);
    expect(count(db, dataset.id, { dimension: ['toxicity'], n: ['1'] })).toBe(1);
    expect(queryRecords(db, dataset.id, { extra: { dimension: ['toxicity'] }, q: 'text 2' }, 0, 10).total).toBe(1);
  });

  it('accepts the filter through the contract and refuses an empty value list', () => {
    expect(contract.records.input.safeParse({ dataset: 'd', filter: { extra: { dimension: ['x'] } } }).success).toBe(
      true,
    );
    expect(contract.records.input.safeParse({ dataset: 'd', filter: { extra: { dimension: [] } } }).success).toBe(
      false,
    );
  });
});

describe('computeStats: counts of the target and the source columns', () => {
  it('counts each categorical column, per split too, with "(missing)" for records without it', () => {
    const rows: Row[] = [
      { target: 'age', extra: { label: 'S', id: 'x1' }, split: 'train' },
      { target: 'age', extra: { label: 'H', id: 'x2' }, split: 'train' },
      { target: 'gender', extra: { label: 'S', id: 'x3' }, split: 'test' },
      { target: null, extra: { id: 'x4' }, split: null },
    ];
    const { db, dataset } = dbWith(rows);
    const s = computeStats(db, dataset, null);
    expect(DatasetStats.safeParse(s).success).toBe(true);
    expect(s.fields.map((f) => f.key)).toEqual(['target', 'extra.label']);
    const label = s.fields[1]!;
    expect(label.counts).toEqual({ S: 2, H: 1, '(missing)': 1 });
    expect(label.bySplit).toEqual({
      train: { S: 1, H: 1 },
      dev: { S: 0, H: 0 },
      test: { S: 1, H: 0 },
      none: { S: 0, H: 0, '(missing)': 1 },
    });
    expect(s.fields[0]!.counts).toEqual({ age: 2, gender: 1, '(missing)': 1 });
    const test = computeStats(db, dataset, 'test');
    expect(test.fields.find((f) => f.key === 'target')).toMatchObject({ counts: { gender: 1 }, bySplit: null });
  });

  it('lists the 50 most frequent targets and sums the rest under "(other values)"', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 60; i++) for (let k = 0; k <= (i < 50 ? 2 : 0); k++) rows.push({ target: `t${i}` });
    const { db, dataset } = dbWith(rows);
    const target = computeStats(db, dataset, null).fields[0]!;
    expect(Object.keys(target.counts)).toHaveLength(51);
    expect(target.counts['(other values)']).toBe(10);
    expect(target.distinct).toBe(60);
  });

  it('has no fields when records have neither target nor source columns', () => {
    const { db, dataset } = dbWith([{ bias: 'Yes' }, { bias: 'No' }]);
    expect(computeStats(db, dataset, null).fields).toEqual([]);
  });
});
