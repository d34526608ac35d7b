// The human-evaluation figure (the paper's Figure 4) from one of this lab's blind sessions: the
// humaneval service's results carry the figure's input (per-model mean S and L with their
// bootstrap intervals); labels are the lab's run names, which is fine — figures are lab-side and
// never reach an evaluator. Inline input goes through the kind's parseInput instead.
import { ApiError } from '../../../../shared/contract';
import { humaneval } from '../../../../shared/contracts/humaneval';
import type { HumanFigureData } from '../../../../shared/figures/kinds/human';
import type { FigureSpec } from '../../../../shared/figures/spec';
import type { FigureDataDeps } from '../deps';

export async function humanData(spec: FigureSpec, deps: FigureDataDeps): Promise<HumanFigureData> {
  if (spec.source.kind !== 'humaneval')
    throw new ApiError(
      'invalid-input',
      `human draws a human-evaluation session or input, not a ${spec.source.kind}: ` +
        'give {kind: "humaneval", session: ID} (srlab figure --humaneval ID), or the numbers as --input FILE.json',
    );
  const session = spec.source.session;
  // The service's defaults (2000 resamples, 95 %, seed 1): the same numbers `srlab humaneval results` prints.
  if (!deps.humaneval) throw new ApiError('failed', 'figures were built without the humaneval service');
  const { figure } = await deps.humaneval.results(humaneval.results.input.parse({ id: session }));
  if (figure.models.length === 0)
    throw new ApiError(
      'invalid-input',
      `spec.source.session: human-evaluation session ${session} has no scores yet to draw (srlab humaneval status ${session})`,
    );
  return {
    models: figure.models.map((m) => ({
      label: m.label,
      safety: m.safety,
      language: m.language,
      safetyCi: m.safetyCi ?? null,
      languageCi: m.languageCi ?? null,
    })),
    scale: figure.scale,
    raters: figure.raters,
    samples: figure.samples,
    session,
  };
}
