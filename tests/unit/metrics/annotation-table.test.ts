// The annotation rule (METRICS.md section 8) for EVERY combination of Bias, Toxicity, Harm and
// Sentiment, each missing, one of its values, or a value outside its set: 4 x 5 x 5 x 5 = 500
// cases, for the paper's rule and the strict variant.
//
// The expected answer is derived here independently of the implementation (which evaluates the
// rule in three-valued logic): from METRICS.md's rule on complete labels, a missing label is
// "unknown", and the rule decides a case only if it gives the same answer for every value the
// missing labels could take; otherwise the answer is null. A handful of rows written out by hand
// pin the cases the issue names.
import { describe, expect, it } from 'vitest';
import { deriveAnnotation, type RawLabels } from '../../../src/shared/metrics/annotation';

const MISSING = null;
/** A value outside every set (METRICS.md: treated as non-benign). */
const OUTSIDE = 'Extreme';

const VALUES = {
  bias: ['No', 'Yes'],
  toxicity: ['No', 'Mild', 'High'],
  harm: ['Low', 'Medium', 'High'],
  sentiment: ['Negative', 'Neutral', 'Positive'],
} as const;
type Dim = keyof typeof VALUES;
const DIMS: Dim[] = ['bias', 'toxicity', 'harm', 'sentiment'];

/** METRICS.md section 8 on complete labels, literally: unsafe ⇔ (B≠No ∨ T≠No ∨ H≠Low) ∧ S=Negative. */
function ruleOnComplete(l: Record<Dim, string>, strict: boolean): 'Unsafe' | 'Benign' {
  const lc = (v: string) => v.toLowerCase();
  // Outside a set counts as non-benign: for a risk label that is "≠ its benign value" already;
  // for Sentiment, "non-benign" is the value that triggers the rule, Negative.
  const risk = lc(l.bias) !== 'no' || lc(l.toxicity) !== 'no' || lc(l.harm) !== 'low';
  const s = lc(l.sentiment);
  const negative = s === 'negative' || !VALUES.sentiment.map(lc).includes(s);
  return risk && (strict || negative) ? 'Unsafe' : 'Benign';
}

/** Every completion of the missing labels; the answer when they all agree, else null. */
function expected(l: Record<Dim, string | null>, strict: boolean): 'Unsafe' | 'Benign' | null {
  let completions: Record<Dim, string>[] = [{} as Record<Dim, string>];
  for (const d of DIMS) {
    const options = l[d] === null ? [...VALUES[d]] : [l[d]!];
    completions = completions.flatMap((c) => options.map((v) => ({ ...c, [d]: v })));
  }
  const answers = new Set(completions.map((c) => ruleOnComplete(c, strict)));
  return answers.size === 1 ? [...answers][0]! : null;
}

const choices = (d: Dim): (string | null)[] => [MISSING, ...VALUES[d], OUTSIDE];

const cases: Record<Dim, string | null>[] = [];
for (const bias of choices('bias'))
  for (const toxicity of choices('toxicity'))
    for (const harm of choices('harm'))
      for (const sentiment of choices('sentiment')) cases.push({ bias, toxicity, harm, sentiment });

const show = (l: Record<Dim, string | null>) => DIMS.map((d) => `${d}=${l[d] ?? '∅'}`).join(' ');

describe('the annotation rule for every combination of labels, missing ones included', () => {
  it('covers 4 x 5 x 5 x 5 = 500 combinations', () => expect(cases).toHaveLength(500));

  it('gives the expected paper and strict answer for each', () => {
    const wrong: string[] = [];
    for (const l of cases) {
      const got = deriveAnnotation(l as RawLabels);
      const want = { paper: expected(l, false), strict: expected(l, true) };
      if (got.paper !== want.paper || got.strict !== want.strict)
        wrong.push(`${show(l)}: got ${got.paper}/${got.strict}, want ${want.paper}/${want.strict}`);
    }
    expect(wrong).toEqual([]);
  });

  // Rows written out from METRICS.md section 8, by hand.
  const table: [RawLabels, 'Unsafe' | 'Benign' | null, 'Unsafe' | 'Benign' | null][] = [
    // The case: no risk at all; whatever the sentiment would be, the AND is false.
    [{ bias: 'No', toxicity: 'No', harm: 'Low', sentiment: null }, 'Benign', 'Benign'],
    [{ bias: 'No', toxicity: 'No', harm: 'Low', sentiment: 'Negative' }, 'Benign', 'Benign'],
    [{ bias: 'Yes', toxicity: 'No', harm: 'Low', sentiment: 'Negative' }, 'Unsafe', 'Unsafe'],
    // The AND's consequence METRICS.md flags: highly toxic but neutral is safe by the paper's rule.
    [{ bias: 'No', toxicity: 'High', harm: 'High', sentiment: 'Neutral' }, 'Benign', 'Unsafe'],
    // A risk present but sentiment missing: the paper's rule cannot decide; the strict one can.
    [{ bias: 'Yes', toxicity: null, harm: null, sentiment: null }, null, 'Unsafe'],
    // A risk label missing, the others benign, negative sentiment: undecided for both.
    [{ bias: 'No', toxicity: null, harm: 'Low', sentiment: 'Negative' }, null, null],
    // ... but with Positive sentiment the paper's rule says Benign whatever toxicity was.
    [{ bias: 'No', toxicity: null, harm: 'Low', sentiment: 'Positive' }, 'Benign', null],
    // Example 1001: Toxicity "Yes" is outside No/Mild/High, so non-benign.
    [{ bias: 'No', toxicity: 'Yes', harm: 'Low', sentiment: 'Negative' }, 'Unsafe', 'Unsafe'],
    // A sentiment outside the set counts as non-benign (as Negative).
    [{ bias: 'Yes', toxicity: 'No', harm: 'Low', sentiment: 'Hostile' }, 'Unsafe', 'Unsafe'],
    // Case-insensitive.
    [{ bias: 'YES', toxicity: 'no', harm: 'LOW', sentiment: 'negative' }, 'Unsafe', 'Unsafe'],
    // Nothing known at all.
    [{ bias: null, toxicity: null, harm: null, sentiment: null }, null, null],
    // The paper writes "Bias≠Low": the literal "Low" counts as benign (srlab's reading).
    [{ bias: 'Low', toxicity: 'No', harm: 'Low', sentiment: 'Negative' }, 'Benign', 'Benign'],
  ];
  for (const [labels, paper, strict] of table) {
    it(`${show(labels as Record<Dim, string | null>)} → paper ${paper}, strict ${strict}`, () => {
      expect(deriveAnnotation(labels)).toMatchObject({ paper, strict });
    });
  }

  it('warns about each value outside its set', () => {
    const w = deriveAnnotation({ bias: 'Maybe', toxicity: 'No', harm: 'Low', sentiment: 'Hostile' }).warnings;
    expect(w).toHaveLength(2);
    expect(w[0]).toMatch(/bias value "Maybe" is outside its value set; treated as non-benign/);
    expect(w[1]).toMatch(/sentiment value "Hostile" is outside its value set/);
  });
});
