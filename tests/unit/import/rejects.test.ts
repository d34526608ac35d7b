// Rejected rows go, byte for byte, to a file of the same kind that can be fixed and imported
// again; --strict imports nothing when any row fails.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { test } from './harness';

const HEADER = Buffer.from('Original Sentence,TOXICITY,HARM\r\n');
const ROWS = {
  good1: Buffer.from('"Fine, really.",No,Low\r\n'),
  // A label value outside its set is kept (kept-values.test.ts); an empty text is a row error.
  emptyText: Buffer.from('"  ",Mild,Low\r\n'),
  // "Café" written by a Latin-1 editor: 0xE9 alone is not UTF-8.
  latin1: Buffer.concat([Buffer.from('Caf'), Buffer.from([0xe9]), Buffer.from(' talk,No,Low\r\n')]),
  good2: Buffer.from('Another fine one,Mild,Medium\r\n'),
  shortRow: Buffer.from('Only two,No\r\n'),
  unterminated: Buffer.from('"Never closed,No,Low\r\n'),
};

function mixedCsv(): Buffer {
  return Buffer.concat([HEADER, ...Object.values(ROWS)]);
}

const readLines = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);

describe('rejects file', () => {
  test('holds the CSV header and each rejected row byte for byte; the errors file lists every problem', async ({
    lab,
  }) => {
    const r = await lab.run(lab.write('mixed.csv', mixedCsv()));
    expect(r).toMatchObject({ format: 'cmd-flat', imported: 2, rejected: 4, errorsOmitted: 0 });
    expect(path.basename(r.rejectsFile!)).toMatch(/^d-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-mixed\.csv$/);
    expect(path.dirname(r.rejectsFile!)).toBe(lab.rejectsDir);
    expect(fs.readFileSync(r.rejectsFile!)).toEqual(
      Buffer.concat([HEADER, ROWS.emptyText, ROWS.latin1, ROWS.shortRow, ROWS.unterminated]),
    );
    const errors = [
      { line: 3, field: 'Original Sentence', message: 'the text is empty' },
      {
        line: 4,
        field: 'Original Sentence',
        message: 'not valid UTF-8 (is the file Latin-1 or Windows-1252? save it as UTF-8)',
      },
      {
        line: 6,
        field: '(record)',
        message: 'has 2 fields but the header has 3 (a missing quote or an unquoted comma?)',
      },
      {
        line: 7,
        field: '(record)',
        message: 'unterminated quoted field: the file ends inside the quotes opened on line 7',
      },
    ];
    expect(r.errors).toEqual(errors);
    expect(readLines(`${r.rejectsFile}.errors.jsonl`)).toEqual(errors);
    expect(lab.records().map((x) => x.text)).toEqual(['Fine, really.', 'Another fine one']);
  });

  test('a fixed rejects file imports cleanly', async ({ lab }) => {
    const r = await lab.run(lab.write('mixed.csv', mixedCsv()));
    const fixed = fs
      .readFileSync(r.rejectsFile!, 'latin1')
      .replace('"  ",Mild', 'Shouting at people,Mild')
      .replace('Only two,No', 'Only two,No,Low')
      .replace('"Never closed,No,Low', '"Never closed",No,Low');
    const again = await lab.run(lab.write('fixed.csv', Buffer.from(fixed, 'utf8')));
    expect(again).toMatchObject({ imported: 4, rejected: 0, duplicates: 0, rejectsFile: null });
    expect(lab.records().map((x) => x.text)).toContain('Café talk');
  });

  test('JSON lines: rejected lines are copied as they were, line breaks included', async ({ lab }) => {
    const lines = [
      Buffer.from('{"Original Sentence": "ok", "TOXICITY": "no"}\n'),
      Buffer.from('{"Original Sentence": "broken", \n'),
      Buffer.from('{"Original Sentence": 5}\r\n'),
      Buffer.from('[1, 2]\n'),
      Buffer.concat([Buffer.from('{"Original Sentence": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]),
      Buffer.from('{"Original Sentence": "last", "HARM": {"level": "severe"}}'),
    ];
    const r = await lab.run(lab.write('lines.jsonl', Buffer.concat(lines)));
    expect(r).toMatchObject({ imported: 1, rejected: 5 });
    expect(path.extname(r.rejectsFile!)).toBe('.jsonl');
    expect(fs.readFileSync(r.rejectsFile!)).toEqual(Buffer.concat(lines.slice(1)));
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([
      [2, '(record)'],
      [3, 'Original Sentence'],
      [4, '(record)'],
      [5, '(record)'],
      [6, 'HARM'],
    ]);
    expect(r.errors[0]!.message).toMatch(/^malformed JSON: /);
    expect(r.errors[1]!.message).toBe('expected the text as a string, got a number (5)');
    expect(r.errors[2]!.message).toBe('expected a JSON object, got a list');
    expect(r.errors[4]!.message).toBe('expected one of Low, Medium, High as a string, got an object');
  });

  test('JSON array: rejected elements are written as a JSON array that can be fixed and imported', async ({ lab }) => {
    const elements = [
      '{"Text": "fine", "Labels": {"Bias": "No"}}',
      '{"Text": "bad tox", "Labels": {"Toxicity": ["Extreme"]}}',
      '{"Text": ["not", "a", "string"], "Labels": {}}',
      '{"Text": "bad labels", "Labels": "Unsafe"}',
    ];
    const r = await lab.run(lab.write('nested.json', `[\n  ${elements.join(',\n  ')}\n]\n`));
    expect(r).toMatchObject({ format: 'cmd-nested', imported: 1, rejected: 3 });
    const rejects = fs.readFileSync(r.rejectsFile!, 'utf8');
    expect(rejects).toBe(`[${elements.slice(1).join(',\n')}]`);
    expect(r.errors).toEqual([
      { line: 3, field: 'Labels.Toxicity', message: 'expected one of No, Mild, High as a string, got a list' },
      { line: 4, field: 'Text', message: 'expected the text as a string, got a list' },
      { line: 5, field: 'Labels', message: 'expected the labels as an object, got a string' },
    ]);
    const fixed = rejects
      .replace('["Extreme"]', '"High"')
      .replace('["not", "a", "string"]', '"now a string"')
      .replace('"Unsafe"', '{"Annotation": "Unsafe"}');
    const again = await lab.run(lab.write('fixed.json', fixed));
    expect(again).toMatchObject({ imported: 3, rejected: 0 });
  });

  test('errors beyond maxErrorsInResult are counted, and all are in the errors file', async ({ lab }) => {
    const bad = Array.from({ length: 7 }, (_, i) => `{"Original Sentence": " ", "BIAS": "t${i}"}`).join('\n');
    const r = await lab.run(lab.write('many.jsonl', bad), { maxErrorsInResult: 3 });
    expect(r).toMatchObject({ rejected: 7, errorsOmitted: 4 });
    expect(r.errors).toHaveLength(3);
    expect(readLines(`${r.rejectsFile}.errors.jsonl`)).toHaveLength(7);
  });
});

describe('--strict', () => {
  test('imports nothing when a row fails, still writes the rejects, and says where they are', async ({ lab }) => {
    const before = lab.counts();
    const e = await lab.fail(lab.write('mixed.csv', mixedCsv()), { strict: true });
    expect(e.kind).toBe('invalid-input');
    const rejects = fs.readdirSync(lab.rejectsDir).find((f) => f.endsWith('mixed.csv'))!;
    expect(e.message).toBe(
      `4 rows failed validation; nothing was imported (--strict). Rejects: ${path.join(lab.rejectsDir, rejects)}`,
    );
    expect(e.issues?.[0]).toEqual({ path: 'line 3: Original Sentence', message: 'the text is empty' });
    expect(e.issues).toHaveLength(4);
    expect(lab.counts()).toEqual(before);
    expect(fs.readFileSync(path.join(lab.rejectsDir, rejects))).toEqual(
      Buffer.concat([HEADER, ROWS.emptyText, ROWS.latin1, ROWS.shortRow, ROWS.unterminated]),
    );
    expect(fs.existsSync(path.join(lab.rejectsDir, `${rejects}.errors.jsonl`))).toBe(true);
  });

  test('imports everything when every row is valid', async ({ lab }) => {
    const r = await lab.run(lab.write('ok.csv', Buffer.concat([HEADER, ROWS.good1, ROWS.good2])), { strict: true });
    expect(r).toMatchObject({ imported: 2, rejected: 0, rejectsFile: null });
  });
});
