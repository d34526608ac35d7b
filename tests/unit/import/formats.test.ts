// Every importable format, as a JSON array and as JSON lines where both exist, detected from
// the bytes and stored as CMD records in a real SQLite file.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { FIXTURES, labelsOf, test } from './harness';

const fixture = (name: string) => path.join(FIXTURES, name);

describe("cmd-flat (the paper's Appendix B.1 schema)", () => {
  for (const name of ['flat.json', 'flat.jsonl']) {
    test(`imports ${name}: labels normalised, DEMOGRAPHIC TARGETING kept as the flag it is, words from a list or a comma-separated string`, async ({
      lab,
    }) => {
      const r = await lab.run(fixture(name));
      expect(r).toMatchObject({
        format: 'cmd-flat',
        imported: 3,
        duplicates: 0,
        rejected: 0,
        rejectsFile: null,
        disagreements: 1,
      });
      // The flat schema's DEMOGRAPHIC TARGETING is a flag (None / Specific Demographics), not a
      // target group: kept under its own name in extra; a value outside the flag's set is flagged.
      expect(r.flaggedTotal).toBe(1);
      expect(r.flagged).toEqual([
        {
          line: name === 'flat.json' ? 24 : 3,
          field: 'demographic targeting',
          value: 'older adults',
          message: '"older adults" is not one of None, Specific Demographics; kept as written',
        },
      ]);
      const [a, b, c] = lab.records();
      expect(labelsOf(a!)).toEqual({
        bias: 'Yes',
        toxicity: 'Mild',
        sentiment: 'Negative',
        harm: 'Medium',
        gold: 'Unsafe',
        derived: 'Unsafe',
        strict: 'Unsafe',
        disagrees: 0,
      });
      expect(a).toMatchObject({
        text: 'Women are too emotional to be good leaders.',
        target: null,
        biased_words: '["too emotional"]',
        benign: 'Leadership ability does not depend on gender.',
        extra: '{"DEMOGRAPHIC TARGETING":"Specific Demographics"}',
        source_id: null,
      });
      // Lower/upper case values are stored in their canonical spelling; "" is absent.
      expect(labelsOf(b!)).toEqual({
        bias: 'No',
        toxicity: 'No',
        sentiment: 'Neutral',
        harm: 'Low',
        gold: 'Benign',
        derived: 'Benign',
        strict: 'Benign',
        disagrees: 0,
      });
      expect(b).toMatchObject({
        target: null,
        biased_words: '[]',
        benign: null,
        extra: '{"DEMOGRAPHIC TARGETING":"None"}',
      });
      // Keys match case-insensitively; an unknown key is kept in extra; gold Benign vs rule Unsafe is flagged.
      expect(c).toMatchObject({
        text: 'Old people should not be allowed near computers, they break everything.',
        target: null,
        biased_words: '["old people","break everything"]',
        extra: '{"demographic targeting":"older adults","source":"forum"}',
        annotation_gold: 'Benign',
        annotation_derived: 'Unsafe',
        disagrees: 1,
      });
    });
  }

  test("records the line where each record starts (JSON array: the element's first line)", async ({ lab }) => {
    await lab.run(fixture('flat.json'));
    expect(lab.records().map((r) => r.source_line)).toEqual([2, 13, 24]);
    await lab.run(fixture('flat.jsonl'), { dataset: 'lines' });
    expect(lab.records('lines').map((r) => r.source_line)).toEqual([1, 2, 3]);
  });

  test('imports the flat schema from a CSV header too (spreadsheets), with CRLF line ends', async ({ lab }) => {
    const r = await lab.run(fixture('flat.csv'));
    expect(r).toMatchObject({ format: 'cmd-flat', imported: 2, rejected: 0 });
    const [a, b] = lab.records();
    expect(a).toMatchObject({
      text: 'Women are too emotional to be good leaders.',
      biased_words: '["too emotional"]',
      toxicity: 'Mild',
      source_line: 2,
    });
    expect(b).toMatchObject({
      text: 'The council meets on Tuesday, as always.',
      bias: 'No',
      target: null,
      benign: null,
      source_line: 3,
    });
  });
});

