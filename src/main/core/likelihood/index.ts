// The likelihood service: StereoSet and CrowS-Pairs scored from a local model's sentence
// log-likelihoods (METRICS.md sections 1–2) over an imported test set, run as a job and stored,
// so the evaluation runner can put a model's numbers in Tables 7–8 without scoring again.
import { ApiError } from '../../../shared/contract';
import type {
  LikelihoodItems,
  LikelihoodKind,
  LikelihoodResult,
  LikelihoodRunInput,
} from '../../../shared/contracts/likelihood';
import type { Target } from '../../../shared/contracts/llm';
import { crowsScores } from '../../../shared/metrics/crows';
import { stereosetScores } from '../../../shared/metrics/stereoset';
import type { Db } from '../db';
import type { EventBus } from '../events';
import type { JobService, StartedJob } from '../jobs';
import type { LlmService } from '../llm';
import { sha256File } from '../llm/hash';
import { scoreTexts } from '../llm/loglik';
import type { TestsetService } from '../testsets';
import { createRepository } from './repository';
import { crowsItemScores, planSentences, stereosetItemScores } from './sentences';

export interface LikelihoodRunOptions {
  signal?: AbortSignal;
  /** Sentences scored so far, of `total`. */
  onProgress?: (done: number, total: number) => void;
}

export interface LatestQuery {
  kind: LikelihoodKind;
  model: string;
  adapter?: string | undefined;
  adapterRun?: number | undefined;
  adapterScale?: number | undefined;
  testset: string;
  /** The limit it ran with: undefined/null asks for a run over the whole test set. */
  limit?: number | null | undefined;
}

export interface LikelihoodService {
  /** Start a job (kind likelihood-eval) that runs `run` and answers the stored result. */
  start(kind: LikelihoodKind, input: LikelihoodRunInput): StartedJob<LikelihoodResult>;
  /** Score the test set with the model now, store the result and return it. */
  run(kind: LikelihoodKind, input: LikelihoodRunInput, opts?: LikelihoodRunOptions): Promise<LikelihoodResult>;
  /**
   * The newest stored result for exactly this model file, adapter file (and scale), test set as
   * imported, and limit — or null. A changed model file or a re-imported test set does not match.
   */
  latest(q: LatestQuery): Promise<LikelihoodResult | null>;
  list(f: {
    model?: string | undefined;
    testset?: string | undefined;
    kind?: LikelihoodKind | undefined;
    limit: number;
  }): LikelihoodResult[];
  get(id: number): LikelihoodResult;
  scores(id: number): LikelihoodItems;
  remove(id: number): number;
}

const TITLES: Record<LikelihoodKind, string> = { stereoset: 'StereoSet', 'crows-pairs': 'CrowS-Pairs' };

/**
 * One sequence: several sequences in one context (node-llama-cpp 3.21.1 batching their decodes)
 * gave wrong log-likelihoods now and then — off by up to 40 nats for some sentences, changing from
 * run to run, with or without flash attention or srlab's prefix reuse (bench/loglik.ts prints it
 * as maxAbsDiff.batchedVsPlain). One sequence matches the plain loop exactly and, on the CPU, was
 * also the faster. srlab refuses more until that is understood.
 */
export const LIKELIHOOD_SEQUENCES = 1;

