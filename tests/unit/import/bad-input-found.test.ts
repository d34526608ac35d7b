// Bad input found when srlab was tried (issue 9): a deeply nested JSON record rejects that row
// (with its line) instead of aborting the import, and an import that rejects every row leaves
// no empty dataset behind.
import { describe, expect } from 'vitest';
import { MAX_JSON_DEPTH } from '../../../src/main/core/datasets/import/run';
import { test } from './harness';

const GOOD = (t: string) => JSON.stringify({ 'Original Sentence': t, BIAS: 'No' });
const nestedArrays = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const nestedObjects = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

describe('deeply nested extra fields', () => {
  for (const levels of [5_000, 100_000]) {
    for (const [kind, make] of [
      ['arrays', nestedArrays],
      ['objects', nestedObjects],
    ] as const) {
      test(`${levels} levels of ${kind} reject that row with its line; the other rows import`, async ({ lab }) => {
        const deep = `{"Original Sentence": "deep", "extra": ${make(levels)}}`;
        const file = lab.write('deep.jsonl', [GOOD('first'), deep, GOOD('last')].join('\n'));
        const r = await lab.run(file);
        expect(r).toMatchObject({ imported: 2, rejected: 1 });
        expect(r.errors).toEqual([
          {
            line: 2,
            field: '(record)',
            message: `nested more than ${MAX_JSON_DEPTH} levels deep (arrays/objects inside each other); srlab cannot keep such a record`,
          },
        ]);
        expect(lab.records().map((x) => x.text)).toEqual(['first', 'last']);
      });
    }
  }

  test(`nesting up to ${MAX_JSON_DEPTH} levels is kept as it was`, async ({ lab }) => {
    // The record object itself is level 1.
    const deep = `{"Original Sentence": "deep enough", "extra": ${nestedArrays(MAX_JSON_DEPTH - 1)}}`;
    const r = await lab.run(lab.write('ok.jsonl', deep));
    expect(r).toMatchObject({ imported: 1, rejected: 0 });
    expect(lab.records()[0]!.extra).toBe(`{"extra":${nestedArrays(MAX_JSON_DEPTH - 1)}}`);
  });

  test('a JSON array file with a deep element too', async ({ lab }) => {
    const r = await lab.run(
      lab.write('deep.json', `[\n${GOOD('a')},\n{"Original Sentence": "x", "e": ${nestedObjects(5_000)}}\n]`),
    );
    expect(r).toMatchObject({ imported: 1, rejected: 1 });
    expect(r.errors[0]).toMatchObject({ line: 3, field: '(record)' });
  });
});

describe('an import that rejects every row', () => {
  test('creates no dataset; the rejects file is still written', async ({ lab }) => {
    const before = lab.counts();
    const r = await lab.run(
      lab.write('bad.jsonl', ['{"BIAS": "Yes", "Original Sentence": ""}', '{"Original Sentence": 7}'].join('\n')),
    );
    expect(r).toMatchObject({ imported: 0, rejected: 2, duplicates: 0 });
    expect(r.rejectsFile).not.toBeNull();
    expect(lab.counts()).toEqual(before);
  });

  test('leaves a dataset that existed before as it was', async ({ lab }) => {
    await lab.run(lab.write('good.jsonl', GOOD('kept')));
    const before = lab.counts();
    const r = await lab.run(lab.write('bad.jsonl', '{"Original Sentence": "  "}'));
    expect(r).toMatchObject({ imported: 0, rejected: 1 });
    // The dataset and its record stay; the failed import is recorded like any other.
    expect(lab.counts()).toEqual({ ...before, imports: before.imports + 1 });
    expect(lab.records().map((x) => x.text)).toEqual(['kept']);
  });
});
