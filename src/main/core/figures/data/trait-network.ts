// A style-trait network's data from an evaluation: the stored per-item style probabilities
// (evaluation_scores.probs of a style scorer) of one or two rows — by default the inputs
// ("initial") before and the first generator's outputs after, as the paper's Figure 3 compares.
// Read-only: it reads what the evaluation stored and computes nothing the evaluation keeps.
import { ApiError } from '../../../../shared/contract';
import { INITIAL_LABEL } from '../../../../shared/contracts/evaluation';
import { networkData, type TraitNetworkData } from '../../../../shared/figures/kinds/trait-network';
import { TraitNetworkOptions } from '../../../../shared/figures/layout/trait-network';
import type { FigureSpec } from '../../../../shared/figures/spec';
import type { FigureDataDeps } from '../deps';

export async function traitNetworkData(spec: FigureSpec, deps: FigureDataDeps): Promise<TraitNetworkData> {
  if (spec.source.kind !== 'evaluation')
    throw new ApiError('invalid-input', 'spec.source: a trait network is drawn from an evaluation or inline input');
  const id = spec.source.evaluation;
  const parsed = TraitNetworkOptions.safeParse(spec.options);
  if (!parsed.success) throw new ApiError('invalid-input', `spec.options: ${parsed.error.issues[0]!.message}`);
  const o = parsed.data;
  const data = deps.evaluation.loadData(id);
  const styles = data.scorers.filter((s) => s.measure === 'style');
  if (styles.length === 0)
    throw new ApiError(
      'invalid-input',
      `evaluation ${id} has no style-trait scorer: a trait network needs one (a scorer of kind "style")`,
    );
  const scorer = o.scorer === undefined ? styles[0]! : styles.find((s) => s.id === o.scorer);
  if (!scorer)
    throw new ApiError(
      'invalid-input',
      `spec.options.scorer: evaluation ${id} has no style scorer "${o.scorer}" (it has ${styles.map((s) => s.id).join(', ')})`,
      [{ path: 'spec.options.scorer', message: `one of ${styles.map((s) => s.id).join(', ')}` }],
    );
  const rows =
    o.rows ??
    (data.rows.includes(INITIAL_LABEL) && data.generators.length > 0
      ? [INITIAL_LABEL, data.generators[0]!]
      : data.rows.slice(0, 1));
  for (const r of rows)
    if (!data.rows.includes(r))
      throw new ApiError(
        'invalid-input',
        `spec.options.rows: evaluation ${id} has no row "${r}" (it has ${data.rows.join(', ')})`,
        [{ path: 'spec.options.rows', message: `rows of evaluation ${id}: ${data.rows.join(', ')}` }],
      );
  if (o.testset !== undefined && !data.testsets.some((t) => t.key === o.testset))
    throw new ApiError(
      'invalid-input',
      `spec.options.testset: evaluation ${id} has no test set "${o.testset}" (it has ${data.testsets.map((t) => t.key).join(', ')})`,
      [{ path: 'spec.options.testset', message: 'a test set key of the evaluation' }],
    );
  const panels = rows.map((row) => ({
    label: row,
    texts: data.scores
      .filter(
        (s) =>
          s.scorer === scorer.id &&
          s.generator === row &&
          (o.testset === undefined || s.testset === o.testset) &&
          s.probs !== null,
      )
      .map((s) => s.probs!),
  }));
  for (const p of panels)
    if (p.texts.length === 0)
      throw new ApiError(
        'invalid-input',
        `evaluation ${id} has no style-trait probabilities for "${p.label}" from scorer ${scorer.id} yet (state: ${data.evaluation.state})`,
      );
  const where =
    o.testset === undefined ? `${data.testsets.length} test set${data.testsets.length === 1 ? '' : 's'}` : o.testset;
  // srlab's trait lists carry no valence: nodes are coloured by options.valence where the user assigned one.
  return networkData(panels, null, `evaluation #${id} "${data.evaluation.name}" (style scorer ${scorer.id}, ${where})`);
}
