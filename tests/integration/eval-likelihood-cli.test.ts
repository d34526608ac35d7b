// `srlab eval stereoset` and `srlab eval crows-pairs` as a user runs them on the tiny model, over
// real StereoSet / CrowS-Pairs items imported with `srlab testsets import`: the printed metrics
// equal the metric functions applied to `srlab loglik` numbers for the same sentences, the human
// output shows the same numbers, and bad input exits 2 with a message that says what is wrong.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { crowsScores } from '../../src/shared/metrics/crows';
import { stereosetScores } from '../../src/shared/metrics/stereoset';
import { hasSharedData, sharedData, tempDir } from '../helpers';
import { tinyModelFiles } from '../unit/llm/tiny-model';
import { assertBuilt, srlab } from './cli-helpers';

beforeAll(assertBuilt);

const HAVE =
  hasSharedData('stereoset', 'stereoset_dev.jsonl') && hasSharedData('crows-pairs', 'crows_pairs_anonymized.csv');

const home = tempDir();
const run = (args: string[]) => srlab(args, { home });

/** `srlab loglik` over these sentences, one sequence, in this order: the direct computation. */
function loglik(sentences: string[]): { total: number; mean: number }[] {
  const file = path.join(home, `sentences-${Math.random().toString(36).slice(2)}.txt`);
  fs.writeFileSync(file, sentences.join('\n') + '\n');
  const r = run(['loglik', '--model', 'tiny', '--file', file, '--parallel', '1', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json.results;
}

describe.runIf(HAVE)('srlab eval stereoset | crows-pairs', () => {
  beforeAll(() => {
    process.env.SRLAB_THREADS = '1';
    expect(run(['models', 'add', tinyModelFiles().model, '--name', 'tiny']).code).toBe(0);
  });

  it('stereoset: LMS / SS / ICAT per domain from whole-sentence mean log-probs, as srlab loglik gives them', () => {
    const lines = fs
      .readFileSync(sharedData('stereoset', 'stereoset_dev.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"intrasentence"'))
      .slice(0, 15);
    const file = path.join(home, 'stereoset-15.jsonl');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    expect(run(['testsets', 'import', file, '--kind', 'stereoset', '--name', 'ss']).code).toBe(0);

    const r = run(['eval', 'stereoset', '--model', 'tiny', '--testset', 'ss', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(r.json).sort()).toEqual(['byDomain', 'icat', 'lms', 'n', 'result', 'ss']);
    expect(r.json.result).toMatchObject({ kind: 'stereoset', model: 'tiny', testset: 'ss', sentences: 45, skipped: 0 });

    const examples = lines.map((l) => JSON.parse(l) as Record<string, string>);
    const scores = loglik(examples.flatMap((e) => [e.stereotype!, e['anti-stereotype']!, e.unrelated!]));
    const expected = stereosetScores(
      examples.map((e, k) => ({
        target: e.target!,
        domain: e.bias_type!,
        stereotype: scores[3 * k]!.mean,
        anti: scores[3 * k + 1]!.mean,
        unrelated: scores[3 * k + 2]!.mean,
      })),
    );
    // Same sentences, same order, one sequence on both sides: the same numbers.
    const { result, ...metrics } = r.json;
    expect(metrics).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(result.id).toBeGreaterThan(0);

    const human = run(['eval', 'stereoset', '--model', 'tiny', '--testset', 'ss']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^domain\s+n\s+LMS\s+SS\s+ICAT$/m);
    expect(human.stdout).toMatch(
      new RegExp(`^overall\\s+15\\s+${expected.lms.toFixed(2)}\\s+${expected.ss.toFixed(2)}\\s`, 'm'),
    );
    expect(human.stdout).toMatch(/^result \d+: tiny on ss, 45 sentences/m);
  });

  it('crows-pairs: % stereotype and likelihood difference from summed log-likelihoods, --limit N', () => {
    expect(
      run(['testsets', 'import', sharedData('crows-pairs'), '--kind', 'crows-pairs', '--name', 'crows']).code,
    ).toBe(0);
    const r = run(['eval', 'crows-pairs', '--model', 'tiny', '--testset', 'crows', '--limit', '9', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.result).toMatchObject({ kind: 'crows-pairs', limit: 9, sentences: 18, skipped: 1207 - 9 });

    const pairs = crowsRows(9);
    const scores = loglik(pairs.flatMap((p) => [p.sentMore, p.sentLess]));
    const expected = crowsScores(
      pairs.map((p, k) => ({ biasType: p.biasType, llMore: scores[2 * k]!.total, llLess: scores[2 * k + 1]!.total })),
    );
    const { result: _result, ...metrics } = r.json;
    expect(metrics).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('refuses bad input with exit 2: a test set of another kind, a limit below 1, an unknown model', () => {
    const wrongKind = run(['eval', 'stereoset', '--model', 'tiny', '--testset', 'crows']);
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.stderr).toContain('test set "crows" is a crows-pairs test set; this metric needs a stereoset one');
    const zero = run(['eval', 'crows-pairs', '--model', 'tiny', '--testset', 'crows', '--limit', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/invalid input for likelihood\.crowsPairs: limit/);
    const noModel = run(['eval', 'crows-pairs', '--model', 'nope', '--testset', 'crows']);
    expect(noModel.code).toBe(2);
  });
});

/** The first n pairs of the CrowS-Pairs file, read here independently of srlab's importer. */
function crowsRows(n: number): { sentMore: string; sentLess: string; biasType: string }[] {
  const rows = parse(fs.readFileSync(sharedData('crows-pairs', 'crows_pairs_anonymized.csv')), {
    columns: true,
    to: n,
  }) as Record<string, string>[];
  return rows.map((r) => ({ sentMore: r.sent_more!, sentLess: r.sent_less!, biasType: r.bias_type! }));
}
