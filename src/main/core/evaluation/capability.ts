// The evaluation capability: generators × test sets × scorers as one resumable job, the item
// scores stored, and the paper's tables recomputed from them (see index.ts and runner.ts).
import { evaluation as evaluationGroup } from '../../../shared/contracts/evaluation';
import { LikelihoodRunInput } from '../../../shared/contracts/likelihood';
import { defineCapability, type CapabilityContext } from '../capability';
import type { LikelihoodService } from '../likelihood';
import type { LlmService } from '../llm';
import type { RunService } from '../runs';
import type { ScorersService } from '../scorers';
import { createScoreCache, textHash } from '../scorers/cache';
import type { TestsetService } from '../testsets';
import { createEvaluationService, type LikelihoodDoor, type LikelihoodSnapshot, type ScoringDoor } from '.';
import { EVALUATION_MIGRATIONS } from './schema';

type Needs = {
  llm: LlmService;
  runs: RunService;
  testsets: TestsetService;
  scorers: ScorersService;
  likelihood: LikelihoodService;
};

function snapshot(r: Awaited<ReturnType<LikelihoodService['run']>>): LikelihoodSnapshot {
  return {
    id: r.id,
    kind: r.kind,
    model: r.model,
    modelSha256: r.modelSha256,
    adapterSha256: r.adapterSha256,
    testset: r.testset,
    n: r.metrics.n,
    metrics: r.metrics as unknown as Record<string, unknown>,
  };
}

export const capability = defineCapability({
  name: 'evaluation',
  contracts: { evaluation: evaluationGroup },
  migrations: EVALUATION_MIGRATIONS,
  create({ db, jobs, events, now, services }: CapabilityContext<Needs>) {
    const { llm, runs, testsets, scorers, likelihood } = services;
    const cache = createScoreCache(db);
    const scoring: ScoringDoor = {
      create: (spec) => scorers.create(spec),
      scoreCached: async (scorer, texts, opts) => (await scorers.scoreCached(scorer, texts, opts)).results,
      cachedCount: (scorer, texts) => {
        const hashes = texts.map(textHash);
        const found = cache.get(scorer.info.id, scorer.info.version, [...new Set(hashes)]);
        return hashes.filter((h) => found.has(h)).length;
      },
    };
    const likelihoodDoor: LikelihoodDoor = {
      async latest(q) {
        const r = await likelihood.latest({
          kind: q.kind,
          model: q.target.model,
          adapter: q.target.adapter,
          adapterRun: q.target.adapterRun,
          adapterScale: q.target.adapterScale,
          testset: q.testset,
          limit: q.limit ?? null,
        });
        return r ? snapshot(r) : null;
      },
      async run(q, opts) {
        const input = LikelihoodRunInput.parse({
          model: q.target.model,
          adapterScale: q.target.adapterScale,
          ...(q.target.adapter ? { adapter: q.target.adapter } : {}),
          ...(q.target.adapterRun !== undefined ? { adapterRun: q.target.adapterRun } : {}),
          testset: q.testset,
          ...(q.limit ? { limit: q.limit } : {}),
        });
        return snapshot(await likelihood.run(q.kind, input, opts));
      },
    };
    const evaluation = createEvaluationService({
      db,
      jobs,
      events,
      now,
      runs,
      llm,
      testsets,
      scoring,
      likelihood: likelihoodDoor,
    });
    return {
      service: evaluation,
      handlers: {
        'evaluation.plan': async (input) => ({ plan: await evaluation.plan(input.config) }),
        'evaluation.start': (input) => {
          const unfinished = input.fresh ? null : evaluation.findUnfinished(input.config);
          const { evaluation: ev, job } = unfinished
            ? evaluation.resume(unfinished.id)
            : evaluation.start(input.config);
          return { evaluation: ev, job };
        },
        'evaluation.resume': (input) => {
          const { evaluation: ev, job } = evaluation.resume(input.id);
          return { evaluation: ev, job };
        },
        'evaluation.cancel': (input) => ({ evaluation: evaluation.cancel(input.id) }),
        'evaluation.list': (input) => ({ evaluations: evaluation.list(input.limit) }),
        'evaluation.get': (input) => ({ evaluation: evaluation.get(input.evaluation) }),
        'evaluation.tables': (input) => evaluation.tables(input.evaluation, input.reference),
        'evaluation.export': (input) =>
          evaluation.export(input.evaluation, input.format, input.reference, input.tables),
        'evaluation.items': (input) => evaluation.items(input),
        'evaluation.compare': (input) => ({ rows: evaluation.compare(input) }),
        'evaluation.remove': (input) => ({ removed: evaluation.remove(input.id) }),
      },
    };
  },
});
