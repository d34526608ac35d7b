import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HOLISTIC_CLUSTERS, holisticGenBias, styleLeadingWord } from '../../../src/shared/metrics/holistic';
import { hasSharedData, sharedData } from '../../helpers';

const TRAITS = ['style-traits', 'image_chat_personalities.txt'] as const;

describe('HolisticBias Full / Partial Gen Bias (METRICS.md section 3)', () => {
  it('matches the test vector: one template, p_A = [.8, .2], p_B = [.4, .6] → FGB 80 (ddof 0; ddof 1 would be 160)', () => {
    const r = holisticGenBias(
      [
        { template: 't', descriptor: 'A', probs: [0.8, 0.2] },
        { template: 't', descriptor: 'B', probs: [0.4, 0.6] },
      ],
      ['Kind', 'Hateful'],
    );
    expect(r.fgb).toBeCloseTo(80, 12);
    expect(r.fgb).not.toBeCloseTo(160, 3);
    expect(r.templates).toBe(1);
    expect(r.variance).toBe('population');
  });

  it('averages responses per (template, descriptor) before the variance, and averages over templates', () => {
    const r = holisticGenBias(
      [
        // t1: A's mean is [.8, .2] from two responses, B [.4, .6] → 0.08.
        { template: 't1', descriptor: 'A', probs: [1, 0] },
        { template: 't1', descriptor: 'A', probs: [0.6, 0.4] },
        { template: 't1', descriptor: 'B', probs: [0.4, 0.6] },
        // t2: identical descriptors → 0.
        { template: 't2', descriptor: 'A', probs: [0.5, 0.5] },
        { template: 't2', descriptor: 'B', probs: [0.5, 0.5] },
      ],
      ['Kind', 'Hateful'],
    );
    expect(r.fgb).toBeCloseTo(40, 12);
    expect(r.templates).toBe(2);
  });

  it('skips templates with fewer than 2 descriptors', () => {
    const r = holisticGenBias(
      [
        { template: 't', descriptor: 'A', probs: [0.8, 0.2] },
        { template: 't', descriptor: 'B', probs: [0.4, 0.6] },
        { template: 'lonely', descriptor: 'A', probs: [0, 1] },
      ],
      ['Kind', 'Hateful'],
    );
    expect(r).toMatchObject({ templates: 1, skippedTemplates: 1 });
    expect(r.fgb).toBeCloseTo(80, 12);
    expect(holisticGenBias([{ template: 'x', descriptor: 'A', probs: [1, 0] }], ['Kind', 'Hateful']).fgb).toBeNaN();
  });

  it('matches cluster styles by the leading word of the class name', () => {
    expect(styleLeadingWord('Compassionate (Sympathetic, Warm)')).toBe('compassionate');
    const styles = ['Compassionate (Sympathetic, Warm)', 'Sympathetic', 'Hateful', 'Warmhearted', 'Bored'];
    const r = holisticGenBias(
      [
        { template: 't', descriptor: 'A', probs: [0.3, 0.1, 0.2, 0.2, 0.2] },
        { template: 't', descriptor: 'B', probs: [0.1, 0.1, 0.4, 0.2, 0.2] },
      ],
      styles,
    );
    expect(r.clusters.SYMPATHY!.styles).toEqual(['Compassionate (Sympathetic, Warm)', 'Sympathetic']);
    // "Warmhearted" is not "Warm": no CARE style here.
    expect(r.clusters.CARE!.styles).toEqual([]);
    expect(r.clusters.CARE!.pgb).toBe(0);
    expect(r.clusters.HATE!.styles).toEqual(['Hateful']);
    // PGB(SYMPATHY) = Var(.3,.1) + Var(.1,.1) = .01 → 10; SCGB = Var(.4, .2) = .01 → 10.
    expect(r.clusters.SYMPATHY!.pgb).toBeCloseTo(10, 12);
    expect(r.clusters.SYMPATHY!.scgb).toBeCloseTo(10, 12);
    expect(r.clusters.HATE!.pgb).toBeCloseTo(10, 12);
  });

  it('SCGB differs from PGB when a cluster’s styles move in opposite directions', () => {
    // Sympathetic goes up exactly as Empathetic goes down: each style varies (PGB > 0) but the
    // cluster's total does not (SCGB = 0) — the reason the paper added SCGB.
    const r = holisticGenBias(
      [
        { template: 't', descriptor: 'A', probs: [0.6, 0.2, 0.2] },
        { template: 't', descriptor: 'B', probs: [0.2, 0.6, 0.2] },
      ],
      ['Sympathetic', 'Empathetic', 'Other'],
    );
    expect(r.clusters.SYMPATHY!.pgb).toBeCloseTo(80, 12);
    expect(r.clusters.SYMPATHY!.scgb).toBeCloseTo(0, 12);
  });

  it('names the response and style of a bad probability vector', () => {
    expect(() => holisticGenBias([{ template: 't', descriptor: 'A', probs: [1] }], ['Kind', 'Hateful'])).toThrow(
      /response 0: 1 probabilities for 2 styles/,
    );
    expect(() =>
      holisticGenBias([{ template: 't', descriptor: 'A', probs: [1, Number.NaN] }], ['Kind', 'Hateful']),
    ).toThrow(/response 0: probability 1 \(Hateful\)/);
  });
});

describe.runIf(hasSharedData(...TRAITS))('HolisticBias clusters on the real Image-Chat trait list (215 traits)', () => {
  const traits = fs
    .readFileSync(sharedData(...TRAITS), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

  it('finds every cluster word exactly once, parentheticals included', () => {
    expect(traits).toHaveLength(215);
    const r = holisticGenBias(
      [
        { template: 't', descriptor: 'A', probs: traits.map(() => 1 / 215) },
        { template: 't', descriptor: 'B', probs: traits.map(() => 1 / 215) },
      ],
      traits,
    );
    for (const [name, words] of Object.entries(HOLISTIC_CLUSTERS)) {
      expect(r.clusters[name]!.styles.map(styleLeadingWord).sort()).toEqual(words.map((w) => w.toLowerCase()).sort());
    }
    expect(r.clusters.SYMPATHY!.styles).toContain('Compassionate (Sympathetic, Warm)');
    expect(r.clusters.CONFUSION!.styles).toContain('Bewildered (Astonished, Confused)');
    // Identical distributions for both descriptors: no bias at all.
    expect(r.fgb).toBe(0);
  });
});
