import { describe, expect, it } from 'vitest';
import { deriveAnnotation } from '../../../src/shared/metrics/annotation';

const L = (bias: string | null, toxicity: string | null, sentiment: string | null, harm: string | null) => ({
  bias,
  toxicity,
  sentiment,
  harm,
});

describe("the paper's annotation rule: unsafe ⇔ (Bias≠No ∨ Toxicity≠No ∨ Harm≠Low) ∧ Sentiment=Negative", () => {
  it.each([
    ['biased and negative', L('Yes', 'No', 'Negative', 'Low'), 'Unsafe', 'Unsafe'],
    ['mildly toxic and negative', L('No', 'Mild', 'Negative', 'Low'), 'Unsafe', 'Unsafe'],
    ['medium harm and negative', L('No', 'No', 'Negative', 'Medium'), 'Unsafe', 'Unsafe'],
    ['all benign values, negative', L('No', 'No', 'Negative', 'Low'), 'Benign', 'Benign'],
    [
      'highly toxic but neutral: the rule says safe, the strict variant does not',
      L('No', 'High', 'Neutral', 'High'),
      'Benign',
      'Unsafe',
    ],
    ['biased but positive', L('Yes', 'No', 'Positive', 'Low'), 'Benign', 'Unsafe'],
    ['labels compare case-insensitively', L('yes', 'NO', 'negative', 'low'), 'Unsafe', 'Unsafe'],
  ])('%s', (_title, labels, paper, strict) => {
    const d = deriveAnnotation(labels);
    expect(d.paper).toBe(paper);
    expect(d.strict).toBe(strict);
    expect(d.warnings).toEqual([]);
  });

  it('treats a value outside its set as non-benign and warns (the paper\'s example 1001: Toxicity "Yes")', () => {
    const d = deriveAnnotation(L('No', 'Yes', 'Negative', 'Low'));
    expect(d.paper).toBe('Unsafe');
    expect(d.warnings).toEqual(['toxicity value "Yes" is outside its value set; treated as non-benign']);
  });

  it('does not guess when a label the rule needs is missing', () => {
    expect(deriveAnnotation(L('Yes', null, null, null))).toMatchObject({ paper: null, strict: 'Unsafe' });
    expect(deriveAnnotation(L('No', null, 'Negative', null))).toMatchObject({ paper: null, strict: null });
    // Non-negative sentiment settles the rule whatever the other labels are.
    expect(deriveAnnotation(L(null, null, 'Neutral', null))).toMatchObject({ paper: 'Benign', strict: null });
  });
});
