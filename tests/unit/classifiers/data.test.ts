// Which class a CMD record is for each label a classifier can be trained on: the benign value(s)
// are negative, anything else — also a value outside the set, kept as written — is positive
// (METRICS.md §8's "non-benign"); annotation is the gold one, else the derived one.
import { describe, expect, it } from 'vitest';
import { classOf } from '../../../src/main/core/classifiers/data';
import type { Labels } from '../../../src/shared/domain';

const rec = (labels: Partial<Labels>, gold: string | null = null, derived: 'Unsafe' | 'Benign' | null = null) => ({
  labels: { bias: null, toxicity: null, sentiment: null, harm: null, ...labels },
  annotationGold: gold,
  annotationDerived: derived,
});

describe('classOf', () => {
  it('reads each label by its benign values', () => {
    expect(classOf(rec({ bias: 'Yes' }), 'bias')).toBe(1);
    expect(classOf(rec({ bias: 'No' }), 'bias')).toBe(0);
    expect(classOf(rec({ toxicity: 'Mild' }), 'toxicity')).toBe(1);
    expect(classOf(rec({ toxicity: 'No' }), 'toxicity')).toBe(0);
    expect(classOf(rec({ sentiment: 'Negative' }), 'sentiment')).toBe(1);
    expect(classOf(rec({ sentiment: 'Neutral' }), 'sentiment')).toBe(0);
    expect(classOf(rec({ sentiment: 'Positive' }), 'sentiment')).toBe(0);
    expect(classOf(rec({ harm: 'Medium' }), 'harm')).toBe(1);
    expect(classOf(rec({ harm: 'Low' }), 'harm')).toBe(0);
  });

  it('counts a value outside the set as non-benign and a missing one as no example', () => {
    // Example 1001 of the paper's data has Toxicity "Yes" (METRICS.md §8).
    expect(classOf(rec({ toxicity: 'Yes' }), 'toxicity')).toBe(1);
    expect(classOf(rec({}), 'toxicity')).toBeNull();
  });

  it('takes the gold annotation, else the derived one', () => {
    expect(classOf(rec({}, 'Unsafe', 'Benign'), 'annotation')).toBe(1);
    expect(classOf(rec({}, 'Benign', 'Unsafe'), 'annotation')).toBe(0);
    // A gold value outside Unsafe/Benign (kept as written) falls back to the rule's.
    expect(classOf(rec({}, 'unclear', 'Unsafe'), 'annotation')).toBe(1);
    expect(classOf(rec({}, null, null), 'annotation')).toBeNull();
  });
});
