// The authors' released CSV (srllm-csv): the real train_500.csv, checked record by record
// against an independent parse with csv-parse, and its mapping rules on small examples.
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect } from 'vitest';
import { hasSharedData, sharedData } from '../../helpers';
import { test } from './harness';

const TRAIN = ['srllm', 'train_500.csv'] as const;

describe.skipIf(!hasSharedData(...TRAIN))('the real train_500.csv', () => {
  test('imports all 434 records, each field as csv-parse reads it', async ({ lab }) => {
    const r = await lab.run(sharedData(...TRAIN), { dataset: 'srllm' });
    expect(r).toMatchObject({
      format: 'srllm-csv',
      imported: 434,
      duplicates: 0,
      rejected: 0,
      rejectsFile: null,
      disagreements: 0,
    });

    const expected = parse(fs.readFileSync(sharedData(...TRAIN)), { columns: true, raw: true, info: true }) as {
      record: Record<string, string>;
      raw: string;
      info: { lines: number };
    }[];
    const stored = lab.records('srllm');
    expect(stored).toHaveLength(expected.length);
    expected.forEach(({ record: e, raw, info }, i) => {
      const s = stored[i]!;
      const newlines = raw.split('\n').length - 1 - (raw.endsWith('\n') ? 1 : 0);
      expect(s.source_line, `record ${i}`).toBe(info.lines - newlines);
      expect(s.text).toBe(e.biased_text);
      expect(s.benign).toBe(e.debiased_text === '' ? null : e.debiased_text);
      expect(s.target).toBe(e.aspect === '' ? null : e.aspect);
      // This file's lists hold plain words, so swapping quotes gives JSON: an independent reading.
      expect(JSON.parse(s.biased_words)).toEqual(JSON.parse(e.biased_words!.replaceAll("'", '"')));
      expect(JSON.parse(s.extra)).toEqual({
        dimension: e.dimension,
        label: e.label,
        'Done (x)': e['Done (x)'],
        comments: e.comments,
        text_length: e.text_length,
      });
      // Both grades say "biased"; the other labels are not in the file and stay absent.
      expect([s.bias, s.toxicity, s.sentiment, s.harm, s.annotation_gold]).toEqual(['Yes', null, null, null, null]);
      // Bias alone makes the strict variant Unsafe; the paper's rule needs sentiment, so it stays null.
      expect([s.annotation_derived, s.annotation_strict, s.disagrees]).toEqual([null, 'Unsafe', 0]);
    });
    expect(stored.filter((s) => s.target === null)).toHaveLength(16);
  });

  test('a second import of the same file adds nothing and counts every record as a duplicate', async ({ lab }) => {
    await lab.run(sharedData(...TRAIN));
    const again = await lab.run(sharedData(...TRAIN));
    expect(again).toMatchObject({ imported: 0, duplicates: 434, rejected: 0 });
    expect(lab.counts()).toEqual({ datasets: 1, imports: 2, records: 434 });
  });
});

describe('srllm-csv rules', () => {
  const header =
    'biased_text,dimension,biased_words,aspect,label,Done (x),debiased_text,comments,text_length,reviewer\n';

  test('keeps every unmapped column, unknown ones included, in extra as strings', async ({ lab }) => {
    await lab.run(
      lab.write('a.csv', `${header}Some text,toxicity,"['a', ""b's""]",,HIGHLY BIASED,x,Rewrite,,9.0,ann\n`),
    );
    const [s] = lab.records();
    expect(s).toMatchObject({
      text: 'Some text',
      bias: 'Yes',
      target: null,
      benign: 'Rewrite',
      biased_words: '["a","b\'s"]',
    });
    expect(JSON.parse(s!.extra)).toEqual({
      dimension: 'toxicity',
      label: 'HIGHLY BIASED',
      'Done (x)': 'x',
      comments: '',
      text_length: '9.0',
      reviewer: 'ann',
    });
  });

  test('an unknown grade is kept and flagged with Bias missing; a malformed biased_words list is a row error', async ({
    lab,
  }) => {
    const r = await lab.run(
      lab.write(
        'b.csv',
        header +
          'fine,toxicity,[],,Slightly Biased,x,,,4.0,\n' +
          'odd grade,toxicity,[],,Not Biased,x,,,9.0,\n' +
          "bad list,toxicity,['unclosed,,Slightly Biased,x,,,8.0,\n",
      ),
    );
    expect(r).toMatchObject({ imported: 2, rejected: 1, flaggedTotal: 1 });
    expect(r.errors).toEqual([
      { line: 4, field: 'biased_words', message: "not a list of strings (a string is not closed): ['unclosed" },
    ]);
    expect(r.flagged).toEqual([
      {
        line: 3,
        field: 'label',
        value: 'Not Biased',
        message: '"Not Biased" is not one of Slightly Biased, Highly Biased; kept, Bias left missing',
      },
    ]);
    const odd = lab.records().find((x) => x.text === 'odd grade')!;
    expect(odd.bias).toBeNull();
    expect(JSON.parse(odd.extra).label).toBe('Not Biased');
    expect(lab.records().find((x) => x.text === 'fine')!.bias).toBe('Yes');
  });

  test('a file without the text column is invalid input naming the column and the file', async ({ lab }) => {
    const e = await lab.fail(lab.write('c.csv', 'text,label\nx,Highly Biased\n'), { format: 'srllm-csv' });
    expect(e.kind).toBe('invalid-input');
    expect(e.message).toBe(
      'c.csv: the header has no column "biased_text" (the text, required by srllm-csv); its columns are: "text", "label"',
    );
    expect(lab.counts()).toEqual({ datasets: 0, imports: 0, records: 0 });
  });

  test('a file without the label column is invalid input too (bias comes from it)', async ({ lab }) => {
    const e = await lab.fail(lab.write('d.csv', 'biased_text,aspect\nx,Ageism\n'));
    expect(e.message).toMatch(/^d\.csv: the header has no column "label"/);
  });
});
