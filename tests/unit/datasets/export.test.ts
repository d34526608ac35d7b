import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/contract';
import { CmdRecordSchema } from '../../../src/shared/contracts/datasets';
import { openDb, type Db } from '../../../src/main/core/db';
import {
  CSV_COLUMNS,
  EXPORT_DEFAULTS,
  alpacaInstruction,
  AUTHORS_CODE_PROMPT,
  llama2ChatPrompt,
  csvField,
  exportDataset,
  llama2ChatText,
} from '../../../src/main/core/datasets/export';
import { tempDir } from '../../helpers';

interface Rec {
  text: string;
  benign?: string | null;
  gold?: string | null;
  derived?: string | null;
  split?: string | null;
  words?: string[];
  sourceId?: string | null;
  target?: string | null;
}

function dbWith(recs: Rec[]): { db: Db; dataset: { id: number; name: string } } {
  const db = openDb(path.join(tempDir(), 'srlab.sqlite'));
  const id = Number(
    db.prepare("INSERT INTO datasets (name, created_at) VALUES ('cmd', '2024-01-01')").run().lastInsertRowid,
  );
  const stmt = db.prepare(
    `INSERT INTO records (dataset_id, source_id, text, bias, toxicity, sentiment, harm, annotation_gold, annotation_derived,
                          annotation_strict, disagrees, target, biased_words, benign, split, content_hash)
     VALUES (?, ?, ?, 'Yes', 'Mild', 'Negative', 'Low', ?, ?, 'Unsafe', ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() =>
    recs.forEach((r, i) =>
      stmt.run(
        id,
        r.sourceId ?? null,
        r.text,
        r.gold ?? null,
        r.derived ?? 'Unsafe',
        r.gold && r.gold !== (r.derived ?? 'Unsafe') ? 1 : 0,
        r.target ?? null,
        JSON.stringify(r.words ?? []),
        r.benign ?? null,
        r.split ?? null,
        `h${i}`,
      ),
    ),
  )();
  return { db, dataset: { id, name: 'cmd' } };
}

const MIXED: Rec[] = [
  { text: 'They are all lazy.', benign: 'Some people rest.', split: 'train' },
  { text: 'No rewrite, unsafe.', benign: null, split: 'train' },
  { text: 'A calm day.', benign: null, derived: 'Benign', split: 'train' },
  { text: 'Blank rewrite.', benign: '   ', split: 'test' },
  { text: 'Men never listen.', benign: 'People sometimes miss things.', split: 'test' },
];

const read = (file: string) => fs.readFileSync(file, 'utf8');

describe('EXPORT_DEFAULTS', () => {
  it("quotes the paper's system prompt and instruction, with {text} inside double quotes", () => {
    expect(EXPORT_DEFAULTS.systemPrompt.startsWith('As an advanced text transformation AI, your role is')).toBe(true);
    expect(EXPORT_DEFAULTS.systemPrompt).toContain('4. In every instance, refine the input');
    expect(
      EXPORT_DEFAULTS.systemPrompt.endsWith('across all dimensions of bias, toxicity, harm, and stereotyping.'),
    ).toBe(true);
    expect(
      EXPORT_DEFAULTS.instruction.startsWith('Please rewrite the following text to create a benign variation'),
    ).toBe(true);
    // Ends as the paper's does: a full stop after the quoted text.
    expect(EXPORT_DEFAULTS.instruction.endsWith('without sacrificing the original message essence: "{text}".')).toBe(
      true,
    );
    expect(EXPORT_DEFAULTS.instruction.split('{text}')).toHaveLength(2);
  });
});

describe('exportDataset: llama2-chat', () => {
  it('writes one {"text": …} JSON line per record in the Llama-2 chat format, byte for byte', () => {
    const { db, dataset } = dbWith([
      { text: 'He said "hi"\nthen left', benign: 'He greeted the café & left.', split: 'train' },
    ]);
    const out = path.join(tempDir(), 'train.jsonl');
    const res = exportDataset(db, dataset, {
      split: 'train',
      format: 'llama2-chat',
      out,
      systemPrompt: 'Be kind.',
      instruction: 'Fix: "{text}"',
    });
    expect(res).toEqual({ path: out, fileName: 'train.jsonl', records: 1, skipped: 0, format: 'llama2-chat' });
    expect(read(out)).toBe(
      String.raw`{"text":"<s>[INST] <<SYS>>\nBe kind.\n<</SYS>>\n\nFix: \"He said \"hi\"\nthen left\" [/INST] He greeted the café & left. </s>"}` +
        '\n',
    );
    expect(JSON.parse(read(out))).toEqual({
      text: '<s>[INST] <<SYS>>\nBe kind.\n<</SYS>>\n\nFix: "He said "hi"\nthen left" [/INST] He greeted the café & left. </s>',
    });
  });

  it("uses the paper's prompts by default and skips records without a benign variation", () => {
    const { db, dataset } = dbWith(MIXED);
    const out = path.join(tempDir(), 'all.jsonl');
    const res = exportDataset(db, dataset, { split: 'all', format: 'llama2-chat', out });
    expect(res).toMatchObject({ records: 2, skipped: 3 });
    const lines = read(out)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string });
    expect(lines[0]!.text).toBe(
      llama2ChatText(
        EXPORT_DEFAULTS.systemPrompt,
        EXPORT_DEFAULTS.instruction.replace('{text}', 'They are all lazy.'),
        'Some people rest.',
      ),
    );
    expect(lines[1]!.text).toContain('essence: "Men never listen.". [/INST] People sometimes miss things. </s>');
  });

  it('replaces {text} literally ($ patterns stay as they are)', () => {
    const { db, dataset } = dbWith([{ text: "costs $& and $'", benign: 'ok' }]);
    const out = path.join(tempDir(), 'x.jsonl');
    exportDataset(db, dataset, {
      split: 'all',
      format: 'llama2-chat',
      out,
      systemPrompt: 's',
      instruction: '[{text}]',
    });
    expect((JSON.parse(read(out)) as { text: string }).text).toContain("[costs $& and $'] [/INST]");
  });

  it('leaves the <<SYS>> block out for an empty or blank system prompt, as generation prompts do', () => {
    const { db, dataset } = dbWith([{ text: 'x', benign: 'y', split: 'train' }]);
    for (const system of ['', '  \n']) {
      const out = path.join(tempDir(), 'nosys.jsonl');
      exportDataset(db, dataset, {
        split: 'train',
        format: 'llama2-chat',
        out,
        systemPrompt: system,
        instruction: 'Fix: {text}',
      });
      expect((JSON.parse(read(out)) as { text: string }).text).toBe('<s>[INST] Fix: x [/INST] y </s>');
    }
    expect(llama2ChatPrompt('', 'u')).toBe('<s>[INST] u [/INST]');
    expect(llama2ChatText('S', 'u', 'r')).toBe(`${llama2ChatPrompt('S', 'u')} r </s>`);
  });

  it("writes the authors' code prompt (utils/params.py) word for word in the Llama-2 chat layout", () => {
    const { db, dataset } = dbWith([{ text: 'Old people are slow.', benign: 'People differ.', split: 'train' }]);
    const out = path.join(tempDir(), 'authors.jsonl');
    exportDataset(db, dataset, { split: 'train', format: 'llama2-chat', out, ...AUTHORS_CODE_PROMPT });
    expect((JSON.parse(read(out)) as { text: string }).text).toBe(
      '<s>[INST] <<SYS>>\nYou are a text debiasing bot, you take as input a text and you output its debiased version by rephrasing it to be free from any age, gender, political, social or socio-economic biases ,  without any extra outputs\n<</SYS>>\n\nDebias this text by rephrasing it to be free of bias : Old people are slow. [/INST] People differ. </s>',
    );
  });

  it('rejects an instruction without {text}', () => {
    const { db, dataset } = dbWith(MIXED);
    const out = path.join(tempDir(), 'x.jsonl');
    expect(() =>
      exportDataset(db, dataset, { split: 'all', format: 'llama2-chat', out, instruction: 'Rewrite this.' }),
    ).toThrow(ApiError);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('exportDataset: alpaca', () => {
  it('writes a JSON array of {instruction, input, output}, the text in input and the rewrite in output', () => {
    const { db, dataset } = dbWith(MIXED);
    const out = path.join(tempDir(), 'a.json');
    const res = exportDataset(db, dataset, { split: 'train', format: 'alpaca', out });
    expect(res).toMatchObject({ records: 1, skipped: 2, format: 'alpaca' });
    const items = JSON.parse(read(out)) as unknown[];
    expect(items).toEqual([
      {
        instruction: alpacaInstruction(EXPORT_DEFAULTS.instruction),
        input: 'They are all lazy.',
        output: 'Some people rest.',
      },
    ]);
    expect(Object.keys(items[0] as object)).toEqual(['instruction', 'input', 'output']);
  });

  it('with requireBenign false, keeps Benign records as they are and still skips Unsafe ones without a rewrite', () => {
    const { db, dataset } = dbWith(MIXED);
    const out = path.join(tempDir(), 'a.json');
    const res = exportDataset(db, dataset, { split: 'train', format: 'alpaca', out, requireBenign: false });
    expect(res).toMatchObject({ records: 2, skipped: 1 });
    const items = JSON.parse(read(out)) as { input: string; output: string }[];
    expect(items[1]).toMatchObject({ input: 'A calm day.', output: 'A calm day.' });
  });

  it('writes a valid empty array when nothing qualifies', () => {
    const { db, dataset } = dbWith(MIXED);
    const out = path.join(tempDir(), 'a.json');
    expect(exportDataset(db, dataset, { split: 'dev', format: 'alpaca', out }).records).toBe(0);
    expect(JSON.parse(read(out))).toEqual([]);
  });

  it.each([
    {
      instruction: EXPORT_DEFAULTS.instruction,
      want: 'Please rewrite the following text to create a benign variation that eliminates all forms of bias, toxicity, stereotyping, and harm, such as gender, age, race, political, and socio-economic biases. Ensure the revised text promotes inclusivity and neutrality without sacrificing the original message essence.',
    },
    {
      instruction: 'Debias this text by rephrasing it to be free of bias :{text}',
      want: 'Debias this text by rephrasing it to be free of bias.',
    },
    { instruction: 'Rewrite "{text}" politely.', want: 'Rewrite politely.' },
    { instruction: 'Rewrite this: "{text}".', want: 'Rewrite this.' },
    { instruction: 'Rewrite the input.', want: 'Rewrite the input.' },
  ])('derives the alpaca instruction from $instruction', ({ instruction, want }) => {
    expect(alpacaInstruction(instruction)).toBe(want);
  });
});

describe('exportDataset: jsonl and csv', () => {
  it('writes every record in full as JSON lines, ordered by id, requiring no rewrite', () => {
    const { db, dataset } = dbWith(MIXED);
    const out = path.join(tempDir(), 'r.jsonl');
    const res = exportDataset(db, dataset, { split: 'all', format: 'jsonl', out });
    expect(res).toMatchObject({ records: 5, skipped: 0 });
    const recs = read(out)
      .trimEnd()
      .split('\n')
      .map((l) => CmdRecordSchema.parse(JSON.parse(l)));
    expect(recs.map((r) => r.text)).toEqual(MIXED.map((r) => r.text));
    expect(recs.map((r) => r.id)).toEqual([...recs.map((r) => r.id)].sort((a, b) => a - b));
    expect(recs[0]).toMatchObject({ labels: { bias: 'Yes', toxicity: 'Mild' }, split: 'train', biasedWords: [] });
  });

  it('honours requireBenign for jsonl when asked', () => {
    const { db, dataset } = dbWith(MIXED);
    const out = path.join(tempDir(), 'r.jsonl');
    expect(exportDataset(db, dataset, { split: 'all', format: 'jsonl', out, requireBenign: true })).toMatchObject({
      records: 2,
      skipped: 3,
    });
  });

  it('writes RFC 4180 CSV that round-trips through csv-parse', () => {
    const tricky: Rec[] = [
      {
        text: 'comma, "quotes" and\r\nCRLF',
        benign: 'line\nbreak',
        words: ['a "b"', 'c,d'],
        sourceId: '007',
        target: ' spaced ',
        gold: 'Benign',
      },
      { text: '  leading space, trailing  ', benign: null, split: 'dev' },
      { text: 'ünïcödé 😀', benign: '=SUM(A1)' },
    ];
    const { db, dataset } = dbWith(tricky);
    const out = path.join(tempDir(), 'r.csv');
    const res = exportDataset(db, dataset, { split: 'all', format: 'csv', out });
    expect(res).toMatchObject({ records: 3, skipped: 0, format: 'csv' });
    const raw = read(out);
    expect(raw.startsWith(`${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    const rows = parse(raw, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      source_id: '007',
      text: tricky[0]!.text,
      benign_variation: 'line\nbreak',
      target_demographic: ' spaced ',
      annotation_gold: 'Benign',
      annotation_derived: 'Unsafe',
      annotation_disagrees: 'true',
      split: '',
    });
    expect(JSON.parse(rows[0]!.biased_words!)).toEqual(['a "b"', 'c,d']);
    expect(rows[1]).toMatchObject({
      text: '  leading space, trailing  ',
      benign_variation: '',
      split: 'dev',
      annotation_disagrees: 'false',
    });
    // A formula is guarded (a leading quote) by default; --raw-csv writes it as it is.
    expect(rows[2]).toMatchObject({ text: 'ünïcödé 😀', benign_variation: "'=SUM(A1)" });
    const rawOut = path.join(tempDir(), 'raw.csv');
    exportDataset(db, dataset, { split: 'all', format: 'csv', out: rawOut, rawCsv: true });
    const rawRows = parse(read(rawOut), { columns: true }) as Record<string, string>[];
    expect(rawRows[2]).toMatchObject({ benign_variation: '=SUM(A1)' });
  });

  it.each([
    { value: 'plain', field: 'plain' },
    { value: 'a,b', field: '"a,b"' },
    { value: 'say "x"', field: '"say ""x"""' },
    { value: 'two\nlines', field: '"two\nlines"' },
    { value: null, field: '' },
    { value: 12, field: '12' },
  ])('quotes a CSV field only when needed: $value → $field', ({ value, field }) => {
    expect(csvField(value)).toBe(field);
  });
});

describe('exportDataset: writing the file', () => {
  it('replaces an existing file and leaves no temp file behind', () => {
    const { db, dataset } = dbWith(MIXED);
    const dir = tempDir();
    const out = path.join(dir, 'r.jsonl');
    fs.writeFileSync(out, 'old');
    exportDataset(db, dataset, { split: 'test', format: 'jsonl', out });
    expect(read(out).split('\n').filter(Boolean)).toHaveLength(2);
    expect(fs.readdirSync(dir)).toEqual(['r.jsonl']);
  });

  it('leaves no half file when the export fails', () => {
    const { db, dataset } = dbWith(MIXED);
    const dir = tempDir();
    const out = path.join(dir, 'taken');
    fs.mkdirSync(out); // renaming the finished temp file onto a directory fails
    expect(() => exportDataset(db, dataset, { split: 'all', format: 'csv', out })).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['taken']);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('creates missing parent folders', () => {
    const { db, dataset } = dbWith(MIXED);
    const out = path.join(tempDir(), 'a', 'b', 'r.csv');
    expect(exportDataset(db, dataset, { split: 'all', format: 'csv', out }).fileName).toBe('r.csv');
    expect(fs.existsSync(out)).toBe(true);
  });
});