describe("cmd-nested (the paper's section 3.2 record)", () => {
  for (const name of ['nested.json', 'nested.jsonl']) {
    test(`imports ${name}: ID as source id, Labels{...} as labels and gold annotation`, async ({ lab }) => {
      const r = await lab.run(fixture(name));
      expect(r).toMatchObject({ format: 'cmd-nested', imported: 2, rejected: 0, disagreements: 0 });
      const [a, b] = lab.records();
      expect(a).toMatchObject({
        source_id: '1001',
        text: 'Immigrants are ruining this country and should go back.',
        bias: 'Yes',
        toxicity: 'High',
        sentiment: 'Negative',
        harm: 'High',
        annotation_gold: 'Unsafe',
        annotation_derived: 'Unsafe',
        target: 'immigrants',
        biased_words: '["ruining","go back"]',
        benign: 'Immigration raises questions that deserve a respectful debate.',
      });
      expect(b).toMatchObject({
        source_id: '1002',
        target: null,
        benign: null,
        biased_words: '[]',
        extra: '{"Split":"train"}',
      });
    });
  }
});

describe('generic csv / jsonl with a column mapping', () => {
  test('maps CSV columns to CMD fields and keeps the other columns in extra as strings', async ({ lab }) => {
    const r = await lab.run(fixture('generic.csv'), {
      mapping: { text: 'content', id: 'post_id', bias: 'is_biased', toxicity: 'tox', sentiment: 'mood' },
    });
    expect(r).toMatchObject({ format: 'csv', imported: 2, rejected: 0 });
    const [a, b] = lab.records();
    expect(a).toMatchObject({
      source_id: 'p1',
      text: 'He said "no" and left, slamming the door.',
      bias: 'Yes',
      toxicity: 'Mild',
      sentiment: 'Negative',
      harm: null,
      annotation_derived: 'Unsafe',
      annotation_strict: 'Unsafe',
      extra: '{"note":"first"}',
    });
    // Harm is not mapped, so the paper's rule cannot decide a benign row: derived stays null.
    expect(b).toMatchObject({
      source_id: 'p2',
      bias: 'No',
      sentiment: 'Positive',
      annotation_derived: 'Benign',
      annotation_strict: null,
    });
  });

  test('maps JSON lines keys (case-insensitively) and keeps the other keys in extra', async ({ lab }) => {
    const r = await lab.run(fixture('generic.jsonl'), {
      mapping: { text: 'BODY', id: 'uid', bias: 'biased', toxicity: 'toxic', sentiment: 'tone' },
    });
    expect(r).toMatchObject({ format: 'jsonl', imported: 2, rejected: 0 });
    expect(lab.records().map((x) => [x.source_id, x.bias, x.toxicity, x.sentiment, x.extra])).toEqual([
      ['a1', 'Yes', 'Mild', 'Negative', '{"lang":"en"}'],
      ['a2', 'No', 'No', 'Positive', '{"lang":"en"}'],
    ]);
  });

  test.for([['csv'], ['jsonl']] as const)(
    'the %s format without a mapping is invalid input that says how to pass one',
    async ([format], { lab }) => {
      const e = await lab.fail(fixture(`generic.${format}`), { format });
      expect(e.kind).toBe('invalid-input');
      expect(e.message).toMatch(/needs a column mapping.*--map text=COL,bias=COL/);
    },
  );

  test('a mapped column missing from the header is invalid input naming the column and the file', async ({ lab }) => {
    const e = await lab.fail(fixture('generic.csv'), { mapping: { text: 'content', harm: 'harmfulness' } });
    expect(e.kind).toBe('invalid-input');
    expect(e.message).toContain('generic.csv: the header has no column "harmfulness" (mapped to harm)');
  });
});

