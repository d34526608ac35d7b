// De-duplication never drops a row that differs (issue 9): the content hash covers every column
// the import keeps, skipped duplicates are listed with the line (and import) they duplicate, and
// migration 5 re-hashes older records so that re-importing a file still finds its rows.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { describe, expect } from 'vitest';
import { latestSchemaVersion, migrate, openDb, schemaVersion } from '../../../src/main/core/db';
import { contentHash, rowContentHash, type RecordRow } from '../../../src/main/core/datasets/records';
import { MAX_DUPLICATE_ROWS } from '../../../src/main/core/datasets/import/sql-transaction';
import { hasSharedData, sharedData, tempDir } from '../../helpers';
import { test } from './harness';

const COUNTERFACTUAL = ['srllm', 'counterfactual-inhouse.csv'];

describe.skipIf(!hasSharedData(...COUNTERFACTUAL))("the paper's counterfactual CSV", () => {
  test('imports 520 of its 520 distinct rows: rows with the same Original differ in the other columns', async ({
    lab,
  }) => {
    const file = sharedData(...COUNTERFACTUAL);
    const rows = parse(fs.readFileSync(file), { columns: false }) as string[][];
    const distinct = new Set(rows.slice(1).map((r) => JSON.stringify(r))).size;
    expect(distinct).toBe(520);
    // What made the old hash (text only, here) drop rows: some texts repeat.
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBeLessThan(520);

    const r = await lab.run(file, { format: 'csv', mapping: { text: 'Original' } });
    expect(r).toMatchObject({ format: 'csv', imported: 520, duplicates: 0, duplicateRows: [], rejected: 0 });
    expect(lab.counts().records).toBe(520);

    // The same bytes again: every row is a duplicate of the row on the same line of the first import.
    const again = await lab.run(file, { format: 'csv', mapping: { text: 'Original' } });
    expect(again).toMatchObject({ imported: 0, duplicates: 520 });
    expect(again.duplicateRows).toHaveLength(520);
    for (const d of again.duplicateRows) {
      expect(d.duplicateOf).toBe(d.line);
      expect(d.earlierImport).toMatchObject({ file });
    }
  });
});

describe('the content hash', () => {
  test('two rows with the same text and labels but different extra columns are both kept', async ({ lab }) => {
    const csv = 'content,label,note\nsame text,Yes,first\nsame text,Yes,second\nsame text,Yes,first\n';
    const r = await lab.run(lab.write('x.csv', csv), { mapping: { text: 'content', bias: 'label' } });
    expect(r).toMatchObject({ imported: 2, duplicates: 1 });
    expect(lab.records().map((x) => x.extra)).toEqual(['{"note":"first"}', '{"note":"second"}']);
    expect(r.duplicateRows).toEqual([{ line: 4, recordId: lab.records()[0]!.id, duplicateOf: 2, earlierImport: null }]);
  });

  test('a record without extra columns hashes as before the extra columns were covered', () => {
    const content = {
      text: 't',
      labels: { bias: 'Yes', toxicity: null, sentiment: 'Negative', harm: null },
      annotationGold: null,
      targetDemographic: null,
      biasedWords: ['w'],
      benignVariation: null,
    };
    // The earlier definition, spelled out: sha256 of the JSON of these nine values.
    const old = contentHash({ ...content, extraJson: '{}' });
    const expected = crypto
      .createHash('sha256')
      .update(JSON.stringify(['t', 'Yes', null, 'Negative', null, null, null, ['w'], null]))
      .digest('base64url')
      .slice(0, 32);
    expect(old).toBe(expected);
    expect(contentHash({ ...content, extraJson: '{"a":"1"}' })).not.toBe(expected);
  });
});

describe('skipped duplicates are listed like rejects', () => {
  test('with the line each duplicates, in this file or an earlier import; the list is capped, the count is not', async ({
    lab,
  }) => {
    // 40 rows (more than one 32-row INSERT) where rows 10..39 repeat rows 0..29 in reverse.
    const texts = Array.from({ length: 40 }, (_, i) => (i < 10 ? `t${i}` : `t${39 - i}`));
    const unique = [...new Set(texts)];
    const file = lab.write('d.jsonl', texts.map((t) => JSON.stringify({ Text: t, Labels: {} })).join('\n'));
    const r = await lab.run(file);
    expect(r).toMatchObject({ imported: unique.length, duplicates: 40 - unique.length });
    const firstLine = new Map<string, number>();
    texts.forEach((t, i) => firstLine.has(t) || firstLine.set(t, i + 1));
    const expected = texts
      .map((t, i) => ({ line: i + 1, t }))
      .filter(({ line, t }) => firstLine.get(t) !== line)
      .map(({ line, t }) => ({ line, duplicateOf: firstLine.get(t)!, earlierImport: null }));
    expect(
      r.duplicateRows.map(({ line, duplicateOf, earlierImport }) => ({ line, duplicateOf, earlierImport })),
    ).toEqual(expected);
    // Each names the stored record it duplicates.
    const byId = new Map(lab.records().map((x) => [x.id, x]));
    for (const d of r.duplicateRows) expect(byId.get(d.recordId)!.source_line).toBe(d.duplicateOf);

    const other = lab.write('e.jsonl', JSON.stringify({ Text: 't3', Labels: {} }));
    const again = await lab.run(other);
    expect(again.duplicateRows).toEqual([
      { line: 1, recordId: expect.any(Number), duplicateOf: firstLine.get('t3'), earlierImport: { id: 1, file } },
    ]);
  });

  test(`lists at most ${MAX_DUPLICATE_ROWS} and counts them all`, async ({ lab }) => {
    const row = JSON.stringify({ Text: 'again', Labels: {} });
    const r = await lab.run(
      lab.write(
        'many.jsonl',
        Array(MAX_DUPLICATE_ROWS + 51)
          .fill(row)
          .join('\n'),
      ),
    );
    expect(r).toMatchObject({ imported: 1, duplicates: MAX_DUPLICATE_ROWS + 50 });
    expect(r.duplicateRows).toHaveLength(MAX_DUPLICATE_ROWS);
    expect(r.duplicateRows.at(-1)).toMatchObject({ line: MAX_DUPLICATE_ROWS + 1, duplicateOf: 1 });
  });
});