export function createLikelihoodService(deps: {
  db: Db;
  jobs: JobService;
  events: EventBus;
  llm: LlmService;
  testsets: TestsetService;
  now: () => Date;
}): LikelihoodService {
  const repo = createRepository(deps.db);

  function localTarget(
    input: Pick<LatestQuery, 'model' | 'adapter' | 'adapterRun' | 'adapterScale'>,
  ): Extract<Target, { kind: 'local' }> {
    return {
      kind: 'local',
      model: input.model,
      adapterScale: input.adapterScale ?? 1,
      ...(input.adapter ? { adapter: input.adapter } : {}),
      ...(input.adapterRun !== undefined ? { adapterRun: input.adapterRun } : {}),
    };
  }

  function refuseSequences(input: LikelihoodRunInput): void {
    if (input.load.sequences !== undefined && input.load.sequences !== LIKELIHOOD_SEQUENCES)
      throw new ApiError(
        'invalid-input',
        `load.sequences: likelihood metrics score one sequence at a time (several sequences in one context gave wrong log-likelihoods with node-llama-cpp ${deps.llm.runtime.version}; npm run bench:loglik shows it)`,
      );
  }

  /** The test set, refused when it is of another kind than the metric reads. */
  function testsetFor(kind: LikelihoodKind, name: string) {
    const summary = deps.testsets.get(name);
    if (summary.kind !== kind)
      throw new ApiError(
        'invalid-input',
        `test set "${name}" is a ${summary.kind} test set; this metric needs a ${kind} one (srlab testsets import FILE --kind ${kind})`,
      );
    return summary;
  }

  async function run(
    kind: LikelihoodKind,
    input: LikelihoodRunInput,
    opts: LikelihoodRunOptions = {},
  ): Promise<LikelihoodResult> {
    const t0 = performance.now();
    refuseSequences(input);
    const testset = testsetFor(kind, input.testset);
    const plan = planSentences(kind, deps.testsets.allItems(testset.name), input.limit);
    if (plan.items.length === 0)
      throw new ApiError(
        'invalid-input',
        kind === 'stereoset'
          ? `test set "${testset.name}" has no intrasentence examples to score`
          : `test set "${testset.name}" has no pairs to score`,
      );
    const target = localTarget(input);
    const sequences = LIKELIHOOD_SEQUENCES;
    const local = await deps.llm.openLocal(target, { ...input.load, sequences });
    let scored;
    try {
      const total = plan.sentences.length;
      opts.onProgress?.(0, total);
      scored = await scoreTexts(
        local.session.context,
        local.session.model,
        plan.sentences.map((text) => ({ text, prefix: '' })),
        {
          pieces: false,
          groups: plan.groups,
          ...(opts.signal ? { signal: opts.signal } : {}),
          onDone: (done) => opts.onProgress?.(done, total),
        },
      );
    } finally {
      await local.session.dispose();
    }
    const base = {
      model: local.model.name,
      modelSha256: local.model.sha256,
      adapter: input.adapter ?? (input.adapterRun !== undefined ? `run ${input.adapterRun}` : null),
      adapterSha256: local.adapterSha256,
      // Without an adapter the scale means nothing: stored as 1 so lookups match.
      adapterScale: local.adapterSha256 ? input.adapterScale : 1,
      testset: testset.name,
      testsetId: testset.id,
      limit: input.limit ?? null,
      skipped: plan.skipped,
      sentences: plan.sentences.length,
      createdAt: deps.now().toISOString(),
      settings: { load: input.load, sequences },
    };
    let stored: LikelihoodResult;
    if (kind === 'stereoset') {
      const scores = stereosetItemScores(plan, scored);
      stored = repo.insert({
        ...base,
        kind,
        metrics: stereosetScores(scores),
        scores,
        durationMs: performance.now() - t0,
      });
    } else {
      const scores = crowsItemScores(plan, scored);
      stored = repo.insert({ ...base, kind, metrics: crowsScores(scores), scores, durationMs: performance.now() - t0 });
    }
    deps.events.emit({ type: 'likelihood-result', id: stored.id, kind });
    return stored;
  }

  return {
    run,
    start(kind, input) {
      // Refuse bad input before a job exists (the CLI exits 2 at once).
      refuseSequences(input);
      testsetFor(kind, input.testset);
      return deps.jobs.start<LikelihoodResult>({
        kind: 'likelihood-eval',
        title: `${TITLES[kind]} · ${input.model}${input.adapter || input.adapterRun !== undefined ? ' + adapter' : ''} on ${input.testset}`,
        params: { kind, ...input },
        unit: 'sentences',
        run: (ctx) => run(kind, input, { signal: ctx.signal, onProgress: (done, total) => ctx.progress(done, total) }),
      });
    },
    async latest(q) {
      const model = deps.llm.library.get(q.model);
      const testset = testsetFor(q.kind, q.testset);
      const adapterFile = deps.llm.adapterFile(localTarget(q));
      const adapterSha256 = adapterFile ? await sha256File(adapterFile) : null;
      return repo.latest({
        kind: q.kind,
        model: model.name,
        modelSha256: model.sha256,
        adapterSha256,
        adapterScale: adapterSha256 ? (q.adapterScale ?? 1) : 1,
        testset: testset.name,
        testsetId: testset.id,
        limit: q.limit ?? null,
      });
    },
    list: (f) => repo.list(f),
    get: (id) => repo.get(id),
    scores: (id) => repo.scores(id),
    remove: (id) => repo.remove(id),
  };
}
