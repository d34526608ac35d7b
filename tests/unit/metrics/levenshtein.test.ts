import { describe, expect, it } from 'vitest';
import { benignChange, changeTokens, levenshtein } from '../../../src/shared/metrics/levenshtein';

describe('levenshtein', () => {
  it.each([
    { a: 'kitten', b: 'sitting', d: 3 },
    { a: '', b: 'ab', d: 2 },
    { a: 'abc', b: '', d: 3 },
    { a: 'flaw', b: 'lawn', d: 2 },
    { a: 'same', b: 'same', d: 0 },
  ])('distance($a, $b) = $d over tokens, either order', ({ a, b, d }) => {
    expect(levenshtein([...a], [...b])).toBe(d);
    expect(levenshtein([...b], [...a])).toBe(d);
  });
});

describe('benignChange (METRICS.md section 11: word Levenshtein / longer word count)', () => {
  it.each([
    { original: 'the cat sat here', benign: 'the cat sat here', change: 0 },
    { original: 'Wish me Luck !', benign: 'Wish me luck!', change: 0 },
    { original: 'the cat sat here', benign: 'the dog sat here', change: 1 / 4 },
    { original: 'a b c', benign: 'a b c d', change: 1 / 4 },
    { original: 'a b c d', benign: 'a b', change: 2 / 4 },
    { original: 'one two three', benign: 'four five six', change: 1 },
    { original: 'x', benign: 'completely different longer text', change: 1 },
    { original: '', benign: '!!!', change: 0 },
  ])('$original → $benign is $change', ({ original, benign, change }) => {
    expect(benignChange(original, benign)).toBeCloseTo(change, 15);
  });

  it('ignores case and punctuation but not word order', () => {
    expect(changeTokens('Hello, World!')).toEqual(['hello', 'world']);
    expect(benignChange('a b', 'b a')).toBe(1);
  });
});
