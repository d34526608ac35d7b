// The embedded scorer: a stored embedded classifier (embedded-store.ts) scoring texts in process.
// No Python, no network; one featuriser reused for every text (see features.ts for the speed).
import { EMBEDDED_TARGETS, type ScorerSpec } from '../../../shared/contracts/scorers';
import { calibrate } from './calibration';
import { loadEmbedded, type LoadedClassifier } from './embedded-store';
import { Featuriser } from './features';
import type { ScorerDeps } from './registry';
import type { Scorer, ScoreResult } from './types';

/** Texts between checks for cancel and progress reports (and a turn of the event loop). */
const CHUNK = 4096;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export async function createEmbeddedScorer(
  spec: Extract<ScorerSpec, { kind: 'embedded' }>,
  deps: Pick<ScorerDeps, 'db'>,
): Promise<Scorer> {
  return embeddedScorer(loadEmbedded(deps.db, spec.classifier));
}

export function embeddedScorer({ info, model }: LoadedClassifier): Scorer {
  const target = EMBEDDED_TARGETS[info.label];
  const featuriser = new Featuriser({ buckets: model.buckets, charNgrams: model.charNgrams });
  const v = info.validation;
  const description =
    `embedded classifier "${info.name}": logistic regression on hashed word 1–2-grams` +
    `${model.charNgrams ? ' and char 3–5-grams' : ''} (${model.buckets} buckets), trained on ` +
    `${info.dataset} (train ${info.counts.train}) for ${info.label} → P(${target.positive}); ` +
    `calibration ${info.calibration.detail} (dev ${info.counts.dev})` +
    (v
      ? `; test n=${v.n}: accuracy ${pct(v.accuracy)}, macro-F1 ${pct(v.macroF1)}, ROC-AUC ${v.rocAuc === null ? '—' : v.rocAuc.toFixed(3)}`
      : '; not validated (no test split)');

  function scoreOne(text: string): ScoreResult {
    const f = featuriser.featurise(text);
    let z = model.bias;
    for (let k = 0; k < f.length; k++) z += model.weights[f.indices[k]!]! * f.values[k]!;
    const p = calibrate(model.calibration, z);
    return {
      score: p,
      label: p > 0.5 ? target.positive : target.negative,
      probs: { [target.positive]: p, [target.negative]: 1 - p },
      error: null,
    };
  }

  return {
    info: {
      id: `embedded:${info.name}`,
      version: info.version,
      measure: target.measure,
      threshold: 0.5,
      description,
      validation: v ? { accuracy: v.accuracy, macroF1: v.macroF1, rocAuc: v.rocAuc, n: v.n } : null,
    },
    async score(texts, opts = {}) {
      const out: ScoreResult[] = new Array<ScoreResult>(texts.length);
      for (let from = 0; from < texts.length; from += CHUNK) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('cancelled');
        const to = Math.min(texts.length, from + CHUNK);
        for (let i = from; i < to; i++) out[i] = scoreOne(texts[i]!);
        opts.onProgress?.(to);
        if (to < texts.length) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return out;
    },
  };
}
