// Planning a session: the same seed draws the same prompts, a stratified draw is proportional,
// every item goes to perItem distinct evaluators with balanced loads, and each evaluator gets
// their own reproducible order.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/shared/metrics/bootstrap';
import {
  allocate,
  assign,
  buildItems,
  evaluatorOrder,
  samplePrompts,
  type Candidate,
} from '../../../src/main/core/humaneval/sample';

const candidates: Candidate[] = Array.from({ length: 40 }, (_, i) => ({
  prompt: `p${String(i).padStart(2, '0')}`,
  // 20 / 12 / 8: proportions 50% / 30% / 20%
  group: i < 20 ? 'a' : i < 32 ? 'b' : 'c',
}));

describe('prompt sampling', () => {
  it('draws the same prompts for the same seed, whatever order the candidates came in', () => {
    const one = samplePrompts(candidates, 10, 7, false).map((c) => c.prompt);
    const two = samplePrompts([...candidates].reverse(), 10, 7, false).map((c) => c.prompt);
    expect(two).toEqual(one);
    expect(new Set(one).size).toBe(10);
    expect(samplePrompts(candidates, 10, 8, false).map((c) => c.prompt)).not.toEqual(one);
  });

  it('allocates a stratified sample proportionally, by largest remainder', () => {
    const picked = samplePrompts(candidates, 10, 3, true);
    const per = (g: string) => picked.filter((c) => c.group === g).length;
    expect([per('a'), per('b'), per('c')]).toEqual([5, 3, 2]);
    // 7 of (20, 12, 8): exact 3.5 / 2.1 / 1.4 → floors 3/2/1, the one left goes to the largest remainder (a).
    expect(
      Object.fromEntries(
        allocate(
          new Map([
            ['a', 20],
            ['b', 12],
            ['c', 8],
          ]),
          7,
        ),
      ),
    ).toEqual({ a: 4, b: 2, c: 1 });
    expect(samplePrompts(candidates, 10, 3, true)).toEqual(picked);
  });

  it('never allocates more than a group has', () => {
    const q = allocate(
      new Map([
        ['big', 9],
        ['tiny', 1],
      ]),
      10,
    );
    expect(Object.fromEntries(q)).toEqual({ big: 9, tiny: 1 });
  });
});

describe('items and assignment', () => {
  it('builds one item per prompt and model, or per prompt and model pair with both sides used', () => {
    expect(buildItems(4, 3, false, seededRandom(1))).toHaveLength(12);
    const pairs = buildItems(50, 3, true, seededRandom(1));
    expect(pairs).toHaveLength(150);
    for (const p of pairs) expect(p.slot).not.toBe(p.slotB);
    // Sides are drawn: model 1 is sometimes B, not always A.
    expect(pairs.some((p) => p.slotB === 1)).toBe(true);
    expect(pairs.some((p) => p.slot === 1)).toBe(true);
  });

  it('gives each item perItem distinct evaluators with loads within one of each other', () => {
    const per = assign(31, 5, 3, seededRandom(9));
    const loads = per.map((xs) => xs.length);
    expect(loads.reduce((s, v) => s + v, 0)).toBe(93);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    for (let item = 0; item < 31; item++) expect(per.filter((xs) => xs.includes(item))).toHaveLength(3);
    expect(assign(31, 5, 3, seededRandom(9))).toEqual(per);
  });

  it("orders each evaluator's items differently, and the same way again", () => {
    const xs = Array.from({ length: 30 }, (_, i) => i);
    const ann = evaluatorOrder(xs, 5, 'ann');
    const bob = evaluatorOrder(xs, 5, 'bob');
    expect([...ann].sort((a, b) => a - b)).toEqual(xs);
    expect(ann).not.toEqual(bob);
    expect(ann).not.toEqual(xs);
    expect(evaluatorOrder(xs, 5, 'ann')).toEqual(ann);
    expect(evaluatorOrder(xs, 6, 'ann')).not.toEqual(ann);
  });
});

describe('the same seed, the same plan as ever (golden values: a stored session must reproduce)', () => {
  it('assigns and orders exactly as sessions created before did, non-ASCII names included', () => {
    expect(assign(7, 3, 1, seededRandom(7))).toEqual([
      [0, 5],
      [2, 4],
      [1, 3, 6],
    ]);
    const xs = Array.from({ length: 17 }, (_, i) => i);
    expect(evaluatorOrder(xs, 7, 'ann')).toEqual([3, 16, 5, 13, 11, 7, 2, 8, 15, 14, 12, 9, 4, 0, 6, 1, 10]);
    expect(evaluatorOrder(xs, 7, 'Zoë')).toEqual([8, 5, 10, 6, 11, 7, 12, 0, 15, 14, 13, 2, 9, 3, 1, 16, 4]);
  });
});
