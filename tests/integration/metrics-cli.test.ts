// `srlab metrics ttest|fleiss|krippendorff|stereoset --input FILE.json` as a user runs them: the
// --json answers carry issue 11's shapes and METRICS.md's test-vector numbers; bad input exits 2
// naming the file, the line and the field.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleissKappa } from '../../src/shared/metrics/agreement';
// METRICS.md section 6's test vectors.
import { KRIPPENDORFF_2011 as KRIPPENDORFF, WIKIPEDIA_FLEISS as WIKI_FLEISS } from '../fixtures/agreement-examples';
import { tempDir } from '../helpers';
import { assertBuilt, srlab } from './cli-helpers';

beforeAll(assertBuilt);

let home: string;
let dir: string;
beforeAll(() => {
  home = tempDir();
  dir = tempDir();
});

/** Write `content` (an object, or raw text) to a file and run `srlab metrics CMD --input it`. */
function metrics(cmd: string, content: unknown, json = true, name = `${cmd}.json`) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return { file, ...srlab(['metrics', cmd, '--input', file, ...(json ? ['--json'] : [])], { home }) };
}

describe('srlab metrics ttest', () => {
  it('x = 1..10 against μ 5: the issue’s shape and METRICS.md’s t 0.522233, p 0.614117', () => {
    const r = metrics('ttest', { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], mu: 5, alpha: 0.05 });
    expect(r.code, r.stderr).toBe(0);
    for (const k of ['t', 'df', 'p_two_sided', 'p_greater', 'p_less', 't_crit_two_sided_05', 'mean', 'ci'])
      expect(r.json).toHaveProperty(k);
    expect(r.json.df).toBe(9);
    expect(r.json.mean).toBe(5.5);
    expect(r.json.t).toBeCloseTo(0.522233, 6);
    expect(r.json.p_two_sided).toBeCloseTo(0.614117, 6);
    expect(r.json.t_crit_two_sided_05.toFixed(4)).toBe('2.2622');
    // CI: x̄ ± t_crit·s/√n with s = 3.0276503541.
    const half = (2.262157162798205 * 3.0276503540974917) / Math.sqrt(10);
    expect(r.json.ci[0]).toBeCloseTo(5.5 - half, 10);
    expect(r.json.ci[1]).toBeCloseTo(5.5 + half, 10);
  });

  it.each([
    { n: 10, mean: 5.5, sd: 1.2, mu: 5, t: 1.317616, p: 0.220185, side: 'p_greater', one: 0.110093 },
    { n: 25, mean: 3.8, sd: 0.9, mu: 3.5, t: 1.666667, p: 0.10858, side: 'p_greater', one: 0.05429 },
    { n: 5, mean: 2, sd: 1.5, mu: 3, t: -1.490712, p: 0.210295, side: 'p_less', one: 0.105148 },
  ])('summary n $n, x̄ $mean, s $sd, μ $mu → t $t, p $p', ({ n, mean, sd, mu, t, p, side, one }) => {
    const r = metrics('ttest', { summary: { n, mean, sd }, mu });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.t).toBeCloseTo(t, 6);
    expect(r.json.p_two_sided).toBeCloseTo(p, 6);
    expect(r.json[side]).toBeCloseTo(one, 6);
  });

  it.each([
    { df: 4, two05: '2.7764', two01: '4.6041', one05: '2.1318', one01: '3.7469' },
    { df: 9, two05: '2.2622', two01: '3.2498', one05: '1.8331', one01: '2.8214' },
    { df: 29, two05: '2.0452', two01: '2.7564', one05: '1.6991', one01: '2.4620' },
  ])('critical values at ν $df (METRICS.md section 5)', ({ df, two05, two01, one05, one01 }) => {
    const at = (alpha: number) => metrics('ttest', { summary: { n: df + 1, mean: 1, sd: 1 }, alpha }).json;
    const [a05, a01] = [at(0.05), at(0.01)];
    expect(a05.t_crit_two_sided_05.toFixed(4)).toBe(two05);
    expect(a05.t_crit_one_sided.toFixed(4)).toBe(one05);
    expect(a01.t_crit_two_sided_05.toFixed(4)).toBe(two01);
    expect(a01.t_crit_one_sided.toFixed(4)).toBe(one01);
  });

  it('keeps the paper’s far tail (t 28.17, ν 16,601) as a tiny positive p, and prints it', () => {
    const n = 16602;
    const r = metrics('ttest', { summary: { n, mean: 28.17 / Math.sqrt(n), sd: 1 } });
    expect(r.json.df).toBe(16601);
    expect(r.json.p_two_sided).toBeGreaterThan(1.369e-170);
    expect(r.json.p_two_sided).toBeLessThan(1.3696e-170);
    const human = metrics('ttest', { summary: { n, mean: 28.17 / Math.sqrt(n), sd: 1 } }, false);
    expect(human.stdout).toMatch(/p two-sided 1\.369e-170/);
  });

  it('s = 0 gives an undefined t (null) with p 0, not a crash', () => {
    const r = metrics('ttest', { values: [2, 2, 2], mu: 1 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ t: null, p_two_sided: 0, p_greater: 0, p_less: 1 });
  });
});

