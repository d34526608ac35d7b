// Bad input: file-level problems are invalid input that names the file and leave the database
// as it was; row-level problems reject that row with a clear reason and keep the others.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { FIXTURES, test, type Lab } from './harness';

const GOOD_ROW = '{"Original Sentence": "a good row", "BIAS": "No"}';

describe('file-level problems', () => {
  const cases: { name: string; make: (lab: Lab) => string; message: RegExp | string }[] = [
    { name: 'a missing file', make: (lab) => path.join(lab.dir, 'nope.csv'), message: 'nope.csv: no such file' },
    {
      name: 'a folder',
      make: (lab) => (fs.mkdirSync(path.join(lab.dir, 'folder.csv')), path.join(lab.dir, 'folder.csv')),
      message: 'folder.csv is a folder, not a file',
    },
    {
      name: 'an empty file',
      make: (lab) => lab.write('empty.csv', ''),
      message: 'empty.csv is empty (0 bytes): there is nothing to import',
    },
    {
      name: 'only whitespace',
      make: (lab) => lab.write('blank.jsonl', ' \n\r\n\t\n'),
      message: 'blank.jsonl holds no records (it is empty or only whitespace)',
    },
    {
      name: 'a CSV header without records',
      make: (lab) => lab.write('header.csv', 'biased_text,label\r\n\r\n'),
      message: 'header.csv has a header line but no records',
    },
    {
      name: 'an empty JSON array',
      make: (lab) => lab.write('none.json', '[ ]'),
      message: 'none.json holds no records',
    },
    {
      name: 'UTF-16 with a byte order mark',
      make: (lab) =>
        lab.write(
          'utf16.csv',
          Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('biased_text,label\r\n', 'utf16le')]),
        ),
      message:
        'utf16.csv is encoded as UTF-16 or UTF-32 (it starts with that byte order mark); save it as UTF-8 and import it again',
    },
    {
      name: 'UTF-16 without a byte order mark',
      make: (lab) => lab.write('utf16-nobom.csv', Buffer.from('biased_text,label\r\n', 'utf16le')),
      message:
        /^utf16-nobom\.csv contains NUL bytes: it looks like UTF-16 text without a byte order mark, or a binary file; save it as UTF-8/,
    },
    {
      name: 'an Excel workbook',
      make: (lab) => lab.write('book.xlsx', Buffer.from([0x50, 0x4b, 3, 4, 20, 0, 6, 0])),
      message: /^book\.xlsx is a zip archive \(an Excel \.xlsx file\?\); export it as CSV/,
    },
    {
      name: 'JSON lines of which no line is an object',
      make: (lab) => lab.write('garbage.jsonl', '{not json\n{"also": broken\n'),
      message: /^garbage\.jsonl: unknown format: no record parses as a JSON object/,
    },
    {
      name: 'a malformed CSV header',
      make: (lab) => lab.write('badheader.csv', '"biased_text"x,label\nx,y\n'),
      message: 'badheader.csv: the header line is malformed: unexpected text after the closing quote of field 1',
    },
  ];
  for (const c of cases) {
    test(`${c.name} is invalid input naming the file, and the database is unchanged`, async ({ lab }) => {
      await lab.run(path.join(FIXTURES, 'flat.json'));
      const before = lab.counts();
      const e = await lab.fail(c.make(lab));
      expect(e.kind).toBe('invalid-input');
      if (typeof c.message === 'string') expect(e.message).toBe(c.message);
      else expect(e.message).toMatch(c.message);
      expect(lab.counts()).toEqual(before);
      // Rows rejected before the file-level problem showed are not left behind.
      expect(fs.existsSync(lab.rejectsDir) ? fs.readdirSync(lab.rejectsDir) : []).toEqual([]);
    });
  }
});

