// `srlab stats` / `srlab split` on a large dataset: progress on stderr, one JSON line with --json.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { writeRecords } from '../large-dataset';
import { assertBuilt, srlab } from './cli-helpers';

const N = 25_000;

describe('srlab stats and split of a large dataset', () => {
  const home = tempDir();
  beforeAll(() => {
    assertBuilt();
    const file = path.join(home, 'big.jsonl');
    writeRecords(file, N);
    const r = srlab(['import', file, '--dataset', 'big', '--json'], { home });
    expect(r.code).toBe(0);
    expect(r.json.imported).toBe(N);
  }, 60_000);

  it('prints statistics progress on stderr and the statistics as one JSON line', () => {
    const r = srlab(['stats', 'big', '--json'], { home });
    expect(r.code).toBe(0);
    expect(r.json.records).toBe(N);
    expect(r.stderr).toMatch(new RegExp(`Statistics of big\\s+100\\.0%\\s+${N} records / ${N} records`));
  });

  it('prints split progress on stderr and the split as one JSON line', () => {
    const r = srlab(['split', 'big', '--seed', '3', '--json'], { home });
    expect(r.code).toBe(0);
    expect(r.json.counts.train + r.json.counts.dev + r.json.counts.test).toBe(N);
    expect(r.stderr).toMatch(new RegExp(`Split big \\(seed 3\\)\\s+100\\.0%\\s+${N} records / ${N} records`));
  });

  it('stratifies by a chosen field on the worker thread, and refuses a column that is not there as bad input', () => {
    const r = srlab(['split', 'big', '--seed', '3', '--stratify-by', 'sentiment', '--json'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.stratifiedBy).toEqual({ key: 'sentiment', label: 'Sentiment', defaultReason: null });
    expect(Object.keys(r.json.byStratum)).toEqual(['Negative', 'Neutral', 'Positive']);
    const bad = srlab(['split', 'big', '--stratify-by', 'extra.nothing'], { home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cannot stratify by "extra.nothing": no record has a "nothing" column');
  });

  it('prints the split for people without --json, progress still on stderr', () => {
    const r = srlab(['split', 'big', '--seed', '4'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^big: train \d+, dev \d+, test \d+ \(seed 4\)\nstratified by Annotation \(annotation\): the default: records have an annotation\n/,
    );
    expect(r.stdout).not.toMatch(/%/);
    expect(r.stderr).toMatch(/Split big \(seed 4\)/);
  });
});