describe('migration 5: records with extra columns get the hash that covers them', () => {
  test('re-importing a file imported before the migration adds nothing, manual edits included', async ({ lab }) => {
    const csv = 'content,label,note\nsame text,Yes,first\nother text,No,second\n';
    const file = lab.write('old.csv', csv);
    const mapping = { text: 'content', bias: 'label' };
    await lab.run(file, { mapping });

    // Turn the database into what an older srlab left: version 4, hashes without the extras,
    // and one record's label edited afterwards (an edit never changes the hash).
    const db = new Database(lab.dbFile);
    const rows = db.prepare('SELECT * FROM records ORDER BY id').all() as RecordRow[];
    const oldHash = (r: RecordRow, bias: string | null) =>
      crypto
        .createHash('sha256')
        .update(
          JSON.stringify([
            r.text,
            bias,
            r.toxicity,
            r.sentiment,
            r.harm,
            r.annotation_gold,
            r.target,
            JSON.parse(r.biased_words),
            r.benign,
          ]),
        )
        .digest('base64url')
        .slice(0, 32);
    for (const r of rows) db.prepare('UPDATE records SET content_hash = ? WHERE id = ?').run(oldHash(r, r.bias), r.id);
    db.prepare("UPDATE records SET bias = 'No' WHERE id = ?").run(rows[0]!.id);
    db.prepare(
      "INSERT INTO record_edits (record_id, field, before, after, editor, note, at) VALUES (?, 'bias', '\"Yes\"', '\"No\"', 'ed', NULL, 'now')",
    ).run(rows[0]!.id);
    // Version 4 of the old scheme = the database has not had the datasets capability's re-hash.
    db.prepare("DELETE FROM schema_migrations WHERE id = 'datasets/rehash-extra-columns'").run();
    migrate(db);
    expect(schemaVersion(db)).toBe(latestSchemaVersion());
    const after = db.prepare('SELECT * FROM records ORDER BY id').all() as RecordRow[];
    db.close();
    // The unedited record's hash is the one a fresh import computes; the edited one's is that of its imported content.
    expect(after[1]!.content_hash).toBe(rowContentHash(after[1]!));
    expect(after[0]!.content_hash).toBe(rowContentHash({ ...after[0]!, bias: 'Yes' }));

    const again = await lab.run(file, { mapping });
    expect(again).toMatchObject({ imported: 0, duplicates: 2 });
    expect(lab.counts().records).toBe(2);
  });

  test('a database with no records migrates', () => {
    const file = path.join(tempDir(), 'fresh.sqlite');
    const db = openDb(file);
    expect(schemaVersion(db)).toBe(latestSchemaVersion());
    db.close();
  });
});

describe('which thread hashes', () => {
  // The reading thread hashes a batch when the writer has fallen behind, else the writer hashes
  // it from the row's column values (sql-writer.ts). Both must give contentHash exactly, or a
  // re-import would store the same rows twice.
  const tricky = ['plain', 'a "quoted" word', 'back\\slash', 'tab\there', 'é ü 中文 😀', "it's", '{"json":1}'];
  const labels = ['Yes', 'No', 'Slightly Biased', '', 'No "really"'];
  function csv(rows: number): string {
    const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
    let out = 'content,label,tox,group,words,benign,note\n';
    for (let i = 0; i < rows; i++) {
      const t = (k: number) => tricky[(i + k) % tricky.length]!;
      out +=
        [
          q(`${t(0)} ${i}`),
          q(labels[i % labels.length]!),
          q(['Mild', 'High', 'none of these'][i % 3]!),
          q(i % 4 === 0 ? '' : t(1)),
          q(i % 3 === 0 ? '' : `['${t(2).replaceAll("'", '')}', 'w${i % 5}']`),
          q(i % 2 === 0 ? '' : t(3)),
          q(t(4)),
        ].join(',') + '\n';
    }
    return out;
  }
  const mapping = {
    text: 'content',
    bias: 'label',
    toxicity: 'tox',
    target: 'group',
    biasedWords: 'words',
    benign: 'benign',
  };

  test('gives contentHash on either thread, so a re-import hashed on the other finds every row', async ({ lab }) => {
    const file = lab.write('mixed.csv', csv(2600)); // three batches of 1,024 rows
    const first = await lab.run(file, { mapping }, { hashOn: 'writer' });
    expect(first).toMatchObject({ imported: 2600, duplicates: 0, rejected: 0 });
    const stored = lab.records();
    for (const r of stored) expect(r.content_hash, `record ${r.id}`).toBe(rowContentHash(r));

    const again = await lab.run(file, { mapping }, { hashOn: 'main' });
    expect(again).toMatchObject({ imported: 0, duplicates: 2600 });
    const auto = await lab.run(file, { mapping, dataset: 'auto' });
    expect(auto).toMatchObject({ imported: 2600 });
    expect(lab.records('auto').map((r) => r.content_hash)).toEqual(stored.map((r) => r.content_hash));
  });
});
