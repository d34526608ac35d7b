// The split is pinned: the same seed, ratios, field and data give the very assignment that the
// implementation from before issue 14 (read, hash and write in one IMMEDIATE transaction) gave.
// The digests below were taken from that implementation on this fixed dataset; a change in how
// records are ordered, cut or stratified changes them.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/main/core/db';
import { assignSplits } from '../../../src/main/core/datasets/split';
import { tempDir } from '../../helpers';

const N = 3000;

/** A fixed dataset: annotations (gold, derived, none), labels, a label column; inserted out of hash order. */
function fixedDataset(annotated: boolean): { db: Db; dataset: { id: number; name: string } } {
  const db = openDb(path.join(tempDir(), 'srlab.sqlite'));
  const id = Number(
    db.prepare("INSERT INTO datasets (name, created_at) VALUES ('pinned', '2024-01-01')").run().lastInsertRowid,
  );
  const insert = db.prepare(
    `INSERT INTO records (dataset_id, text, bias, annotation_gold, annotation_derived, extra, content_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let k = 0; k < N; k++) {
      const i = (k * 7919) % N; // a fixed permutation: ids are not in content order
      const gold = annotated && i % 5 === 0 ? (i % 3 ? 'Benign' : 'Unsafe') : null;
      const derived = annotated && i % 7 !== 0 ? (i % 4 ? 'Benign' : 'Unsafe') : null;
      const bias = i % 11 === 0 ? null : i % 3 ? 'Yes' : 'No';
      const extra = JSON.stringify({ label: ['Highly Biased', 'Slightly Biased', 'Not Biased'][i % 3], serial: i });
      const hash = createHash('sha256').update(`record ${i}`).digest('hex');
      insert.run(id, `text ${i}`, bias, gold, derived, extra, hash);
    }
  })();
  return { db, dataset: { id, name: 'pinned' } };
}

/** sha256 of every record's split, in id order. */
function digest(db: Db): string {
  const splits = db.prepare<[], string | null>('SELECT split FROM records ORDER BY id').pluck().all();
  return createHash('sha256').update(splits.join(',')).digest('hex').slice(0, 16);
}

/** sha256 of what assignSplits answered. */
const answer = (out: unknown) => createHash('sha256').update(JSON.stringify(out)).digest('hex').slice(0, 16);

describe('assignSplits gives the assignment it gave before issue 14', () => {
  it.each([
    {
      name: 'default (annotation), 70/10/20, seed 42',
      seed: 42,
      ratios: [70, 10, 20],
      by: undefined,
      want: ['3df81c9d4c2ce63e', 'c1cf3de0d14a02e6'],
    },
    {
      name: 'ratios 1/1/1, seed 7',
      seed: 7,
      ratios: [1, 1, 1],
      by: undefined,
      want: ['0749d033ad52e356', 'a13bb5c7d48a8b38'],
    },
    {
      name: 'stratified by bias',
      seed: 3,
      ratios: [80, 10, 10],
      by: 'bias',
      want: ['a6d3c44e3a8fd405', '34ba97255bf48f9e'],
    },
    { name: 'no strata', seed: 3, ratios: [70, 10, 20], by: 'none', want: ['99fb7935cf8d744f', '784209e7ab6b6c3e'] },
    {
      name: 'a split without a dev set',
      seed: 11,
      ratios: [0.5, 0, 0.5],
      by: undefined,
      want: ['7d551d008f8df7c5', '9b3feed31cecbf92'],
    },
  ])('$name', ({ seed, ratios, by, want }) => {
    const { db, dataset } = fixedDataset(true);
    const out = assignSplits(db, dataset, seed, ratios as [number, number, number], by ? { stratifyBy: by } : {});
    expect([digest(db), answer(out)]).toEqual(want);
  });

  it('by the label column when nothing is annotated', () => {
    const { db, dataset } = fixedDataset(false);
    const out = assignSplits(db, dataset, 42);
    expect(out.stratifiedBy.key).toBe('extra.label');
    expect(digest(db)).toBe('b04ea13a4d77c642');
  });

  it('re-split with another seed over an existing split', () => {
    const { db, dataset } = fixedDataset(true);
    assignSplits(db, dataset, 1);
    const first = digest(db);
    assignSplits(db, dataset, 2);
    expect([first, digest(db)]).toEqual(['3a5264502232e32c', '6ce7fee83cf554e9']);
  });
});
