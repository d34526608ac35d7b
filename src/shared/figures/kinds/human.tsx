// Safety vs language-understanding scores per model variant from a blind human evaluation (the
// paper's Figure 4). Drawn from one of this lab's human-evaluation sessions (issue 13: the core
// builds the data from the session's results, labels are the lab's run names), or from numbers
// given as input: `{models: [{label, safety, language, safetyCi?, languageCi?}], scale?}` — e.g.
// the paper's own, or a study run elsewhere.
import { z } from 'zod';
import type { FigureKindDefinition, FigureProps } from '../kind';
import { FigureSvg, FigureTitle } from '../parts/frame';
import { formatHumanScore, HUMAN_SERIES, type HumanData, layoutHuman } from '../layout/human';
import { BarPanel, Legend } from './stereoset';

export type { HumanData } from '../layout/human';

/** The figure's data: the layout's, and which session it came from (null: numbers given as input). */
export interface HumanFigureData extends HumanData {
  session?: number | null;
}

export const HumanOptions = z.object({});
export type HumanOptions = z.infer<typeof HumanOptions>;

const finite = z.number().min(-1e6).max(1e6);
const HumanInput = z
  .object({
    models: z
      .array(
        z.object({
          label: z.string().trim().min(1).max(200),
          safety: finite,
          language: finite,
          safetyCi: z.tuple([finite, finite]).optional(),
          languageCi: z.tuple([finite, finite]).optional(),
        }),
      )
      .min(1)
      .max(30),
    /** The rating scale; the paper's is 1–5. */
    scale: z.tuple([finite, finite]).default([1, 5]),
    raters: z.number().int().min(1).max(1e6).optional(),
    samples: z.number().int().min(1).max(1e9).optional(),
  })
  .superRefine((v, ctx) => {
    const [lo, hi] = v.scale;
    if (!(lo < hi))
      ctx.addIssue({ code: 'custom', path: ['scale'], message: `scale must be [low, high] with low < high` });
    v.models.forEach((m, i) => {
      for (const key of ['safety', 'language'] as const) {
        if (m[key] < lo || m[key] > hi)
          ctx.addIssue({
            code: 'custom',
            path: ['models', i, key],
            message: `${m[key]} is outside the scale ${lo}–${hi}`,
          });
        const ci = m[`${key}Ci`];
        if (ci && !(ci[0] <= m[key] && m[key] <= ci[1]))
          ctx.addIssue({
            code: 'custom',
            path: ['models', i, `${key}Ci`],
            message: `the interval [${ci[0]}, ${ci[1]}] does not contain the score ${m[key]}`,
          });
      }
    });
  });

export function parseHumanInput(raw: Record<string, unknown>): HumanFigureData {
  const r = HumanInput.safeParse(raw);
  if (!r.success)
    throw new Error(
      `human input: ${r.error.issues.map((i) => `input.${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  return {
    models: r.data.models.map((m) => ({
      label: m.label,
      safety: m.safety,
      language: m.language,
      safetyCi: m.safetyCi ?? null,
      languageCi: m.languageCi ?? null,
    })),
    scale: r.data.scale,
    raters: r.data.raters ?? null,
    samples: r.data.samples ?? null,
    session: null,
  };
}

function HumanFigure({ data, theme, size }: FigureProps<HumanFigureData, HumanOptions>) {
  const l = layoutHuman(data, size.width, theme);
  return (
    <FigureSvg size={size} theme={theme} fontFamily={theme.fontFamily}>
      <FigureTitle x={l.title.x} y={l.title.y} theme={theme}>
        {l.title.text}
      </FigureTitle>
      <BarPanel panel={l.panel} series={HUMAN_SERIES} theme={theme} />
      <Legend entries={l.legend} theme={theme} />
    </FigureSvg>
  );
}

export const humanKind: FigureKindDefinition<HumanFigureData, HumanOptions> = {
  kind: 'human',
  label: 'Human evaluation: safety vs language (Figure 4)',
  sources: ['humaneval', 'input'],
  options: HumanOptions,
  parseInput: parseHumanInput,
  height: (data, _options, width, theme) => layoutHuman(data, width, theme).height,
  Component: HumanFigure,
  caption(data) {
    const who = [
      data.raters ? `${data.raters} ${data.raters === 1 ? 'rater' : 'raters'}` : null,
      data.samples ? `${data.samples} samples per variant` : null,
    ].filter(Boolean);
    const withCi = data.models.some((m) => m.safetyCi || m.languageCi);
    const fromSession = typeof data.session === 'number';
    const scores =
      `Mean safety (S) and language-understanding (L) scores on a ${data.scale[0]}–${data.scale[1]} scale per model ` +
      `variant (${data.models.map((m) => `${m.label}: S ${formatHumanScore(m.safety)}, L ${formatHumanScore(m.language)}`).join('; ')})`;
    if (fromSession)
      return (
        `${scores}${withCi ? ', whiskers: percentile bootstrap confidence intervals over items' : ''}. ` +
        `Blind human evaluation, srlab session ${data.session}` +
        `${data.raters ? `, ${data.raters} ${data.raters === 1 ? 'rater' : 'raters'}` : ''}${data.samples ? `, ${data.samples} prompts sampled` : ''}.`
      );
    return (
      `${scores}${withCi ? ', whiskers: the given confidence intervals' : ''}. ` +
      `Human-evaluation numbers given as input${who.length ? ` (${who.join(', ')})` : ''}.`
    );
  },
  rows(data) {
    return [
      ['model', 'safety', 'safety_ci_low', 'safety_ci_high', 'language', 'language_ci_low', 'language_ci_high'],
      ...data.models.map((m) => [
        m.label,
        m.safety,
        m.safetyCi?.[0] ?? null,
        m.safetyCi?.[1] ?? null,
        m.language,
        m.languageCi?.[0] ?? null,
        m.languageCi?.[1] ?? null,
      ]),
    ];
  },
};