describe('srlab metrics fleiss / krippendorff / stereoset', () => {
  it('Fleiss: the Wikipedia 10×14 example gives κ 0.20993, P̄ 0.37802, Pe 0.21276', () => {
    const r = metrics('fleiss', { matrix: WIKI_FLEISS });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.kappa).toBeCloseTo(0.20993, 5);
    expect(r.json.pBar).toBeCloseTo(0.37802, 5);
    expect(r.json.pe).toBeCloseTo(0.21276, 5);
    expect(r.json.perCategory).toHaveLength(5);
    expect(r.json.perCategory[0].p).toBeCloseTo(20 / 140, 12);
  });

  it('Fleiss per category equals Fleiss’ κ of that category against the rest', () => {
    const r = metrics('fleiss', { matrix: WIKI_FLEISS });
    r.json.perCategory.forEach((c: { category: number; kappa: number }) => {
      const collapsed = WIKI_FLEISS.map((row) => [row[c.category]!, 14 - row[c.category]!]);
      expect(c.kappa).toBeCloseTo(fleissKappa(collapsed).kappa, 12);
    });
  });

  it.each([
    { level: 'nominal', alpha: 0.7434 },
    { level: 'ordinal', alpha: 0.8154 },
    { level: 'interval', alpha: 0.8491 },
  ])('Krippendorff (2011) 4×12 example, $level: α $alpha', ({ level, alpha }) => {
    const r = metrics('krippendorff', { ratings: KRIPPENDORFF, level });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.alpha.toFixed(4)).toBe(alpha.toFixed(4));
    expect(r.json).toMatchObject({ level, raters: 4, units: 12, pairableUnits: 11 });
  });

  it('Krippendorff defaults to ordinal, the level METRICS.md asks for the 1–5 scale', () => {
    expect(metrics('krippendorff', { ratings: KRIPPENDORFF }).json.alpha.toFixed(4)).toBe('0.8154');
  });

  it('StereoSet: METRICS.md’s vector gives LMS 37.5, SS 75, ICAT 18.75; the table prints', () => {
    const items = [
      { target: 'T1', domain: 'gender', stereotype: 0.5, anti: 0.4, unrelated: 0.1 },
      { target: 'T1', domain: 'gender', stereotype: 0.2, anti: 0.3, unrelated: 0.25 },
      { target: 'T2', domain: 'race', stereotype: 0.3, anti: 0.1, unrelated: 0.5 },
    ];
    const r = metrics('stereoset', { items });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toEqual({
      n: 3,
      lms: 37.5,
      ss: 75,
      icat: 18.75,
      byDomain: { gender: { n: 2, lms: 75, ss: 50, icat: 75 }, race: { n: 1, lms: 0, ss: 100, icat: 0 } },
    });
    expect(metrics('stereoset', { items }, false).stdout).toMatch(
      /overall\s+n\s+3\s+LMS 37\.50\s+SS 75\.00\s+ICAT 18\.75/,
    );
  });
});

describe('srlab metrics: stdin', () => {
  it('--input=- reads the JSON from stdin, and refusals name it "stdin"', () => {
    const ok = srlab(['metrics', 'krippendorff', '--input=-', '--json'], {
      home,
      input: JSON.stringify({ ratings: KRIPPENDORFF, level: 'ordinal' }),
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json.alpha.toFixed(4)).toBe('0.8154');
    const bad = srlab(['metrics', 'ttest', '--input=-'], { home, input: '{"values": [1]}' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('srlab: stdin: line 1: values: a t-test needs at least 2 values');
  });
});

describe('srlab metrics: bad input', () => {
  it('a field the contract refuses: exit 2, the contract’s message, and the file line of the field', () => {
    const r = metrics('stereoset', {
      items: [
        { target: 'T1', stereotype: 0.5, anti: 0.4, unrelated: 0.1 },
        { target: 'T1', stereotype: 'high', anti: 0.3, unrelated: 0.25 },
      ],
    });
    expect(r.code).toBe(2);
    expect(r.json.error.kind).toBe('invalid-input');
    expect(r.json.error.issues).toEqual([expect.objectContaining({ path: 'items.1.stereotype' })]);
    // JSON.stringify(…, null, 2) puts items[1].stereotype on line 11.
    expect(r.stderr).toContain(`${r.file}: line 11: items.1.stereotype:`);
  });

  it('a missing field is placed at its object’s line', () => {
    const r = metrics(
      'stereoset',
      { items: [{ target: 'T1', stereotype: 0.5, unrelated: 0.1 }] },
      true,
      'missing.json',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${r.file}: line 3: items.0.anti:`);
  });

  it('a file that is not JSON names the file and line', () => {
    const r = metrics('ttest', '{\n  "values": [1, 2,\n  3,, 4]\n}', false, 'broken.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${r.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line 3 not valid JSON`));
  });

  it('a missing file exits 2 saying so', () => {
    const r = srlab(['metrics', 'fleiss', '--input', path.join(dir, 'nope.json')], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*nope\.json/);
  });

  it('a ragged Fleiss matrix names the item; ragged Krippendorff ratings name the rater', () => {
    const f = metrics('fleiss', {
      matrix: [
        [1, 2],
        [2, 1],
        [2, 1, 0],
      ],
    });
    expect(f.code).toBe(2);
    expect(f.json.error.issues).toEqual([
      { path: 'matrix.2', message: expect.stringMatching(/3 categories, expected 2/) },
    ]);
    expect(f.stderr).toContain(`${f.file}: line `);
    const k = metrics('krippendorff', {
      ratings: [
        [1, 2, 3],
        [1, 2],
      ],
    });
    expect(k.code).toBe(2);
    expect(k.json.error.issues).toEqual([{ path: 'ratings.1', message: '2 ratings, expected 3' }]);
  });

  it('a t-test with both values and summary, or fewer than 2 values, is refused', () => {
    expect(metrics('ttest', { values: [1, 2], summary: { n: 2, mean: 1, sd: 1 } }).code).toBe(2);
    const one = metrics('ttest', { values: [1] });
    expect(one.code).toBe(2);
    expect(one.json.error.issues[0].path).toBe('values');
  });
});
