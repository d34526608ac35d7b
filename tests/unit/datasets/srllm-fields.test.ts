// The authors' released CSV (train_500.csv) through the real import: its own fields (`label`,
// `dimension`, `aspect` → target) are filterable, charted and stratified by (issue 9, item 5).
// Expected counts are read from the CSV here with csv-parse, independently of srlab's import.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { findDataset } from '../../../src/main/core/datasets/repository';
import { allocate, assignSplits } from '../../../src/main/core/datasets/split';
import { runOffThread } from '../../../src/main/core/datasets/offthread';
import { hasSharedData, sharedData, tempDir } from '../../helpers';

const TRAIN_500 = ['srllm', 'train_500.csv'] as const;

type CsvRow = Record<string, string>;

/** Rows as CSV, every cell quoted (RFC 4180). */
const toCsv = (columns: string[], data: CsvRow[]) =>
  [columns, ...data.map((r) => columns.map((c) => r[c]!))]
    .map((cells) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))
    .join('\n') + '\n';

function tally(rows: CsvRow[], column: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) if (r[column]!.trim() !== '') out[r[column]!] = (out[r[column]!] ?? 0) + 1;
  return out;
}

describe.skipIf(!hasSharedData(...TRAIN_500))("the authors' train_500.csv: its own fields", () => {
  let core: Core;
  let rows: CsvRow[];
  let home: string;

  async function importFile(dataset: string, file: string): Promise<void> {
    const result = await core.datasets.startImport({
      dataset,
      source: { kind: 'path', path: file },
      format: 'srllm-csv',
      strict: false,
    }).done;
    expect(result.imported).toBe(rows.length);
  }

  /** Each record's split, keyed by its text (the texts of train_500.csv are distinct). */
  const splitsByText = (dataset: string) =>
    Object.fromEntries(
      core.db
        .prepare<[string], { text: string; split: string | null }>(
          'SELECT r.text, r.split FROM records r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = ?',
        )
        .all(dataset)
        .map((r) => [r.text, r.split]),
    );

  beforeAll(async () => {
    home = tempDir();
    core = await createCore({ home, loadDemo: false });
    rows = parse(fs.readFileSync(sharedData(...TRAIN_500)), { columns: true, bom: true }) as CsvRow[];
    await importFile('srllm', sharedData(...TRAIN_500));
  }, 60_000);
  afterAll(() => core.close());

  it('offers label and dimension as fields (not the one-value, free-text or numeric columns) and aspect as the target', async () => {
    expect(new Set(rows.map((r) => r.biased_text)).size).toBe(rows.length);
    const { fields, defaultStratifyBy } = await core.invoke('datasets.fields', { dataset: 'srllm' });
    const byKey = Object.fromEntries(fields.map((f) => [f.key, f]));
    expect(fields.filter((f) => f.kind === 'extra').map((f) => f.key)).toEqual(['extra.dimension', 'extra.label']);
    const values = (key: string) => Object.fromEntries(byKey[key]!.values.map((v) => [v.value, v.count]));
    expect(values('extra.label')).toEqual(tally(rows, 'label'));
    expect(values('extra.dimension')).toEqual(tally(rows, 'dimension'));
    expect(values('target')).toEqual(tally(rows, 'aspect'));
    expect(byKey.toxicity!.present).toBe(0);
    expect(byKey.annotation!.present).toBe(0);
    expect(defaultStratifyBy).toBe('extra.label');
  });

  it('filters the records by dimension and by label', async () => {
    const ageism = rows.filter((r) => r.dimension === 'ageism');
    expect(ageism.length).toBeGreaterThan(0);
    const out = await core.invoke('datasets.records', {
      dataset: 'srllm',
      filter: { extra: { dimension: ['ageism'] } },
      limit: 500,
    });
    expect(out.total).toBe(ageism.length);
    expect(new Set(out.rows.map((r) => r.text))).toEqual(new Set(ageism.map((r) => r.biased_text)));
    const both = await core.invoke('datasets.records', {
      dataset: 'srllm',
      filter: { extra: { dimension: ['ageism'], label: ['Highly Biased'] } },
    });
    expect(both.total).toBe(ageism.filter((r) => r.label === 'Highly Biased').length);
  });

  it('charts label and dimension (and the target) in Statistics; the absent labels have only "(missing)"', async () => {
    const s = await core.invoke('datasets.stats', { dataset: 'srllm' });
    const byKey = Object.fromEntries(s.fields.map((f) => [f.key, f]));
    expect(Object.keys(byKey)).toEqual(['target', 'extra.dimension', 'extra.label']);
    expect(byKey['extra.label']!.counts).toEqual(tally(rows, 'label'));
    expect(byKey['extra.dimension']!.counts).toEqual(tally(rows, 'dimension'));
    const missingAspect = rows.filter((r) => r.aspect!.trim() === '').length;
    expect(byKey.target!.counts['(missing)'] ?? 0).toBe(missingAspect);
    expect(s.labels.toxicity).toEqual({ No: 0, Mild: 0, High: 0, '(missing)': rows.length });
  });

  it("splits by the authors' label by default, each grade in the 70/10/20 ratios, and says so", async () => {
    const out = await core.invoke('datasets.split', { dataset: 'srllm', seed: 7 });
    expect(out.stratifiedBy).toMatchObject({ key: 'extra.label', label: 'label' });
    expect(out.stratifiedBy.defaultReason).toMatch(/no record has an annotation/);
    // What is stored, grade by grade (read back from the records, not from the result).
    const stored = core.db
      .prepare<[], { grade: string; split: string; n: number }>(
        `SELECT extra ->> '$.label' AS grade, split, COUNT(*) AS n FROM records GROUP BY grade, split`,
      )
      .all();
    for (const [grade, size] of Object.entries(tally(rows, 'label'))) {
      const [train, dev, test] = allocate(size, [0.7, 0.1, 0.2]);
      const got = Object.fromEntries(stored.filter((r) => r.grade === grade).map((r) => [r.split, r.n]));
      expect(got).toEqual({ train, dev, test });
      expect(out.byStratum[grade]).toEqual({ train, dev, test });
    }
  });

  it('gives the same split for the same seed, data and field whatever order the rows were imported in', async () => {
    const shuffledFile = path.join(home, 'shuffled.csv');
    const reversed = [...rows].reverse();
    fs.writeFileSync(shuffledFile, toCsv(Object.keys(rows[0]!), reversed));
    await importFile('srllm-reversed', shuffledFile);
    for (const stratifyBy of [undefined, 'dimension']) {
      const a = await core.invoke('datasets.split', { dataset: 'srllm', seed: 11, stratifyBy });
      const b = await core.invoke('datasets.split', { dataset: 'srllm-reversed', seed: 11, stratifyBy });
      expect(b.byStratum).toEqual(a.byStratum);
      expect(splitsByText('srllm-reversed')).toEqual(splitsByText('srllm'));
    }
  });

  it('stratifies by dimension or by the target when asked, and by nothing with "none"', async () => {
    const dim = await core.invoke('datasets.split', { dataset: 'srllm', seed: 3, stratifyBy: 'dimension' });
    expect(dim.stratifiedBy).toEqual({ key: 'extra.dimension', label: 'dimension', defaultReason: null });
    expect(Object.keys(dim.byStratum).sort()).toEqual(Object.keys(tally(rows, 'dimension')).sort());
    for (const [value, c] of Object.entries(dim.byStratum)) {
      const [train, dev, test] = allocate(tally(rows, 'dimension')[value]!, [0.7, 0.1, 0.2]);
      expect(c).toEqual({ train, dev, test });
    }
    const target = await core.invoke('datasets.split', { dataset: 'srllm', seed: 3, stratifyBy: 'target' });
    expect(target.stratifiedBy.key).toBe('target');
    expect(target.byStratum['(missing)']).toBeDefined();
    const none = await core.invoke('datasets.split', { dataset: 'srllm', seed: 3, stratifyBy: 'none' });
    expect(Object.keys(none.byStratum)).toEqual(['(all records)']);
    expect(none.counts).toEqual({ train: 304, dev: 43, test: 87 });
  });

  it('refuses a column that is no category, naming the fields, and writes nothing', async () => {
    await core.invoke('datasets.split', { dataset: 'srllm', seed: 5 });
    const before = splitsByText('srllm');
    for (const [key, why] of [
      ['text_length', /not a category \(\d+ distinct values/],
      ['no_such_column', /no record has a "no_such_column" column/],
    ] as const) {
      const err = await core.invoke('datasets.split', { dataset: 'srllm', seed: 6, stratifyBy: key }).then(
        () => null,
        (e: unknown) => e as { kind: string; message: string },
      );
      expect(err?.kind).toBe('invalid-input');
      expect(err?.message).toMatch(why);
      expect(err?.message).toContain('the fields are: annotation, bias, toxicity, sentiment, harm, target');
      expect(err?.message).toContain('extra.dimension, extra.label, none');
    }
    expect(splitsByText('srllm')).toEqual(before);
  });

  it('splits and lists fields on a worker thread exactly as on this one, errors keeping their kind', async () => {
    const job = { dbFile: core.paths.db, dataset: findDataset(core.db, 'srllm') };
    const off = await runOffThread({ op: 'split', ...job, seed: 9, ratios: [70, 10, 20], stratifyBy: 'dimension' });
    const on = assignSplits(core.db, job.dataset, 9, [70, 10, 20], { stratifyBy: 'dimension' });
    expect(off).toEqual(on);
    expect(await runOffThread({ op: 'fields', ...job })).toEqual(
      await core.invoke('datasets.fields', { dataset: 'srllm' }),
    );
    await expect(
      runOffThread({ op: 'split', ...job, seed: 9, ratios: [70, 10, 20], stratifyBy: 'comments' }),
    ).rejects.toMatchObject({ kind: 'invalid-input', message: expect.stringMatching(/comments/) });
  });
});
