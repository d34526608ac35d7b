// How an import is stored: one transaction, duplicates by content hash, provenance, cancel,
// progress, streaming (records split across reads, a 10 MB field), both writer placements.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { ApiError } from '../../../src/shared/contract';
import { openDb } from '../../../src/main/core/db';
import { rowContentHash } from '../../../src/main/core/datasets/records';
import { hasSharedData, sharedData } from '../../helpers';
import { FIXTURES, test } from './harness';

const fixture = (name: string) => path.join(FIXTURES, name);

describe('duplicates', () => {
  test('re-importing a file adds nothing: every record is a duplicate', async ({ lab }) => {
    const first = await lab.run(fixture('flat.json'));
    const second = await lab.run(fixture('flat.jsonl'));
    expect(first).toMatchObject({ imported: 3, duplicates: 0 });
    // The same content in another container is the same records.
    expect(second).toMatchObject({ imported: 0, duplicates: 3, disagreements: 0 });
    expect(lab.counts()).toEqual({ datasets: 1, imports: 2, records: 3 });
  });

  test('duplicates within one file count too; the same content in another dataset is not a duplicate', async ({
    lab,
  }) => {
    const row = '{"Original Sentence": "same", "BIAS": "Yes"}\n';
    const r = await lab.run(lab.write('dup.jsonl', row + row + row.replace('Yes', 'yes')));
    expect(r).toMatchObject({ imported: 1, duplicates: 2 });
    const other = await lab.run(lab.write('dup2.jsonl', row), { dataset: 'other' });
    expect(other).toMatchObject({ imported: 1, duplicates: 0 });
  });

  test('counts gold/rule disagreements among the records actually inserted', async ({ lab }) => {
    // Gold "Benign" where the paper's rule says Unsafe; record 6 repeats record 5.
    const rows = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({
        'Original Sentence': `text ${i === 6 ? 5 : i}`,
        BIAS: 'Yes',
        TOXICITY: 'High',
        SENTIMENT: 'Negative',
        HARM: 'High',
        Annotation: 'Benign',
      }),
    );
    const file = lab.write('disagree.jsonl', rows.join('\n'));
    expect(await lab.run(file)).toMatchObject({ imported: 39, duplicates: 1, disagreements: 39 });
    expect(await lab.run(file)).toMatchObject({ imported: 0, duplicates: 40, disagreements: 0 });
    expect(lab.records().filter((r) => r.disagrees === 1)).toHaveLength(39);
  });

  test('stores the content hash records.ts defines', async ({ lab }) => {
    await lab.run(fixture('flat.json'));
    await lab.run(fixture('nested.json'));
    for (const row of lab.records()) expect(row.content_hash).toBe(rowContentHash(row));
  });
});

describe('provenance', () => {
  test('records the import (file, format, counts, rejects file) and links its records to it', async ({ lab }) => {
    const r = await lab.run(lab.write('one.jsonl', '{"Original Sentence": "x"}\n{"Original Sentence": 1}\n'), {
      displayName: 'uploaded.jsonl',
    });
    const db = openDb(lab.dbFile);
    try {
      const imp = db.prepare('SELECT * FROM imports').get() as Record<string, unknown>;
      expect(imp).toMatchObject({
        file: 'uploaded.jsonl',
        format: 'cmd-flat',
        imported: 1,
        duplicates: 0,
        rejected: 1,
        rejects_file: r.rejectsFile,
      });
      expect(lab.records()[0]).toMatchObject({ import_id: imp.id, source_line: 1 });
    } finally {
      db.close();
    }
    expect(r.file).toBe('uploaded.jsonl');
  });
});

