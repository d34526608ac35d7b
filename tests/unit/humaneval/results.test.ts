// Results on a tiny set whose numbers are worked out by hand: model means over unit means, their
// bootstrap intervals, Krippendorff's alpha over the [evaluator][unit] matrix (and a control in
// which one evaluator's scores are swapped), spreads, the Figure 4 data, and for A/B pairs the
// win/tie/loss counts and the Bradley–Terry order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { krippendorffAlpha } from '../../../src/shared/metrics/agreement';
import { fails, makeCore, ok, seedRuns, type SeededRun } from './fixtures';

type Table = Record<string, Record<number, number[]>>; // evaluator → slot → score per prompt index

/** Safety scores: model 1 is judged safe (4–5), model 2 unsafe (1–3). */
const S: Table = {
  ann: { 1: [5, 4, 5], 2: [2, 3, 1] },
  bob: { 1: [5, 5, 4], 2: [2, 2, 1] },
  cy: { 1: [4, 4, 5], 2: [3, 2, 2] },
};
/** Language: everyone gives model 1 a 3 and model 2 a 4, except cy's 5 on model 2's first prompt. */
const L: Table = {
  ann: { 1: [3, 3, 3], 2: [4, 4, 4] },
  bob: { 1: [3, 3, 3], 2: [4, 4, 4] },
  cy: { 1: [3, 3, 3], 2: [5, 4, 4] },
};
const EVALUATORS = ['ann', 'bob', 'cy'];

/** The matrix alpha is computed from, in an order of our own (alpha does not depend on unit order). */
const matrix = (t: Table) => EVALUATORS.map((e) => [...t[e]![1]!, ...t[e]![2]!]);

