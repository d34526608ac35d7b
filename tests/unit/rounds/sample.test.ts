// Who labels what in a round: a seeded draw, a balanced assignment and a per-annotator order,
// all reproducible from the round's seed (pure functions, no database).
import { describe, expect, it } from 'vitest';
import { annotatorOrder, assignBalanced, drawRecords } from '../../../src/main/core/rounds/sample';

const ids = Array.from({ length: 100 }, (_, i) => i + 1);

describe('drawing records', () => {
  it('draws n distinct records of the population, the same for the same seed', () => {
    const a = drawRecords(ids, 20, 7);
    expect(a).toHaveLength(20);
    expect(new Set(a).size).toBe(20);
    for (const id of a) expect(ids).toContain(id);
    expect(drawRecords(ids, 20, 7)).toEqual(a);
  });

  it('draws differently with another seed, and is not simply the first records', () => {
    const a = drawRecords(ids, 20, 7);
    expect(drawRecords(ids, 20, 8)).not.toEqual(a);
    expect(a).not.toEqual(ids.slice(0, 20));
  });

  it('draws the whole population when asked for all of it, and refuses more', () => {
    expect([...drawRecords(ids, 100, 1)].sort((x, y) => x - y)).toEqual(ids);
    expect(() => drawRecords(ids, 101, 1)).toThrow(/101 of 100/);
  });
});

describe('balanced assignment', () => {
  const table = [
    { records: 10, annotators: ['a', 'b', 'c', 'd'], perRecord: 3 },
    { records: 7, annotators: ['a', 'b', 'c'], perRecord: 2 },
    { records: 25, annotators: ['a', 'b', 'c', 'd', 'e'], perRecord: 3 },
    { records: 5, annotators: ['a', 'b', 'c'], perRecord: 3 },
  ];
  for (const { records, annotators, perRecord } of table) {
    it(`gives each of ${records} records ${perRecord} distinct annotators of ${annotators.length}, loads within one`, () => {
      const recs = ids.slice(0, records);
      const out = assignBalanced(recs, annotators, perRecord, 11);
      const load = new Map(annotators.map((a) => [a, 0]));
      for (const r of recs) {
        const who = out.get(r)!;
        expect(who).toHaveLength(perRecord);
        expect(new Set(who).size).toBe(perRecord);
        for (const a of who) load.set(a, load.get(a)! + 1);
      }
      const loads = [...load.values()];
      expect(loads.reduce((s, v) => s + v, 0)).toBe(records * perRecord);
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
      expect(assignBalanced(recs, annotators, perRecord, 11)).toEqual(out);
    });
  }

  it('varies which annotators share records (not always the same group)', () => {
    const out = assignBalanced(ids.slice(0, 30), ['a', 'b', 'c', 'd', 'e'], 2, 3);
    const pairs = new Set([...out.values()].map((w) => [...w].sort().join('+')));
    expect(pairs.size).toBeGreaterThan(3);
  });

  it('refuses more annotators per record than there are', () => {
    expect(() => assignBalanced([1], ['a'], 2, 1)).toThrow(/2 per record but 1/);
  });
});

describe("each annotator's order", () => {
  it('is a permutation of their records, reproducible, and differs between annotators', () => {
    const recs = ids.slice(0, 20);
    const a = annotatorOrder(recs, 5, 'ann');
    expect([...a].sort((x, y) => x - y)).toEqual(recs);
    expect(annotatorOrder(recs, 5, 'ann')).toEqual(a);
    expect(annotatorOrder(recs, 5, 'bob')).not.toEqual(a);
    expect(annotatorOrder(recs, 6, 'ann')).not.toEqual(a);
  });
});

describe('the same seed, the same plan as ever (golden values: a stored round must reproduce)', () => {
  const pop = Array.from({ length: 50 }, (_, i) => i * 3 + 1);
  it('draws, assigns and orders exactly as rounds created before did, non-ASCII names included', () => {
    expect(drawRecords(pop, 20, 7)).toEqual([
      73, 118, 46, 64, 115, 43, 82, 25, 67, 85, 79, 7, 148, 133, 124, 94, 49, 103, 130, 34,
    ]);
    expect([...assignBalanced(pop.slice(0, 7), ['x', 'Zoë', '😀'], 2, 7)]).toEqual([
      [1, ['Zoë', '😀']],
      [4, ['x', 'Zoë']],
      [7, ['x', '😀']],
      [10, ['Zoë', '😀']],
      [13, ['x', '😀']],
      [16, ['x', 'Zoë']],
      [19, ['x', 'Zoë']],
    ]);
    expect(annotatorOrder(pop.slice(0, 17), 7, 'ann')).toEqual([
      49, 16, 40, 7, 19, 31, 25, 43, 46, 13, 37, 10, 22, 34, 28, 4, 1,
    ]);
    expect(annotatorOrder(pop.slice(0, 17), 7, 'Zoë')).toEqual([
      34, 25, 16, 37, 40, 22, 46, 49, 1, 7, 43, 13, 28, 31, 19, 4, 10,
    ]);
  });
});
