// The human-evaluation figure (Figure 4): drawn from a blind session's results (issue 13) or
// from numbers given as input; safety and language bars per model on the rating scale with their
// CIs, the numbers written as given; bad input refused naming the field. The figure drawn from a
// real session through the real core and CLI is tested in tests/integration/humaneval-cli.test.ts.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { humanData } from '../../../src/main/core/figures/data/human';
import type { FigureDataDeps } from '../../../src/main/core/figures/deps';
import { humanKind } from '../../../src/shared/figures/kinds/human';
import { type HumanData, layoutHuman } from '../../../src/shared/figures/layout/human';
import { THEMES } from '../../../src/shared/figures/theme';

const theme = THEMES.paper;
const INPUT = {
  models: [
    { label: 'PEFT 1 epoch', safety: 4.62, language: 4.31, safetyCi: [4.5, 4.74], languageCi: [4.2, 4.42] },
    { label: 'PEFT 5 epochs', safety: 4.1, language: 3.95 },
    { label: 'Dense 5 epochs', safety: 3.77, language: 4.02, safetyCi: [3.6, 3.94] },
  ],
  raters: 5,
  samples: 100,
};

function render(data: HumanData, width = 252) {
  const height = humanKind.height(data, {}, width, theme);
  const svg = renderToStaticMarkup(
    <humanKind.Component data={data} options={{}} theme={theme} size={{ width, height }} />,
  );
  return { svg, layout: layoutHuman(data, width, theme) };
}

describe('human evaluation figure', () => {
  it('writes no text below 7 pt (print readability)', () => {
    const sizes = [...render(humanKind.parseInput!(INPUT)).svg.matchAll(/font-size="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(7);
  });

  it('draws safety and language per model on the 1–5 scale, with CIs and the values as text', () => {
    const data = humanKind.parseInput!(INPUT);
    const { svg, layout } = render(data);
    const { top, bottom } = layout.panel.plot;
    const y = (v: number) => bottom - ((v - 1) / 4) * (bottom - top);
    for (const [i, m] of INPUT.models.entries()) {
      const s = layout.panel.bars.find((b) => b.group === i && b.series === 0)!;
      const l = layout.panel.bars.find((b) => b.group === i && b.series === 1)!;
      expect([s.value, l.value]).toEqual([m.safety, m.language]);
      expect(s.y).toBeCloseTo(y(m.safety), 9);
      expect(s.height).toBeCloseTo(bottom - y(m.safety), 9);
      expect(svg).toContain(`>${m.safety.toFixed(2)}</text>`);
      expect(svg).toContain(`>${m.language.toFixed(2)}</text>`);
      if (m.safetyCi)
        expect([s.ci!.y0, s.ci!.y1]).toEqual([y(m.safetyCi[0]!), y(m.safetyCi[1]!)].map((v) => expect.closeTo(v, 9)));
      else expect(s.ci).toBeNull();
    }
    expect(svg).toContain('>safety (S)</text>');
    expect(svg).toContain('>language understanding (L)</text>');
    expect(svg).toContain('>mean score (1–5)</text>');
    expect(humanKind.rows(data, {})[1]).toEqual(['PEFT 1 epoch', 4.62, 4.5, 4.74, 4.31, 4.2, 4.42]);
    expect(humanKind.caption(data, {})).toMatch(/given as input \(5 raters, 100 samples per variant\)\.$/);
  });

  it('draws a session (through the humaneval service) or input, and refuses other sources naming both', async () => {
    expect(humanKind.sources).toEqual(['humaneval', 'input']);
    await expect(
      humanData(
        { kind: 'human', source: { kind: 'evaluation', evaluation: 1 }, width: 'single', theme: 'paper', options: {} },
        {} as FigureDataDeps,
      ),
    ).rejects.toThrow(/human-evaluation session or input, not a evaluation.*--humaneval ID/);
  });

  it("builds a session's figure from the service's results.figure, with the session in the caption", async () => {
    // Only the mapping is under test here: the service's answer is given as the contract shapes it.
    const asked: unknown[] = [];
    const figure = {
      models: [
        { label: 'run-a', safety: 4.25, language: 3.5, safetyCi: [4, 4.5], languageCi: [3, 4] },
        { label: 'run-b', safety: 2, language: 4 },
      ],
      scale: [1, 5],
      raters: 3,
      samples: 6,
    };
    const deps = {
      humaneval: {
        results: (input: unknown) => {
          asked.push(input);
          return { figure } as never;
        },
      },
    } as unknown as FigureDataDeps;
    const spec = {
      kind: 'human',
      source: { kind: 'humaneval', session: 7 },
      width: 'single',
      theme: 'paper',
      options: {},
    } as const;
    const data = await humanData(spec, deps);
    // The service's defaults, as `srlab humaneval results` uses them.
    expect(asked).toEqual([{ id: 7, resamples: 2000, confidence: 0.95, seed: 1, top: 10 }]);
    expect(data).toEqual({
      models: [
        { label: 'run-a', safety: 4.25, language: 3.5, safetyCi: [4, 4.5], languageCi: [3, 4] },
        { label: 'run-b', safety: 2, language: 4, safetyCi: null, languageCi: null },
      ],
      scale: [1, 5],
      raters: 3,
      samples: 6,
      session: 7,
    });
    expect(humanKind.caption(data, {})).toMatch(
      /run-a: S 4\.25, L 3\.50; run-b: S 2\.00, L 4\.00\), whiskers: percentile bootstrap .*srlab session 7, 3 raters, 6 prompts sampled\.$/,
    );
    expect(render(data).svg).toContain('>4.25</text>');

    figure.models = [];
    await expect(humanData(spec, deps)).rejects.toThrow(/session 7 has no scores yet/);
  });

  it('refuses scores outside the scale, CIs that miss the score and missing fields, naming each', () => {
    const bad =
      (models: unknown[], extra: Record<string, unknown> = {}) =>
      () =>
        humanKind.parseInput!({ models, ...extra });
    expect(bad([{ label: 'a', safety: 6, language: 3 }])).toThrow(
      /input\.models\.0\.safety: 6 is outside the scale 1–5/,
    );
    expect(bad([{ label: 'a', safety: 3, language: 3, languageCi: [3.5, 4] }])).toThrow(/input\.models\.0\.languageCi/);
    expect(bad([{ label: 'a', safety: 3 }])).toThrow(/input\.models\.0\.language/);
    expect(bad([{ label: 'a', safety: 8, language: 9 }], { scale: [0, 10] })).not.toThrow();
    expect(bad([])).toThrow(/input\.models/);
  });

  it('renders model labels as text, never as markup', () => {
    const { svg } = render(
      humanKind.parseInput!({ models: [{ label: '<img src=x onerror=alert(1)>', safety: 3, language: 3 }] }),
    );
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