describe('humaneval results', () => {
  let core: Core;
  let runs: SeededRun[];

  beforeAll(async () => {
    core = await makeCore();
    runs = seedRuns(core, { runs: 3, prompts: 4, names: ['secret-run-good', 'secret-run-bad', 'secret-run-meh'] });
  });
  afterAll(() => core.close());

  /** A 2-model, 3-prompt session everyone scores completely from the tables. */
  async function scored(s: Table, l: Table) {
    const { session } = await ok(core, 'humaneval.create', {
      runs: [runs[0]!.id, runs[1]!.id],
      sample: 3,
      evaluators: EVALUATORS,
      perItem: 3,
      seed: 4,
    });
    const items = core.humaneval.items(session.id);
    for (const e of EVALUATORS)
      for (const it of items)
        await ok(core, 'humaneval.answer', {
          as: { session: session.id, evaluator: e },
          key: it.key,
          answer: { s: s[e]![it.slot!]![it.prompt_index], l: l[e]![it.slot!]![it.prompt_index] },
        });
    return session.id as number;
  }

  it('gives model means over unit means with intervals that contain them', async () => {
    const id = await scored(S, L);
    const r = await ok(core, 'humaneval.results', { id, resamples: 500, seed: 3 });
    const [m1, m2] = r.models;
    expect(m1).toMatchObject({ slot: 1, run: runs[0]!.id, label: 'secret-run-good', n: 3, ratings: 9 });
    // Unit means (14/3, 13/3, 14/3) → 41/9; (7/3, 7/3, 4/3) → 2.
    expect(m1.s.mean).toBeCloseTo(41 / 9, 12);
    expect(m2.s.mean).toBeCloseTo(2, 12);
    expect(m1.l.mean).toBe(3);
    expect(m1.l.ci).toEqual([3, 3]);
    expect(m2.l.mean).toBeCloseTo(37 / 9, 12);
    for (const m of [m1, m2])
      for (const c of [m.s, m.l]) {
        expect(c.ci[0]).toBeLessThanOrEqual(c.mean);
        expect(c.ci[1]).toBeGreaterThanOrEqual(c.mean);
      }
    expect(m1.s.ci[0]).toBeGreaterThan(m2.s.ci[1]); // clearly apart
    expect(r.progress).toEqual({ answered: 18, expected: 18, skipped: 0, flagged: 0 });
    expect(r.bootstrap).toEqual({ resamples: 500, confidence: 0.95, seed: 3 });

    // Alpha is Krippendorff's ordinal alpha of the matrix we expect, with its band.
    const aS = krippendorffAlpha(matrix(S), 'ordinal');
    const aL = krippendorffAlpha(matrix(L), 'ordinal');
    expect(r.alpha.s.alpha).toBeCloseTo(aS, 12);
    expect(r.alpha.l.alpha).toBeCloseTo(aL, 12);
    expect(r.alpha.s).toMatchObject({
      band: aS >= 0.8 ? 'reliable' : aS >= 0.667 ? 'tentative' : 'unreliable',
      units: 6,
    });
    expect(r.alpha.s.alpha).toBeGreaterThan(0.7); // 0.799…: tentative

    // Spreads: every (unit, criterion); the most disputed first (range 2: cy's 5 vs 4s is range 1).
    expect(r.items).toHaveLength(12);
    expect(r.disagreements[0].range).toBe(Math.max(...r.items.map((i: { range: number }) => i.range)));
    const cyFive = r.items.find(
      (i: { criterion: string; ratings: number[] }) => i.criterion === 'l' && i.ratings.includes(5),
    );
    expect(cyFive).toMatchObject({ model: 'secret-run-bad', range: 1, mean: 13 / 3 });

    expect(r.figure).toEqual({
      models: [
        { label: 'secret-run-good', safety: m1.s.mean, language: 3, safetyCi: m1.s.ci, languageCi: [3, 3] },
        { label: 'secret-run-bad', safety: 2, language: m2.l.mean, safetyCi: m2.s.ci, languageCi: m2.l.ci },
      ],
      scale: [1, 5],
      raters: 3,
      samples: 3,
    });
    expect(r.pairs).toBeNull();
  });

  it('changes alpha when one evaluator’s scores are swapped between the models (the negative control)', async () => {
    const swapped: Table = { ...S, ann: { 1: S.ann![2]!, 2: S.ann![1]! } };
    const id = await scored(swapped, L);
    const r = await ok(core, 'humaneval.results', { id, resamples: 200 });
    const base = krippendorffAlpha(matrix(S), 'ordinal');
    expect(r.alpha.s.alpha).toBeCloseTo(krippendorffAlpha(matrix(swapped), 'ordinal'), 12);
    expect(r.alpha.s.alpha).toBeLessThan(base - 0.3);
    expect(r.alpha.s.band).toBe('unreliable');
    expect(r.alpha.l.alpha).toBeCloseTo(krippendorffAlpha(matrix(L), 'ordinal'), 12);
  });

  it('leaves skipped answers out and gives null alpha without pairable ratings', async () => {
    const { session } = await ok(core, 'humaneval.create', {
      runs: [runs[0]!.id, runs[1]!.id],
      sample: 2,
      evaluators: ['solo'],
      perItem: 1,
    });
    const items = core.humaneval.items(session.id);
    const as = { session: session.id, evaluator: 'solo' };
    await ok(core, 'humaneval.answer', { as, key: items[0]!.key, answer: { s: 2, l: 2, skipped: true } });
    await ok(core, 'humaneval.answer', { as, key: items[1]!.key, answer: { s: 4, l: 5, flagged: true } });
    const r = await ok(core, 'humaneval.results', { id: session.id, resamples: 100 });
    expect(r.alpha.s).toEqual({ alpha: null, band: null, units: 0 });
    expect(r.progress).toMatchObject({ answered: 1, expected: 4, skipped: 1, flagged: 1 });
    expect(r.items).toHaveLength(2);
    expect(r.disagreements).toEqual([]);
    const rated = r.models.filter((m: { n: number }) => m.n > 0);
    expect(rated).toHaveLength(1);
    expect(rated[0].s.mean).toBe(4);
    // Only models with both means are in the figure.
    expect(r.figure.models).toHaveLength(rated.length);
    expect(r.figure.raters).toBe(1);
    expect((await fails(core, 'humaneval.results', { id: 99999 })).kind).toBe('not-found');
  });

  it('counts A/B wins, ties and losses and ranks the models by Bradley–Terry', async () => {
    const { session } = await ok(core, 'humaneval.create', {
      runs: runs.map((r) => r.id),
      sample: 4,
      evaluators: EVALUATORS,
      perItem: 2,
      pairs: true,
      seed: 8,
    });
    const byKey = new Map(core.humaneval.items(session.id).map((i) => [i.key, i]));
    for (const e of EVALUATORS) {
      const a = await ok(core, 'humaneval.assignment', { as: { session: session.id, evaluator: e } });
      for (const it of a.items as { key: string }[]) {
        const row = byKey.get(it.key)!;
        const [sa, sb] = [row.slot!, row.slot_b!];
        // The lower slot is the better model; models 2 and 3 tie on the first prompt.
        const tie = row.prompt_index === 0 && sa + sb === 5;
        const preference = tie ? 'tie' : sa < sb ? 'a' : 'b';
        await ok(core, 'humaneval.answer', {
          as: { session: session.id, evaluator: e },
          key: it.key,
          answer: { s: 6 - sa, l: 4, sB: 6 - sb, lB: 4, preference },
        });
      }
    }
    const r = await ok(core, 'humaneval.results', { id: session.id, resamples: 300, seed: 2 });
    // Each side scored for its own model: model k's safety is 6 − k whichever side it was on.
    expect(r.models.map((m: { s: { mean: number } }) => m.s.mean)).toEqual([5, 4, 3]);
    expect(r.pairs.comparisons).toBe(24);
    expect(r.pairs.perModel).toEqual([
      { slot: 1, label: 'secret-run-good', wins: 16, ties: 0, losses: 0, winRate: 1, tieRate: 0, lossRate: 0 },
      {
        slot: 2,
        label: 'secret-run-bad',
        wins: 6,
        ties: 2,
        losses: 8,
        winRate: 6 / 16,
        tieRate: 2 / 16,
        lossRate: 8 / 16,
      },
      {
        slot: 3,
        label: 'secret-run-meh',
        wins: 0,
        ties: 2,
        losses: 14,
        winRate: 0,
        tieRate: 2 / 16,
        lossRate: 14 / 16,
      },
    ]);
    const bt = r.pairs.bradleyTerry;
    expect(bt.map((b: { slot: number }) => b.slot)).toEqual([1, 2, 3]);
    expect(bt.map((b: { rank: number }) => b.rank)).toEqual([1, 2, 3]);
    expect(bt[0].strength).toBeGreaterThan(bt[1].strength);
    for (const b of bt) {
      expect(b.ci[0]).toBeLessThanOrEqual(b.strength);
      expect(b.ci[1]).toBeGreaterThanOrEqual(b.strength);
    }
    expect(r.progress).toMatchObject({ answered: 24, expected: 24 });
  });
});
