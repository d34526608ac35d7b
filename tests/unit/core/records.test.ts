import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/main/core/db';
import { editRecord, getRecord, queryRecords } from '../../../src/main/core/datasets/repository';
import { tempDir } from '../../helpers';

function seed(): Db {
  const db = openDb(path.join(tempDir(), 'r.sqlite'));
  db.prepare("INSERT INTO datasets (id, name, created_at) VALUES (1, 'd', 'now')").run();
  const insert =
    db.prepare(`INSERT INTO records (dataset_id, text, bias, toxicity, sentiment, harm, annotation_gold, annotation_derived, annotation_strict, disagrees, target, split, content_hash)
    VALUES (1, @text, @bias, @toxicity, @sentiment, @harm, @gold, @derived, @strict, @disagrees, @target, @split, @hash)`);
  const rows = [
    {
      text: 'Older workers slow everyone down.',
      bias: 'Yes',
      toxicity: 'Mild',
      sentiment: 'Negative',
      harm: 'Low',
      gold: 'Unsafe',
      derived: 'Unsafe',
      strict: 'Unsafe',
      disagrees: 0,
      target: 'age group',
      split: 'train',
    },
    {
      text: 'The council meets on Tuesday.',
      bias: 'No',
      toxicity: 'No',
      sentiment: 'Neutral',
      harm: 'Low',
      gold: 'Benign',
      derived: 'Benign',
      strict: 'Benign',
      disagrees: 0,
      target: null,
      split: 'test',
    },
    {
      text: 'People like them should be driven out of town.',
      bias: 'Yes',
      toxicity: 'High',
      sentiment: 'Neutral',
      harm: 'High',
      gold: 'Unsafe',
      derived: 'Benign',
      strict: 'Unsafe',
      disagrees: 1,
      target: 'religion',
      split: null,
    },
  ];
  rows.forEach((r, i) => insert.run({ ...r, hash: `h${i}` }));
  return db;
}

describe('record queries', () => {
  it.each([
    ['no filter', {}, [1, 2, 3]],
    ['a label value', { bias: ['Yes' as const] }, [1, 3]],
    ['the effective annotation', { annotation: ['Unsafe' as const] }, [1, 3]],
    ['split, including unsplit records', { split: ['test' as const, 'none' as const] }, [2, 3]],
    ['target', { target: 'religion' }, [3]],
    ['case-insensitive text search, wildcards literal', { q: 'COUNCIL' }, [2]],
    ['a LIKE wildcard is just a character', { q: '%' }, []],
    ['disagreements only', { disagreesOnly: true }, [3]],
  ])('filter by %s', (_t, filter, ids) => {
    const db = seed();
    const out = queryRecords(db, 1, filter, 0, 100);
    expect(out.rows.map((r) => r.id)).toEqual(ids);
    expect(out.total).toBe(ids.length);
  });

  it('pages with offset and limit while reporting the full total', () => {
    const out = queryRecords(seed(), 1, {}, 1, 1);
    expect(out).toMatchObject({ total: 3, rows: [{ id: 2 }] });
  });
});

describe('editing a record', () => {
  it('keeps who, when, before and after for each changed field, and re-derives the annotation', () => {
    const db = seed();
    const out = editRecord(
      db,
      2,
      { sentiment: 'Negative', toxicity: 'High', bias: 'No' /* unchanged: no edit kept */ },
      'ana',
      'second look',
      '2026-11-27T10:00:00.000Z',
    );
    expect(out.record.labels).toMatchObject({ sentiment: 'Negative', toxicity: 'High' });
    expect(out.record.annotationDerived).toBe('Unsafe');
    expect(out.record.annotationDisagrees).toBe(true); // gold still says Benign
    expect(out.edits).toEqual([
      expect.objectContaining({
        field: 'sentiment',
        before: 'Neutral',
        after: 'Negative',
        editor: 'ana',
        note: 'second look',
        at: '2026-11-27T10:00:00.000Z',
      }),
      expect.objectContaining({ field: 'toxicity', before: 'No', after: 'High' }),
    ]);
    const fixed = editRecord(db, 2, { annotationGold: 'Unsafe' }, 'ben', null, '2026-11-27T11:00:00.000Z');
    expect(fixed.record.annotationDisagrees).toBe(false);
    expect(fixed.edits).toHaveLength(3);
    expect(getRecord(db, 2).record.annotationGold).toBe('Unsafe');
  });

  it('stores biased words as a list and answers not-found for an unknown record', () => {
    const db = seed();
    expect(editRecord(db, 1, { biasedWords: ['slow', 'older workers'] }, 'ana', null, 't').record.biasedWords).toEqual([
      'slow',
      'older workers',
    ]);
    expect(() => editRecord(db, 99, { bias: 'No' }, 'ana', null, 't')).toThrow(/no record 99/);
  });
});
