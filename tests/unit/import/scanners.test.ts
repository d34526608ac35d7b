// The byte-level record scanners, fed the way the importer feeds them: chunk by chunk into a
// buffer whose handled bytes are dropped. Every example must give the same records whatever
// the chunk size, down to one byte at a time.
import { describe, expect, test } from 'vitest';
import { CsvScanner } from '../../../src/main/core/datasets/import/csv-reader';
import { JsonArrayScanner, JsonLinesScanner } from '../../../src/main/core/datasets/import/json-reader';
import type { RecordScanner } from '../../../src/main/core/datasets/import/scanner';

const CHUNK_SIZES = [1, 2, 3, 7, 64, Infinity];

/** Feed `input` to a scanner in chunks, as the importer does. */
function feed(input: string | Buffer, chunk: number, make: () => RecordScanner): void {
  const bytes = Buffer.from(input);
  const scanner = make();
  let buf: Buffer = Buffer.alloc(0);
  let pos = 0;
  for (;;) {
    const take = Math.min(chunk, bytes.length - pos);
    buf = Buffer.concat([buf, bytes.subarray(pos, pos + take)]);
    pos += take;
    const eof = pos >= bytes.length;
    const keep = scanner.scan(buf, eof);
    if (eof) return;
    buf = buf.subarray(keep);
    scanner.shift(keep);
  }
}

interface CsvOut {
  line: number;
  fields: string[];
  raw: string;
  error?: string;
}

function scanCsv(input: string | Buffer, chunk: number): CsvOut[] {
  const out: CsvOut[] = [];
  feed(
    input,
    chunk,
    () =>
      new CsvScanner((r) => {
        const fields: string[] = [];
        for (let i = 0; i < r.nFields; i++) fields.push(r.field(i));
        out.push({
          line: r.line,
          fields,
          raw: r.buf.toString('utf8', r.start, r.end),
          ...(r.error ? { error: r.error } : {}),
        });
      }),
  );
  return out;
}

describe('CSV scanner', () => {
  const examples: { name: string; input: string; records: CsvOut[] }[] = [
    {
      name: 'splits plain records on LF',
      input: 'a,b\n1,2\n',
      records: [
        { line: 1, fields: ['a', 'b'], raw: 'a,b\n' },
        { line: 2, fields: ['1', '2'], raw: '1,2\n' },
      ],
    },
    {
      name: 'strips CR of CRLF from the last field but keeps it in the raw bytes',
      input: 'a,b\r\n1,2\r\n',
      records: [
        { line: 1, fields: ['a', 'b'], raw: 'a,b\r\n' },
        { line: 2, fields: ['1', '2'], raw: '1,2\r\n' },
      ],
    },
    {
      name: 'reads quoted fields with commas, doubled quotes and line breaks, counting physical lines',
      input: 'a,b\n"x, ""y""\nz",2\nnext,3\n',
      records: [
        { line: 1, fields: ['a', 'b'], raw: 'a,b\n' },
        { line: 2, fields: ['x, "y"\nz', '2'], raw: '"x, ""y""\nz",2\n' },
        { line: 4, fields: ['next', '3'], raw: 'next,3\n' },
      ],
    },
    {
      name: 'reads a last record without a line break',
      input: 'a\nlast',
      records: [
        { line: 1, fields: ['a'], raw: 'a\n' },
        { line: 2, fields: ['last'], raw: 'last' },
      ],
    },
    {
      name: 'skips blank lines but counts them',
      input: 'a\n\n1\n\r\n2\n',
      records: [
        { line: 1, fields: ['a'], raw: 'a\n' },
        { line: 3, fields: ['1'], raw: '1\n' },
        { line: 5, fields: ['2'], raw: '2\n' },
      ],
    },
    {
      name: 'keeps empty fields, quoted or not',
      input: ',\n"",x\n',
      records: [
        { line: 1, fields: ['', ''], raw: ',\n' },
        { line: 2, fields: ['', 'x'], raw: '"",x\n' },
      ],
    },
    {
      name: 'reports a quoted field still open at the end of the file',
      input: 'a,b\n1,"open\nmore',
      records: [
        { line: 1, fields: ['a', 'b'], raw: 'a,b\n' },
        {
          line: 2,
          fields: ['1', 'open\nmore'],
          raw: '1,"open\nmore',
          error: 'unterminated quoted field: the file ends inside the quotes opened on line 2',
        },
      ],
    },
    {
      name: 'reports text after a closing quote and resumes at the next record',
      input: '"ab"c,d\nok,1\n',
      records: [
        { line: 1, fields: ['ab', 'd'], raw: '"ab"c,d\n', error: 'unexpected text after the closing quote of field 1' },
        { line: 2, fields: ['ok', '1'], raw: 'ok,1\n' },
      ],
    },
    {
      name: 'handles a quoted field closed right before CRLF',
      input: '"a","b"\r\n"c","d"\r\n',
      records: [
        { line: 1, fields: ['a', 'b'], raw: '"a","b"\r\n' },
        { line: 2, fields: ['c', 'd'], raw: '"c","d"\r\n' },
      ],
    },
    {
      name: 'reads a line that ends with a comma as an empty last field',
      input: 'a,',
      records: [{ line: 1, fields: ['a', ''], raw: 'a,' }],
    },
  ];
  for (const ex of examples) {
    test(`${ex.name}, whatever the chunk size`, () => {
      for (const chunk of CHUNK_SIZES) expect(scanCsv(ex.input, chunk), `chunk ${chunk}`).toEqual(ex.records);
    });
  }

  test('keeps multi-byte UTF-8 intact when chunks cut through a character', () => {
    const input = 'text\n"Zoë says ""¿qué?"" 👋",\n';
    for (const chunk of CHUNK_SIZES) {
      expect(scanCsv(input, chunk)[1]!.fields).toEqual(['Zoë says "¿qué?" 👋', '']);
    }
  });
});