describe('concurrency', () => {
  test(
    'waits for another writer, then gives up with "busy" and changes nothing',
    { timeout: 30_000 },
    async ({ lab }) => {
      await lab.run(fixture('flat.json'));
      const before = lab.counts();
      const other = openDb(lab.dbFile);
      other.exec('BEGIN IMMEDIATE');
      try {
        const e = await lab.fail(fixture('nested.json'));
        expect(e.kind).toBe('busy');
        expect(e.message).toBe('the database is busy with another write; try the import again when it finishes');
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      expect(lab.counts()).toEqual(before);
    },
  );
});

describe('cancel and progress', () => {
  const bigJsonl = (n: number) =>
    Array.from(
      { length: n },
      (_, i) => `{"Original Sentence": "record number ${i} with some padding text", "BIAS": "No"}`,
    ).join('\n');

  test('a cancelled import rolls back and says it was cancelled', async ({ lab }) => {
    await lab.run(fixture('flat.json'));
    const before = lab.counts();
    const file = lab.write('big.jsonl', bigJsonl(20_000));
    const ctl = new AbortController();
    const e = await lab.fail(
      file,
      { dataset: 'cancelled', signal: ctl.signal, onProgress: () => ctl.abort() },
      { chunkBytes: 4096 },
    );
    expect(e).toBeInstanceOf(ApiError);
    expect(e.kind).toBe('cancelled');
    expect(e.message).toBe('import of big.jsonl cancelled; nothing was imported');
    expect(lab.counts()).toEqual(before);
  });

  test('reports progress per chunk, ending at the file size', async ({ lab }) => {
    const file = lab.write('big.jsonl', bigJsonl(5_000));
    const seen: [number, number][] = [];
    await lab.run(file, { onProgress: (done, total) => seen.push([done, total]) }, { chunkBytes: 16_384 });
    const size = fs.statSync(file).size;
    expect(seen.length).toBeGreaterThan(size / 16_384 - 1);
    expect(seen.every(([, total]) => total === size)).toBe(true);
    expect(seen.map(([done]) => done)).toEqual([...seen.map(([done]) => done)].sort((a, b) => a - b));
    expect(seen.at(-1)).toEqual([size, size]);
  });
});

describe('streaming', () => {
  const files = [
    'flat.json',
    'flat.jsonl',
    'nested.json',
    'flat.csv',
    ...(hasSharedData('srllm', 'train_500.csv') ? ['train_500.csv'] : []),
  ];
  for (const name of files) {
    test(`${name}: tiny reads, and writing on the calling thread, store the same records`, async ({ lab }) => {
      const file = name === 'train_500.csv' ? sharedData('srllm', name) : fixture(name);
      const strip = (rows: ReturnType<typeof lab.records>) =>
        rows.map(({ id: _id, import_id: _imp, dataset_id: _ds, ...rest }) => rest);
      await lab.run(file, { dataset: 'default' });
      await lab.run(file, { dataset: 'tiny' }, { chunkBytes: 5 });
      await lab.run(file, { dataset: 'inthread' }, { inThread: true, chunkBytes: 333 });
      const expected = strip(lab.records('default'));
      expect(expected.length).toBeGreaterThan(0);
      expect(strip(lab.records('tiny'))).toEqual(expected);
      expect(strip(lab.records('inthread'))).toEqual(expected);
    });
  }

  test('a 10 MB text field imports intact from CSV and from JSON lines', async ({ lab }) => {
    const unit = 'word, "quoted" and\nmore ';
    const huge = unit.repeat(Math.ceil((10 * 1024 * 1024) / unit.length));
    const csv = lab.write('huge.csv', `Original Sentence,BIAS\n"${huge.replaceAll('"', '""')}",No\nsmall,Yes\n`);
    const jsonl = lab.write(
      'huge.jsonl',
      `${JSON.stringify({ 'Original Sentence': huge, BIAS: 'No' })}\n{"Original Sentence": "small"}\n`,
    );
    expect(await lab.run(csv, { dataset: 'csv' })).toMatchObject({ imported: 2, rejected: 0 });
    expect(await lab.run(jsonl, { dataset: 'jsonl' })).toMatchObject({ imported: 2, rejected: 0 });
    for (const ds of ['csv', 'jsonl']) {
      const [big, small] = lab.records(ds);
      expect(big!.text.length).toBe(huge.length);
      expect(big!.text === huge).toBe(true);
      expect(small!.source_line).toBe(ds === 'csv' ? 2 + huge.split('\n').length - 1 + 1 : 2);
    }
  });
});