describe('row-level problems', () => {
  const cases: {
    name: string;
    file: string;
    content: string | Buffer;
    error: { line: number; field: string; message: string | RegExp };
  }[] = [
    {
      name: 'a malformed JSON line',
      file: 'a.jsonl',
      content: `${GOOD_ROW}\n{"Original Sentence": "x",\n`,
      error: { line: 2, field: '(record)', message: /^malformed JSON: / },
    },
    {
      name: 'a number where the text should be',
      file: 'b.jsonl',
      content: `${GOOD_ROW}\n{"Original Sentence": 42}\n`,
      error: { line: 2, field: 'Original Sentence', message: 'expected the text as a string, got a number (42)' },
    },
    {
      name: 'a missing text',
      file: 'c.jsonl',
      content: `${GOOD_ROW}\n{"Original Sentence": "x"}\n{"BIAS": "No"}\n`,
      error: { line: 3, field: 'Original Sentence', message: 'the text is missing' },
    },
    {
      name: 'an empty text',
      file: 'd.csv',
      content: 'Original Sentence,BIAS\nfine,No\n  ,Yes\n',
      error: { line: 3, field: 'Original Sentence', message: 'the text is empty' },
    },
    {
      // A label value outside its set is kept (kept-values.test.ts); only a type that cannot be
      // a label (an object or a list) is a row error.
      name: 'a label of a JSON type that cannot be a label',
      file: 'f.json',
      content: `[${GOOD_ROW},\n{"Original Sentence": "x", "SENTIMENT": {"score": -1}}]`,
      error: {
        line: 2,
        field: 'SENTIMENT',
        message: 'expected one of Negative, Neutral, Positive as a string, got an object',
      },
    },
    {
      name: 'an annotation that is a list',
      file: 'g.jsonl',
      content: `${GOOD_ROW}\n{"Original Sentence": "x", "Annotation": ["Unsafe"]}\n`,
      error: { line: 2, field: 'Annotation', message: 'expected one of Unsafe, Benign as a string, got a list' },
    },
    {
      name: 'biased words that are not strings',
      file: 'h.jsonl',
      content: `${GOOD_ROW}\n{"Original Sentence": "x", "WORDS OR PHRASES": ["a", 1]}\n`,
      error: { line: 2, field: 'WORDS OR PHRASES', message: 'expected a list of strings, but it holds a number (1)' },
    },
    {
      name: 'an array element that is not an object',
      file: 'i.json',
      content: `[${GOOD_ROW}, "just text"]`,
      error: { line: 1, field: '(record)', message: 'expected a JSON object, got a string' },
    },
    {
      name: 'a truncated JSON array',
      file: 'j.json',
      content: `[\n${GOOD_ROW},\n{"Original Sentence": "cut of`,
      error: { line: 3, field: '(record)', message: 'the file ends inside this element: it is truncated' },
    },
    {
      name: 'a CSV row with too many fields',
      file: 'k.csv',
      content: 'Original Sentence,BIAS\nfine,No\nx,No,extra\n',
      error: {
        line: 3,
        field: '(record)',
        message: 'has 3 fields but the header has 2 (a missing quote or an unquoted comma?)',
      },
    },
    {
      name: 'a truncated CSV (the file ends inside a quoted field)',
      file: 'l.csv',
      content: 'Original Sentence,BIAS\nfine,No\n"cut off in the mid',
      error: {
        line: 3,
        field: '(record)',
        message: 'unterminated quoted field: the file ends inside the quotes opened on line 3',
      },
    },
    {
      name: 'Windows-1252 text in a UTF-8 file',
      file: 'm.csv',
      content: Buffer.concat([
        Buffer.from('Original Sentence,BIAS\nfine,No\n'),
        Buffer.from([0x93, 0x71, 0x94]),
        Buffer.from(',No\n'),
      ]),
      error: {
        line: 3,
        field: 'Original Sentence',
        message: 'not valid UTF-8 (is the file Latin-1 or Windows-1252? save it as UTF-8)',
      },
    },
  ];
  for (const c of cases) {
    test(`${c.name} rejects that row and imports the others`, async ({ lab }) => {
      const r = await lab.run(lab.write(c.file, c.content));
      expect(r.imported).toBeGreaterThanOrEqual(1);
      expect(r.rejected).toBe(1);
      expect(r.errors).toHaveLength(1);
      const e = r.errors[0]!;
      expect({ line: e.line, field: e.field }).toEqual({ line: c.error.line, field: c.error.field });
      if (typeof c.error.message === 'string') expect(e.message).toBe(c.error.message);
      else expect(e.message).toMatch(c.error.message);
    });
  }

  test('a JSON array missing its closing bracket keeps its complete records and reports the truncation', async ({
    lab,
  }) => {
    const r = await lab.run(lab.write('open.json', `[${GOOD_ROW},\n${GOOD_ROW.replace('a good row', 'second')}\n`));
    expect(r).toMatchObject({ imported: 2, rejected: 0 });
    expect(r.errors).toEqual([
      { line: 3, field: '(file)', message: 'the JSON array is not closed with "]": the file may be truncated' },
    ]);
  });
});
