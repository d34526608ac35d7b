// Training an embedded classifier from labelled texts: fit on train, calibrate on dev, validate on
// test. Pure over its inputs (no database): the store and the job wrap it (embedded-store.ts,
// index.ts), and the tests call it directly, e.g. with shuffled labels as a negative control.
import { createHash } from 'node:crypto';
import type { EmbeddedTrainOptions, ScorerValidation } from '../../../shared/contracts/scorers';
import { binaryClassificationMetrics } from '../../../shared/metrics/classification';
import { calibrate, fitIsotonic, fitPlatt, type Calibration } from './calibration';
import { FEATURES_VERSION, Featuriser, featuriseAll } from './features';
import { fitLogreg } from './logreg';

export interface Example {
  text: string;
  positive: boolean;
}

export interface TrainingSets {
  train: Example[];
  dev: Example[];
  test: Example[];
}

/** A trained model: everything scoring needs, and what it was measured at. */
export interface EmbeddedModel {
  buckets: number;
  charNgrams: boolean;
  weights: Float32Array;
  bias: number;
  calibration: Calibration;
  /** Test-split metrics after calibration at threshold 0.5; null without a test split with both classes. */
  validation: (ScorerValidation & { positiveRate: number }) | null;
  /** Why calibration or validation was skipped, for the job log. */
  notes: string[];
  iterations: number;
  loss: number;
}

export interface TrainHooks {
  signal?: AbortSignal;
  /** After each L-BFGS iteration. */
  onIteration?: (iteration: number, loss: number) => void;
}

function bothClasses(xs: readonly Example[]): boolean {
  let pos = false;
  let neg = false;
  for (const x of xs) {
    if (x.positive) pos = true;
    else neg = true;
    if (pos && neg) return true;
  }
  return false;
}

/** Raw logits of texts under (weights, bias). */
export function logits(
  model: Pick<EmbeddedModel, 'buckets' | 'charNgrams' | 'weights' | 'bias'>,
  texts: readonly string[],
): number[] {
  const f = new Featuriser({ buckets: model.buckets, charNgrams: model.charNgrams });
  return texts.map((t) => {
    const v = f.featurise(t);
    let z = model.bias;
    for (let k = 0; k < v.length; k++) z += model.weights[v.indices[k]!]! * v.values[k]!;
    return z;
  });
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function trainEmbedded(
  sets: TrainingSets,
  options: Omit<EmbeddedTrainOptions, 'benignVariations'>,
  hooks: TrainHooks = {},
): Promise<EmbeddedModel> {
  if (!bothClasses(sets.train)) {
    const only =
      sets.train.length === 0 ? 'no examples' : `only ${sets.train[0]!.positive ? 'positive' : 'negative'} examples`;
    throw new Error(`the train split has ${only}: a classifier needs both classes`);
  }
  const settings = { buckets: options.buckets, charNgrams: options.charNgrams };
  const x = featuriseAll(
    sets.train.map((e) => e.text),
    settings,
  );
  const fitted = await fitLogreg(
    x,
    sets.train.map((e) => e.positive),
    options.buckets,
    { l2: options.l2, maxIterations: options.maxIterations, tolerance: options.tolerance },
    async (iteration, loss) => {
      hooks.onIteration?.(iteration, loss);
      // Let progress events and a cancel through between iterations.
      await yieldToLoop();
      if (hooks.signal?.aborted) throw hooks.signal.reason ?? new Error('cancelled');
    },
  );
  const notes: string[] = [];
  const model = { ...settings, weights: fitted.weights, bias: fitted.bias };

  let calibration: Calibration = { method: 'none' };
  if (options.calibration !== 'none') {
    if (bothClasses(sets.dev)) {
      const z = logits(
        model,
        sets.dev.map((e) => e.text),
      );
      const labels = sets.dev.map((e) => e.positive);
      calibration = options.calibration === 'platt' ? fitPlatt(z, labels) : fitIsotonic(z, labels);
    } else {
      notes.push(`no calibration: the dev split has ${sets.dev.length === 0 ? 'no examples' : 'one class only'}`);
    }
  }

  let validation: EmbeddedModel['validation'] = null;
  if (sets.test.length > 0) {
    const z = logits(
      model,
      sets.test.map((e) => e.text),
    );
    const probs = z.map((v) => calibrate(calibration, v));
    const labels = sets.test.map((e) => e.positive);
    const m = binaryClassificationMetrics(labels, probs, 0.5);
    validation = {
      accuracy: m.accuracy,
      macroF1: m.macroF1,
      rocAuc: Number.isNaN(m.rocAuc) ? null : m.rocAuc,
      n: m.n,
      positiveRate: m.positives / m.n,
    };
    if (validation.rocAuc === null) notes.push('no ROC-AUC: the test split has one class only');
  } else {
    notes.push('no validation: the test split is empty');
  }
  return { ...model, calibration, validation, notes, iterations: fitted.iterations, loss: fitted.loss };
}

/** A short hash of everything that decides a score: the cache key's version part. */
export function modelVersion(
  model: Pick<EmbeddedModel, 'buckets' | 'charNgrams' | 'weights' | 'bias' | 'calibration'>,
): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify({
      v: FEATURES_VERSION,
      buckets: model.buckets,
      charNgrams: model.charNgrams,
      bias: model.bias,
      calibration: model.calibration,
    }),
  );
  h.update(new Uint8Array(model.weights.buffer, model.weights.byteOffset, model.weights.byteLength));
  return h.digest('hex').slice(0, 16);
}
