// The import's fast content hash (import/content-hash.ts) must give exactly records.ts's
// contentHash for every record: it decides what counts as a duplicate, also of rows stored by
// earlier imports. Checked on values JSON escapes (quotes, backslashes, control characters, lone
// and paired surrogates) and on the shapes a record takes (nulls, no words, extra columns or none),
// and on rows of the benchmark generator. The derived-annotation cache key is checked for
// collisions too.
import { describe, expect, it } from 'vitest';
import { contentHash, type HashedContent } from '../../../src/main/core/datasets/records';
import { importContentHash } from '../../../src/main/core/datasets/import/content-hash';
import { derivedFor } from '../../../src/main/core/datasets/import/row-params';
import { deriveAnnotation } from '../../../src/shared/metrics/annotation';
import { ANNOTATION_VALUES, LABEL_VALUES, type Labels } from '../../../src/shared/domain';

const TRICKY = [
  'plain text .',
  '',
  ' ',
  'a "quoted" word',
  'back\\slash',
  'tab\there',
  'line\nbreak\r\n',
  '\u0000nul and \u001f unit separator',
  '\u007f delete is not escaped',
  'line separator \u2028 and \u2029',
  'emoji 😀 (a surrogate pair)',
  'lone high \ud83d here',
  'lone low \ude00 here',
  'é ü ß 中文',
  "it's",
  '{"dimension":"toxicity","label":"Slightly Biased"}',
];

function record(i: number): HashedContent {
  const t = (k: number) => TRICKY[(i + k) % TRICKY.length]!;
  const maybe = (k: number) => (i % (k + 2) === 0 ? null : t(k));
  return {
    text: t(0),
    labels: { bias: maybe(1), toxicity: maybe(2), sentiment: maybe(3), harm: maybe(4) } as Labels,
    annotationGold: maybe(5) as HashedContent['annotationGold'],
    targetDemographic: maybe(6),
    biasedWords: i % 3 === 0 ? [] : [t(7), t(8)].slice(0, 1 + (i % 2)),
    benignVariation: maybe(9),
    extraJson: i % 4 === 0 ? '{}' : JSON.stringify({ col: t(10), n: i }),
  };
}

describe('importContentHash', () => {
  it('equals contentHash on values JSON must escape and on every record shape', () => {
    for (let i = 0; i < 2000; i++) {
      const r = record(i);
      expect(importContentHash(r), JSON.stringify(r)).toBe(contentHash(r));
    }
  });

  it('equals contentHash for records with canonical labels (the set-lookup path) and mixed ones', () => {
    const values = [
      ...Object.values(LABEL_VALUES).flat(),
      ...ANNOTATION_VALUES,
      'Slightly Biased',
      'No "really"',
      null,
    ];
    for (let i = 0; i < values.length * 5; i++) {
      const v = (k: number) => values[(i + k) % values.length]!;
      const r: HashedContent = {
        ...record(i),
        labels: { bias: v(0), toxicity: v(1), sentiment: v(2), harm: v(3) } as Labels,
        annotationGold: v(4) as HashedContent['annotationGold'],
      };
      expect(importContentHash(r), JSON.stringify(r)).toBe(contentHash(r));
    }
  });

  it('differs when any hashed field differs (negative control: it is not a constant)', () => {
    const base = record(1);
    const h = importContentHash(base);
    expect(importContentHash({ ...base, text: `${base.text}.` })).not.toBe(h);
    expect(importContentHash({ ...base, labels: { ...base.labels, harm: 'Yes' } as Labels })).not.toBe(h);
    expect(importContentHash({ ...base, biasedWords: [...base.biasedWords, 'x'] })).not.toBe(h);
    expect(importContentHash({ ...base, extraJson: '{"other":1}' })).not.toBe(h);
    // A quote inside a value must not be confusable with a field boundary.
    const a = { ...base, text: 'a","b', targetDemographic: null };
    const b = { ...base, text: 'a', targetDemographic: 'b' };
    expect(importContentHash(a)).toBe(contentHash(a));
    expect(importContentHash(a)).not.toBe(importContentHash(b));
  });
});

describe('derivedFor', () => {
  it('gives deriveAnnotation for label tuples whose joined text is the same', () => {
    const tuples: Labels[] = [
      { bias: 'Yes', toxicity: null, sentiment: 'Negative', harm: 'No' },
      { bias: 'Yes', toxicity: 'No', sentiment: 'Negative', harm: null },
      { bias: 'Y', toxicity: 'esNo', sentiment: 'Negative', harm: null },
      { bias: '-', toxicity: null, sentiment: null, harm: null },
      { bias: null, toxicity: '-', sentiment: null, harm: null },
      { bias: '1:a', toxicity: null, sentiment: null, harm: null },
      { bias: '1', toxicity: 'a', sentiment: null, harm: null },
    ] as Labels[];
    for (const l of tuples) expect(derivedFor(l)).toEqual(deriveAnnotation(l));
  });
});
