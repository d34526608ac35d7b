// The scorers service: builds any scorer from a spec (registry.ts), scores through the score
// cache (cache.ts), and trains, lists and removes the embedded classifiers (embedded-*.ts).
// Evaluation uses `create` + `scoreCached`; the CLI and the Playground use `score`.
import type { ParsedInput } from '../../../shared/api';
import { ApiError } from '../../../shared/contract';
import {
  EMBEDDED_TARGETS,
  type EmbeddedClassifier,
  type ScorerKind,
  type ScorerSpec,
} from '../../../shared/contracts/scorers';
import type { EventBus } from '../events';
import type { JobService, StartedJob } from '../jobs';
import { createScoreCache, type CachedScores, type ScoreCachedOptions } from './cache';
import { listEmbedded, removeEmbedded, saveEmbedded, trainingSets } from './embedded-store';
import { modelVersion, trainEmbedded } from './embedded-train';
import { createScorer, scorerKinds, type ScorerDeps } from './registry';
import type { Scorer, ScorerInfo } from './types';

export type { ScorerDeps } from './registry';
export type { CachedScores, ScoreCachedOptions } from './cache';

export interface ScorersService {
  /** What scorer factories get (for a caller that builds a scorer itself). */
  deps: ScorerDeps;
  /** A scorer for a spec; the caller closes it (`scorer.close?.()`) when done. */
  create(spec: ScorerSpec): Promise<Scorer>;
  /** Score through the cache: results in order, only texts never scored by this scorer version are scored. */
  scoreCached(scorer: Scorer, texts: readonly string[], opts?: ScoreCachedOptions): Promise<CachedScores>;
  /** create + scoreCached + close. */
  score(
    spec: ScorerSpec,
    texts: readonly string[],
    opts?: ScoreCachedOptions,
  ): Promise<CachedScores & { scorer: ScorerInfo }>;
  /** Train an embedded classifier without a job (the job's body; tests and scripts). */
  trainEmbedded(
    input: ParsedInput<'scorers.trainEmbedded'>,
    hooks?: { signal?: AbortSignal; onIteration?: (iteration: number) => void; log?: (line: string) => void },
  ): Promise<EmbeddedClassifier>;
  startTrainEmbedded(input: ParsedInput<'scorers.trainEmbedded'>): StartedJob<EmbeddedClassifier>;
  listEmbedded(): EmbeddedClassifier[];
  kinds(): { kind: ScorerKind; available: boolean; note: string }[];
  removeEmbedded(name: string): { removed: string };
}

export function createScorersService(
  deps: ScorerDeps & { jobs: JobService; events: EventBus; now: () => Date },
): ScorersService {
  const { jobs, events, now, ...scorerDeps } = deps;
  const { db } = scorerDeps;
  const cache = createScoreCache(db);

  async function train(
    input: ParsedInput<'scorers.trainEmbedded'>,
    hooks: { signal?: AbortSignal; onIteration?: (iteration: number) => void; log?: (line: string) => void } = {},
  ): Promise<EmbeddedClassifier> {
    const started = Date.now();
    const name = input.name ?? `${input.dataset}-${input.label}`;
    const { benignVariations, ...options } = input.options;
    const sets = trainingSets(db, input.dataset, input.label, benignVariations);
    const counts = { train: sets.train.length, dev: sets.dev.length, test: sets.test.length };
    hooks.log?.(
      `${input.dataset}: ${counts.train} train, ${counts.dev} dev, ${counts.test} test examples for ${input.label}` +
        (sets.skipped ? ` (${sets.skipped} records without a split or a usable ${input.label} left out)` : ''),
    );
    let model;
    try {
      model = await trainEmbedded(sets, options, {
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        onIteration: (i) => hooks.onIteration?.(i),
      });
    } catch (err) {
      if (hooks.signal?.aborted) throw new ApiError('cancelled', 'training cancelled');
      if (err instanceof Error && err.message.startsWith('the train split'))
        throw new ApiError(
          'invalid-input',
          `${input.dataset}, ${input.label}: ${err.message}` +
            (input.label !== 'sentiment' && !benignVariations
              ? ' (with benign variations as negatives: --benign-variations)'
              : ''),
        );
      throw err;
    }
    for (const note of model.notes) hooks.log?.(note);
    hooks.log?.(`L-BFGS: ${model.iterations} iterations, objective ${model.loss.toFixed(5)}`);
    const saved = saveEmbedded(db, {
      name,
      dataset: input.dataset,
      label: input.label,
      positive: EMBEDDED_TARGETS[input.label].positive,
      version: modelVersion(model),
      options: input.options,
      counts,
      validation: model.validation,
      durationMs: Date.now() - started,
      createdAt: now().toISOString(),
      model,
    });
    events.emit({ type: 'scorers-changed', classifier: name });
    return saved;
  }

  return {
    deps: scorerDeps,
    create: (spec) => createScorer(spec, scorerDeps),
    scoreCached: (scorer, texts, opts) => cache.scoreCached(scorer, texts, opts),
    async score(spec, texts, opts) {
      const scorer = await createScorer(spec, scorerDeps);
      try {
        return { scorer: scorer.info, ...(await cache.scoreCached(scorer, texts, opts)) };
      } finally {
        await scorer.close?.();
      }
    },
    trainEmbedded: train,
    startTrainEmbedded(input) {
      // Checked before the job starts, so a wrong name is the call's error, not a failed job.
      trainingSets(db, input.dataset, input.label, input.options.benignVariations);
      return jobs.start<EmbeddedClassifier>({
        kind: 'scorer-train',
        title: `Train embedded classifier ${input.name ?? `${input.dataset}-${input.label}`}`,
        params: input,
        unit: 'iterations',
        total: input.options.maxIterations,
        run: (ctx) =>
          train(input, {
            signal: ctx.signal,
            onIteration: (i) => ctx.progress(i),
            log: (line) => ctx.log(line),
          }),
      });
    },
    listEmbedded: () => listEmbedded(db),
    kinds: () => scorerKinds(scorerDeps),
    removeEmbedded(name) {
      removeEmbedded(db, name);
      cache.forget(`embedded:${name}`);
      events.emit({ type: 'scorers-changed', classifier: name });
      return { removed: name };
    },
  };
}
