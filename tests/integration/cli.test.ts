import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSignificant } from '../../src/shared/format';
import { hasSharedData, sharedData, tempDir } from '../helpers';
import { assertBuilt, srlab } from './cli-helpers';

const TRAIN_500 = ['srllm', 'train_500.csv'] as const;

beforeAll(assertBuilt);

describe('srlab on a new data home', () => {
  it('starts with the demo dataset loaded and split', () => {
    const home = tempDir();
    const r = srlab(['datasets', '--json'], { home });
    expect(r.code).toBe(0);
    const demo = r.json.datasets.find((d: { name: string }) => d.name === 'cmd-demo');
    expect(demo.records).toBeGreaterThanOrEqual(200);
    expect(demo.splits.train + demo.splits.dev + demo.splits.test).toBe(demo.records);
  });

  it('keeps a removed demo removed on the next run', () => {
    const home = tempDir();
    const removed = srlab(['remove', 'cmd-demo', '--json'], { home });
    expect(removed.code).toBe(0);
    expect(removed.json.records).toBeGreaterThanOrEqual(200);
    expect(srlab(['datasets', '--json'], { home }).json.datasets).toEqual([]);
  });

  it('answers usage errors with exit code 2', () => {
    const home = tempDir();
    expect(srlab([], { home }).code).toBe(2);
    expect(srlab(['import'], { home }).code).toBe(2);
    expect(srlab(['split', 'cmd-demo', '--ratios', '70,x,20'], { home }).code).toBe(2);
    expect(srlab(['stats', 'no-such-dataset'], { home }).code).toBe(2);
  });
});

describe.skipIf(!hasSharedData(...TRAIN_500))("srlab import of the authors' released CSV", () => {
  it('imports 434 records, then adds no duplicates on a second import', () => {
    const home = tempDir();
    const first = srlab(['import', sharedData(...TRAIN_500), '--dataset', 'srllm', '--json'], { home });
    expect(first.code, first.stderr).toBe(0);
    expect(first.json).toMatchObject({
      dataset: 'srllm',
      format: 'srllm-csv',
      imported: 434,
      rejected: 0,
      rejectsFile: null,
      errors: [],
    });

    const again = srlab(['import', sharedData(...TRAIN_500), '--dataset', 'srllm', '--json'], { home });
    expect(again.json).toMatchObject({ imported: 0, duplicates: 434, rejected: 0 });
    const list = srlab(['datasets', '--json'], { home }).json.datasets;
    expect(list.find((d: { name: string }) => d.name === 'srllm').records).toBe(434);
  });

  it('reports stats, splits reproducibly and exports Llama-2 chat lines', () => {
    const home = tempDir();
    srlab(['import', sharedData(...TRAIN_500), '--dataset', 'srllm', '--json'], { home });

    const stats = srlab(['stats', 'srllm', '--json'], { home });
    expect(stats.code).toBe(0);
    expect(stats.json.records).toBe(434);
    expect(stats.json.labels.bias).toMatchObject({ Yes: 434, No: 0 });
    expect(stats.json.labels.toxicity).toMatchObject({ '(missing)': 434, No: 0, Mild: 0, High: 0 });
    expect(stats.json.length.chars.count).toBe(434);
    expect(stats.json.benignChange.count).toBe(434);
    expect(Object.keys(stats.json)).toEqual(expect.arrayContaining(['labels', 'length', 'flesch', 'benignChange']));

    const a = srlab(['split', 'srllm', '--seed', '7', '--ratios', '70,10,20', '--json'], { home });
    expect(a.code).toBe(0);
    expect(a.json.counts.train + a.json.counts.dev + a.json.counts.test).toBe(434);
    const out = tempDir();
    srlab(['export', 'srllm', '--split', 'all', '--format', 'csv', '--out', path.join(out, 'a.csv')], { home });
    srlab(['split', 'srllm', '--seed', '8', '--json'], { home });
    const b = srlab(['split', 'srllm', '--seed', '7', '--ratios', '70,10,20', '--json'], { home });
    expect(b.json).toEqual(a.json);
    srlab(['export', 'srllm', '--split', 'all', '--format', 'csv', '--out', path.join(out, 'b.csv')], { home });
    expect(fs.readFileSync(path.join(out, 'b.csv'), 'utf8')).toBe(fs.readFileSync(path.join(out, 'a.csv'), 'utf8'));

    const file = path.join(out, 'train.jsonl');
    const exp = srlab(['export', 'srllm', '--split', 'train', '--format', 'llama2-chat', '--out', file, '--json'], {
      home,
    });
    expect(exp.code).toBe(0);
    expect(exp.json.records).toBe(a.json.counts.train);
    const lines = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).text as string);
    expect(lines).toHaveLength(a.json.counts.train);
    for (const line of lines)
      expect(line).toMatch(/^<s>\[INST\] <<SYS>>\n[\s\S]+\n<<\/SYS>>\n\n[\s\S]+ \[\/INST\] [\s\S]+ <\/s>$/);
  });
});

describe('srlab datasets list', () => {
  it('lists the datasets as `srlab datasets` does, with and without --json', () => {
    const home = tempDir();
    const list = srlab(['datasets', 'list'], { home });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toBe(srlab(['datasets'], { home }).stdout);
    expect(list.stdout).toMatch(/^dataset\s+records\s+train\s+dev\s+test\s+unsplit\ncmd-demo\s+\d+/);
    const json = srlab(['datasets', 'list', '--json'], { home });
    expect(json.code).toBe(0);
    expect(json.json).toEqual(srlab(['datasets', '--json'], { home }).json);
    expect(srlab(['datasets', 'lst'], { home }).code).toBe(2);
  });
});