interface JsonOut {
  line: number;
  text: string;
  raw: string;
  error?: string;
}

function scanJson(
  input: string,
  chunk: number,
  container: 'jsonl' | 'array',
): { records: JsonOut[]; problems: string[] } {
  const records: JsonOut[] = [];
  const problems: string[] = [];
  // The importer's sniffing step consumes everything up to the array's "[".
  const open = input.indexOf('[');
  const startLine = 1 + (input.slice(0, open).match(/\n/g)?.length ?? 0);
  feed(container === 'array' ? input.slice(open + 1) : input, chunk, () => {
    const onRecord = (r: {
      buf: Buffer;
      start: number;
      end: number;
      rawEnd: number;
      line: number;
      error: string | null;
    }) =>
      records.push({
        line: r.line,
        text: r.buf.toString('utf8', r.start, r.end),
        raw: r.buf.toString('utf8', r.start, r.rawEnd),
        ...(r.error ? { error: r.error } : {}),
      });
    if (container === 'jsonl') return new JsonLinesScanner(onRecord);
    return new JsonArrayScanner(onRecord, (l, m) => problems.push(`line ${l}: ${m}`), 0, startLine);
  });
  return { records, problems };
}

describe('JSON lines scanner', () => {
  test('gives one record per non-blank line with its line number and raw bytes', () => {
    const input = '{"a":1}\n\n  \n{"b":2}\r\n{"c":3}';
    for (const chunk of CHUNK_SIZES) {
      expect(scanJson(input, chunk, 'jsonl').records, `chunk ${chunk}`).toEqual([
        { line: 1, text: '{"a":1}', raw: '{"a":1}\n' },
        { line: 4, text: '{"b":2}', raw: '{"b":2}\r\n' },
        { line: 5, text: '{"c":3}', raw: '{"c":3}' },
      ]);
    }
  });
});

describe('JSON array scanner', () => {
  const examples: { name: string; input: string; records: JsonOut[]; problems: string[] }[] = [
    {
      name: 'finds elements by structure, ignoring brackets and escaped quotes inside strings',
      input: '\n[\n  {"a": "x]}\\"{"},\n  {"b": [1, {"c": 2}]}\n]\n',
      records: [
        { line: 3, text: '{"a": "x]}\\"{"}', raw: '{"a": "x]}\\"{"}' },
        { line: 4, text: '{"b": [1, {"c": 2}]}', raw: '{"b": [1, {"c": 2}]}' },
      ],
      problems: [],
    },
    {
      name: 'gives scalars as elements of their own (the importer rejects them)',
      input: '[1, "two" ,null]',
      records: [
        { line: 1, text: '1', raw: '1' },
        { line: 1, text: '"two"', raw: '"two"' },
        { line: 1, text: 'null', raw: 'null' },
      ],
      problems: [],
    },
    {
      name: 'reports an element cut off by the end of the file',
      input: '[{"a":1},\n{"b":',
      records: [
        { line: 1, text: '{"a":1}', raw: '{"a":1}' },
        { line: 2, text: '{"b":', raw: '{"b":', error: 'the file ends inside this element: it is truncated' },
      ],
      problems: [],
    },
    {
      name: 'reports an array that is never closed',
      input: '[{"a":1}\n',
      records: [{ line: 1, text: '{"a":1}', raw: '{"a":1}' }],
      problems: ['line 2: the JSON array is not closed with "]": the file may be truncated'],
    },
    {
      name: 'reports text after the closing bracket',
      input: '[{"a":1}]\nextra',
      records: [{ line: 1, text: '{"a":1}', raw: '{"a":1}' }],
      problems: ['line 2: unexpected text after the closing "]" of the JSON array (ignored)'],
    },
  ];
  for (const ex of examples) {
    test(`${ex.name}, whatever the chunk size`, () => {
      for (const chunk of CHUNK_SIZES) {
        expect(scanJson(ex.input, chunk, 'array'), `chunk ${chunk}`).toEqual({
          records: ex.records,
          problems: ex.problems,
        });
      }
    });
  }
});