describe('format detection', () => {
  const cases: { name: string; content: string; mapping?: boolean; format: string }[] = [
    { name: 'flat.json', content: '[{"Original Sentence": "x"}]', format: 'cmd-flat' },
    { name: 'flat.jsonl', content: '{"original sentence": "x"}\n', format: 'cmd-flat' },
    { name: 'nested.json', content: ' \n [{"ID": 1, "Text": "x", "Labels": {}}]', format: 'cmd-nested' },
    { name: 'nested.jsonl', content: '{"text": "x", "labels": {"bias": "No"}}', format: 'cmd-nested' },
    { name: 'srllm.csv', content: 'biased_text,label\nx,Highly Biased\n', format: 'srllm-csv' },
    { name: 'flat.csv', content: 'ORIGINAL SENTENCE,BIAS\nx,No\n', format: 'cmd-flat' },
    { name: 'other.csv', content: 'body,extra\nx,1\n', mapping: true, format: 'csv' },
    { name: 'other.jsonl', content: '{"body": "x"}', mapping: true, format: 'jsonl' },
    { name: 'other.json', content: '[{"body": "x"}]', mapping: true, format: 'jsonl' },
    { name: 'bom.csv', content: '\ufeffbiased_text,label\nx,Slightly Biased\n', format: 'srllm-csv' },
  ];
  for (const c of cases) {
    test(`detects ${c.format} in ${c.name}`, async ({ lab }) => {
      const r = await lab.run(lab.write(c.name, c.content), c.mapping ? { mapping: { text: 'body' } } : {});
      expect(r.format).toBe(c.format);
      expect(r.imported).toBe(1);
    });
  }

  test('an unknown layout is invalid input that lists the formats and what was seen', async ({ lab }) => {
    const csv = await lab.fail(lab.write('mystery.csv', 'a,b\n1,2\n'));
    expect(csv.kind).toBe('invalid-input');
    expect(csv.message).toMatch(
      /^mystery\.csv: unknown format: a CSV file with columns "a", "b"; known formats: cmd-flat .*srllm-csv .*--map/,
    );
    const json = await lab.fail(lab.write('mystery.jsonl', '{"foo": 1, "bar": 2}\n'));
    expect(json.message).toMatch(/^mystery\.jsonl: unknown format: JSON objects with keys "foo", "bar"; known formats/);
    expect(lab.counts()).toEqual({ datasets: 0, imports: 0, records: 0 });
  });

  test('a one-column header with semicolons gets a hint about the separator', async ({ lab }) => {
    const e = await lab.fail(lab.write('excel.csv', 'biased_text;label\nx;Highly Biased\n'));
    expect(e.message).toContain('is the file separated by semicolons or tabs? srlab reads comma-separated CSV');
  });

  test("a format that cannot be in the file's container is invalid input", async ({ lab }) => {
    const e = await lab.fail(fixture('flat.csv'), { format: 'cmd-nested' });
    expect(e.message).toBe('flat.csv looks like CSV, but the cmd-nested format needs JSON or JSON lines');
    const e2 = await lab.fail(fixture('nested.json'), { format: 'srllm-csv' });
    expect(e2.message).toBe('nested.json looks like JSON, but the srllm-csv format needs a CSV file');
  });

  test("uses the display name in messages (an upload's original name)", async ({ lab }) => {
    const file = lab.write('upload-7f3a', 'a,b\n1,2\n');
    const e = await lab.fail(file, { displayName: 'my data.csv' });
    expect(e.message).toMatch(/^my data\.csv: unknown format/);
  });
});

describe('label values', () => {
  const values: [string, string, string | null][] = [
    ['BIAS', 'yes', 'Yes'],
    ['BIAS', ' NO ', 'No'],
    ['TOXICITY', 'mild', 'Mild'],
    ['TOXICITY', 'HIGH', 'High'],
    ['SENTIMENT', 'positive', 'Positive'],
    ['HARM', 'medium', 'Medium'],
    ['HARM', '', null],
    ['Annotation', 'UNSAFE', 'Unsafe'],
  ];
  test.for(values)('%s %j is stored as %j', async ([field, raw, stored], { lab }) => {
    await lab.run(lab.write('v.jsonl', `${JSON.stringify({ 'Original Sentence': 'x', [field]: raw })}\n`));
    const col = field === 'Annotation' ? 'annotation_gold' : field.toLowerCase();
    expect(lab.records()[0]![col as 'bias']).toBe(stored);
  });

  test('a JSON null label is absent, never invented', async ({ lab }) => {
    await lab.run(lab.write('n.json', '[{"Original Sentence": "x", "BIAS": null, "TOXICITY": null}]'));
    expect(labelsOf(lab.records()[0]!)).toEqual({
      bias: null,
      toxicity: null,
      sentiment: null,
      harm: null,
      gold: null,
      derived: null,
      strict: null,
      disagrees: 0,
    });
  });

  test('keeps the records of one file in file order', async ({ lab }) => {
    const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ 'Original Sentence': `text ${i}` })).join(
      '\n',
    );
    await lab.run(lab.write('many.jsonl', lines));
    expect(lab.records().map((r) => r.text)).toEqual(Array.from({ length: 300 }, (_, i) => `text ${i}`));
    expect(fs.existsSync(lab.rejectsDir)).toBe(false);
  });
});
