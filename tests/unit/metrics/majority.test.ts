import { describe, expect, it } from 'vitest';
import { majorityVote } from '../../../src/shared/metrics/majority';

describe('majorityVote', () => {
  it.each([
    [['Yes', 'Yes', 'No'], { winner: 'Yes', tie: false, counts: { Yes: 2, No: 1 }, votes: 3 }],
    [['Yes', 'No'], { winner: null, tie: true, counts: { Yes: 1, No: 1 }, votes: 2 }],
    [['Yes', 'No', 'Mild'], { winner: null, tie: true, counts: { Yes: 1, No: 1, Mild: 1 }, votes: 3 }],
    [['Yes', null, 'Yes'], { winner: 'Yes', tie: false, counts: { Yes: 2 }, votes: 2 }],
    [['No', undefined, 'Yes', 'No'], { winner: 'No', tie: false, counts: { No: 2, Yes: 1 }, votes: 3 }],
    [['Yes'], { winner: 'Yes', tie: false, counts: { Yes: 1 }, votes: 1 }],
    [[null, null, undefined], { winner: null, tie: false, counts: {}, votes: 0 }],
    [[], { winner: null, tie: false, counts: {}, votes: 0 }],
  ] as const)('%j → %j', (votes, expected) => {
    expect(majorityVote<string>(votes)).toEqual(expected);
  });

  it('needs more than half, not just the most votes (plurality is a tie)', () => {
    expect(majorityVote(['A', 'A', 'B', 'C'])).toMatchObject({ winner: null, tie: true, votes: 4 });
    expect(majorityVote(['A', 'A', 'A', 'B', 'C'])).toMatchObject({ winner: 'A', tie: false });
  });

  it('keeps unusual labels as plain counts', () => {
    const r = majorityVote(['__proto__', '__proto__', 'constructor']);
    expect(r.winner).toBe('__proto__');
    expect(Object.keys(r.counts)).toEqual(['__proto__', 'constructor']);
    expect(r.counts['__proto__']).toBe(2);
  });
});
