import { describe, expect, test } from 'vitest';
import {
  draftOf,
  explainAnnotation,
  parseWords,
  recordChanges,
  type RecordRow,
} from '../../../src/renderer/src/areas/datasets/recordEdit';
import {
  datasetNameFromFile,
  EMPTY_MAPPING,
  importFormProblems,
  importRequest,
  sourceColumns,
} from '../../../src/renderer/src/areas/datasets/importForm';
import { formatBytes, formatEta, formatRate, progressFraction } from '../../../src/renderer/src/lib/format';

const record: RecordRow = {
  id: 7,
  datasetId: 1,
  sourceId: 'r7',
  sourceLine: 8,
  text: 'some text',
  labels: { bias: 'Yes', toxicity: 'Mild', sentiment: 'Neutral', harm: 'Low' },
  annotationGold: 'Unsafe',
  annotationDerived: 'Benign',
  annotationStrict: 'Unsafe',
  annotationDisagrees: true,
  targetDemographic: 'age group',
  biasedWords: ['old'],
  benignVariation: 'a kinder text',
  extra: {},
  split: 'train',
  contentHash: 'h',
};

describe('recordChanges', () => {
  test('an untouched draft changes nothing', () => {
    expect(recordChanges(record, draftOf(record))).toEqual({});
  });
  test('only edited fields are sent', () => {
    const d = { ...draftOf(record), sentiment: 'Negative', biasedWords: ['old', ' frail ', 'old'] };
    expect(recordChanges(record, d)).toEqual({ sentiment: 'Negative', biasedWords: ['old', 'frail'] });
  });
  test('blank target and benign variation are cleared to null', () => {
    const d = { ...draftOf(record), targetDemographic: '  ', benignVariation: '' };
    expect(recordChanges(record, d)).toEqual({ targetDemographic: null, benignVariation: null });
  });
  test('a label can be unset', () => {
    expect(recordChanges(record, { ...draftOf(record), harm: null })).toEqual({ harm: null });
  });
});

test('typed biased words are split on commas, semicolons and new lines', () => {
  expect(parseWords('lazy, thugs;\nlazy ,')).toEqual(['lazy', 'thugs']);
});

describe('explainAnnotation', () => {
  test('names the sentiment term when the paper rule calls a risky text benign', () => {
    const e = explainAnnotation(record.labels, 'Benign', 'Unsafe');
    expect(e.derived).toMatch(/sentiment is Neutral/);
    expect(e.derived).toMatch(/bias Yes, toxicity Mild/);
    expect(e.strict).toMatch(/^Unsafe: bias Yes, toxicity Mild/);
  });
  test('lists the risk signals behind an Unsafe verdict', () => {
    const e = explainAnnotation(
      { bias: 'No', toxicity: 'High', sentiment: 'Negative', harm: 'Medium' },
      'Unsafe',
      'Unsafe',
    );
    expect(e.derived).toBe('Unsafe: sentiment is Negative and toxicity High, harm Medium.');
  });
  test('says which labels are missing when the rule cannot decide', () => {
    const e = explainAnnotation({ bias: 'No', toxicity: null, sentiment: null, harm: 'Low' }, null, null);
    expect(e.derived).toMatch(/toxicity, sentiment missing/);
    expect(e.strict).toMatch(/toxicity missing/);
  });
});

describe('import form', () => {
  test('the default dataset name comes from the file name, without extension or odd characters', () => {
    expect(datasetNameFromFile('train_500.csv')).toBe('train_500');
    expect(datasetNameFromFile('my data (v2).jsonl')).toBe('my data -v2-');
    expect(datasetNameFromFile('__.csv')).toBe('dataset');
  });
  test('csv and jsonl need the text column; other formats send no mapping', () => {
    const form = { dataset: 'x', format: 'csv' as const, strict: false, mapping: { ...EMPTY_MAPPING } };
    expect(importFormProblems(form, true)).toEqual(['Name the column that holds the text.']);
    const ready = { ...form, mapping: { ...EMPTY_MAPPING, text: ' sentence ', bias: 'b' } };
    expect(importRequest(ready)).toEqual({
      dataset: 'x',
      format: 'csv',
      strict: false,
      mapping: { text: 'sentence', bias: 'b' },
    });
    expect(importRequest({ ...ready, format: 'srllm-csv' })).not.toHaveProperty('mapping');
  });
  test('a missing file and a bad name are both reported', () => {
    const form = { dataset: '-bad', format: 'auto' as const, strict: false, mapping: EMPTY_MAPPING };
    expect(importFormProblems(form, false)).toHaveLength(2);
  });
});

describe('progress formatting', () => {
  test.each([
    [42, '42s'],
    [185, '3m 05s'],
    [7620, '2h 07m'],
    [null, ''],
  ])('ETA %s seconds reads "%s"', (s, text) => {
    expect(formatEta(s)).toBe(text);
  });
  test('byte rates use decimal units; other units show counts', () => {
    expect(formatBytes(1_234_567)).toBe('1.2 MB');
    expect(formatRate(2_500_000, 'bytes')).toBe('2.5 MB/s');
    expect(formatRate(1500, 'records')).toBe('1,500 records/s');
  });
  test('an unknown total gives an indeterminate bar', () => {
    expect(progressFraction(5, null)).toBeNull();
    expect(progressFraction(5, 10)).toBe(0.5);
    expect(progressFraction(15, 10)).toBe(1);
  });
});

describe('mapping suggestions from the file head', () => {
  test('reads CSV header names, with quoted commas and a byte-order mark', () => {
    expect(sourceColumns('csv', '\uFEFFsentence,"bias, graded",label\r\na,b,c')).toEqual([
      'sentence',
      'bias, graded',
      'label',
    ]);
  });
  test('reads the keys of the first JSON line; anything else gives no suggestions', () => {
    expect(sourceColumns('jsonl', '{"text":"x","tox":"No"}\n{"text":"y"}')).toEqual(['text', 'tox']);
    expect(sourceColumns('jsonl', '[1,2]')).toEqual([]);
    expect(sourceColumns('jsonl', '{broken')).toEqual([]);
    expect(sourceColumns('csv', '')).toEqual([]);
  });
});