describe.skipIf(!hasSharedData(...TRAIN_500))("srlab on the authors' CSV's own fields", () => {
  const home = tempDir();
  beforeAll(() => {
    const r = srlab(['import', sharedData(...TRAIN_500), '--dataset', 'srllm', '--json'], { home });
    expect(r.code, r.stderr).toBe(0);
  });

  it('prints statistics with honest precision: every number as computed, to 4 significant digits', () => {
    const json = srlab(['stats', 'srllm', '--json'], { home }).json;
    const text = srlab(['stats', 'srllm'], { home });
    expect(text.code).toBe(0);
    const row = (name: string, after: string) => {
      const section = text.stdout.slice(text.stdout.indexOf(after));
      return section
        .split('\n')
        .find((l) => l.startsWith(`${name} `))!
        .trim()
        .split(/\s+/)
        .slice(1);
    };
    const cells = (d: Record<string, number | null>) =>
      ['count', 'mean', 'std', 'min', 'p25', 'p50', 'p75', 'max'].map((k) => formatSignificant(d[k]!, 4));
    expect(row('change', 'Benign change')).toEqual(cells(json.benignChange));
    expect(row('chars', 'Text length')).toEqual(cells(json.length.chars));
    expect(row('words', 'Text length')).toEqual(cells(json.length.words));
    // The old output padded a one-decimal rounding with zeros (0.915 as "0.900").
    for (const c of row('change', 'Benign change')) expect(c).not.toMatch(/\.\d*0$/);
    expect(text.stdout).toContain('toxicity: not in this dataset');
    expect(text.stdout).toContain('label (column): Slightly Biased 312, Highly Biased 122');
    expect(text.stdout).toMatch(/dimension \(column\): toxicity 341, ageism 82/);
  });

  it("lists the fields, and splits by the authors' label by default, saying so", () => {
    const fields = srlab(['datasets', 'fields', 'srllm'], { home });
    expect(fields.code, fields.stderr).toBe(0);
    expect(fields.stdout).toMatch(
      /^extra\.label\s+label \(column\): 434 records: Slightly Biased 312, Highly Biased 122$/m,
    );
    expect(fields.stdout).toMatch(/^toxicity\s+Toxicity: not in this dataset$/m);
    expect(fields.stdout).toContain('srlab split stratifies by extra.label unless told');

    const split = srlab(['split', 'srllm', '--seed', '7'], { home });
    expect(split.code, split.stderr).toBe(0);
    expect(split.stdout).toMatch(/^stratified by label \(extra\.label\): the default: no record has an annotation/m);
    expect(split.stdout).toMatch(/^ {2}Highly Biased: train \d+, dev \d+, test \d+$/m);
  });

  it('splits by a chosen field with --stratify-by, and refuses one that is no field, naming the fields', () => {
    const r = srlab(['split', 'srllm', '--seed', '7', '--stratify-by', 'dimension', '--json'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.stratifiedBy).toEqual({ key: 'extra.dimension', label: 'dimension', defaultReason: null });
    expect(Object.keys(r.json.byStratum).sort()).toEqual([
      'ageism',
      'hate speech',
      'news',
      'prejudice-political',
      'toxicity',
    ]);
    const bad = srlab(['split', 'srllm', '--stratify-by', 'dimensoin'], { home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cannot stratify by "extra.dimensoin"');
    expect(bad.stderr).toContain('extra.dimension, extra.label, none');
  });
});

describe('srlab import of bad input', () => {
  const flat = (o: Record<string, unknown>) =>
    JSON.stringify({
      'Original Sentence': 'Some text here.',
      BIAS: 'No',
      TOXICITY: 'No',
      SENTIMENT: 'Neutral',
      HARM: 'Low',
      Annotation: 'Benign',
      ...o,
    });

  it('imports the valid rows, rejects the rest byte-for-byte and exits 2', () => {
    const home = tempDir();
    const dir = tempDir();
    const file = path.join(dir, 'mixed.jsonl');
    // An outside label value (Toxicity "Yes") is kept now (issue 9); an empty text still rejects the row.
    const bad = flat({ 'Original Sentence': '   ', TOXICITY: 'Yes' });
    fs.writeFileSync(file, [flat({}), bad, flat({ 'Original Sentence': 'Another fine one.' })].join('\n') + '\n');
    const r = srlab(['import', file, '--dataset', 'mixed', '--json'], { home });
    expect(r.code).toBe(2);
    expect(r.json).toMatchObject({ imported: 2, rejected: 1 });
    expect(r.json.errors).toEqual([expect.objectContaining({ line: 2, field: 'Original Sentence' })]);
    expect(fs.readFileSync(r.json.rejectsFile, 'utf8')).toContain(bad);
  });

  it('with --strict imports nothing when a row fails', () => {
    const home = tempDir();
    const file = path.join(tempDir(), 'strict.jsonl');
    fs.writeFileSync(file, [flat({}), flat({ 'Original Sentence': 7 })].join('\n'));
    const r = srlab(['import', file, '--dataset', 'strict', '--strict', '--json'], { home });
    expect(r.code).toBe(2);
    expect(r.json.error.kind).toBe('invalid-input');
    const names = srlab(['datasets', '--json'], { home }).json.datasets.map((d: { name: string }) => d.name);
    expect(names).not.toContain('strict');
  });

  it('names a missing file and leaves the database unchanged', () => {
    const home = tempDir();
    const before = srlab(['datasets', '--json'], { home }).json;
    const r = srlab(['import', '/nonexistent/cmd.csv', '--dataset', 'x'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/nonexistent/cmd.csv');
    expect(srlab(['datasets', '--json'], { home }).json).toEqual(before);
  });
});
