// The metrics capability through core.call with output checking on: every answer, including
// the undefined results (null in JSON), passes its contract's output schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { tempDir } from '../../helpers';

let core: Core;
beforeAll(async () => {
  core = await createCore({ home: tempDir(), loadDemo: false, checkOutputs: true });
});
afterAll(() => core?.close());

describe('metrics.* through the door', () => {
  it('ttest: s = 0 with x̄ = μ is undefined (null), with x̄ ≠ μ p = 0', async () => {
    const same = await core.invoke('metrics.ttest', { values: [2, 2, 2], mu: 2 });
    expect(same).toMatchObject({ t: null, p_two_sided: null, p_greater: null, p_less: null, ci: [2, 2] });
    const above = await core.invoke('metrics.ttest', { values: [2, 2, 2], mu: 1 });
    expect(above).toMatchObject({ t: null, p_two_sided: 0, p_greater: 0, p_less: 1 });
  });

  it('ttest: the CI is x̄ ± t_crit·se at the given alpha, and narrows as alpha grows', async () => {
    const a = await core.invoke('metrics.ttest', { summary: { n: 10, mean: 5.5, sd: 1.2 }, mu: 5, alpha: 0.01 });
    const b = await core.invoke('metrics.ttest', { summary: { n: 10, mean: 5.5, sd: 1.2 }, mu: 5, alpha: 0.1 });
    expect(a.t_crit_two_sided_05.toFixed(4)).toBe('3.2498');
    expect(a.ci[1] - a.mean).toBeCloseTo(a.t_crit_two_sided_05 * a.se, 12);
    expect(b.ci[1] - b.ci[0]).toBeLessThan(a.ci[1] - a.ci[0]);
  });

  it('fleiss: a category nobody used has no κ of its own (null)', async () => {
    const r = await core.invoke('metrics.fleiss', {
      matrix: [
        [3, 0, 0],
        [1, 2, 0],
        [0, 3, 0],
      ],
    });
    expect(r.perCategory[2]).toEqual({ category: 2, p: 0, kappa: null });
    expect(r.kappa).not.toBeNull();
  });

  it('krippendorff: no variation gives null; a unit rated once is not pairable', async () => {
    const r = await core.invoke('metrics.krippendorff', {
      ratings: [
        [3, 3, null],
        [3, 3, 4],
      ],
      level: 'interval',
    });
    expect(r).toEqual({ alpha: null, level: 'interval', raters: 2, units: 3, pairableUnits: 2 });
  });

  it('stereoset: items without a domain count only overall', async () => {
    const r = await core.invoke('metrics.stereoset', {
      items: [
        { target: 'T', stereotype: -1, anti: -2, unrelated: -3 },
        { target: 'U', domain: 'race', stereotype: -2, anti: -1, unrelated: -3 },
      ],
    });
    expect(r).toEqual({
      n: 2,
      lms: 100,
      ss: 50,
      icat: 100,
      byDomain: { race: { n: 1, lms: 100, ss: 0, icat: 0 } },
    });
  });

  it('refuses numbers outside the contract’s bounds (serve mode’s edge)', async () => {
    const r = await core.call('metrics.ttest', { values: [1, 1e300] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.issues?.[0]?.path).toBe('values.1');
  });
});
