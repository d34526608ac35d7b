// From a ScorerSpec to a Scorer: one factory per kind, each in its own module. Every factory has
// the same shape, `(spec, deps) => Promise<Scorer>`, and gets everything it may need in ScorerDeps —
// so evaluation, the CLI and the Playground build any scorer the same way.
import type { ScorerSpec } from '../../../shared/contracts/scorers';
import type { ClassifiersService } from '../classifiers';
import type { Db } from '../db';
import type { LlmService } from '../llm';
import type { EndpointStore } from '../llm/endpoints';
import type { SecretStore } from '../llm/secrets';
import type { HomePaths } from '../paths';
import type { WorkerService } from '../worker';
import { createEmbeddedScorer } from './embedded';
import { createHfScorer } from './hf';
import { createJudgeScorer } from './judge';
import { createJudgeStyleScorer } from './judge-style';
import { createModerationScorer } from './moderation';
import { createStyleScorer } from './style';
import type { Scorer } from './types';

/** What a scorer factory may use. Built once by the scorers capability (see ScorersService.deps). */
export interface ScorerDeps {
  db: Db;
  paths: HomePaths;
  /** Library models (judges load one by name: llm.library, llm.openLocal, llm.runtime). */
  llm: LlmService;
  /** The Python worker (Hugging Face classifiers: worker.spawn + core/worker/classify.ts). */
  worker: WorkerService;
  /** Named Hugging Face classifiers (registered or trained through `classifiers`). */
  classifiers: ClassifiersService;
  /** Saved endpoints (moderation APIs) — the same store as llm.endpoints. */
  endpoints: EndpointStore;
  /** API keys of saved endpoints (keychain / env) — the same store as llm.secrets. */
  secrets: SecretStore;
}

/** Every spec kind's factory signature. */
export type ScorerFactory<K extends ScorerSpec['kind']> = (
  spec: Extract<ScorerSpec, { kind: K }>,
  deps: ScorerDeps,
) => Promise<Scorer>;

export async function createScorer(spec: ScorerSpec, deps: ScorerDeps): Promise<Scorer> {
  switch (spec.kind) {
    case 'embedded':
      return createEmbeddedScorer(spec, deps);
    case 'hf':
      return createHfScorer(spec, deps);
    case 'style':
      return spec.via === 'hf' ? createStyleScorer(spec, deps) : createJudgeStyleScorer(spec, deps);
    case 'judge':
      return createJudgeScorer(spec, deps);
    case 'moderation':
      return createModerationScorer(spec, deps);
  }
}

/**
 * The scorer kinds and whether this data home can use each now (scorers.list): every kind is
 * built in; hf and style via hf need the worker's Python environment.
 */
export function scorerKinds(
  deps: Pick<ScorerDeps, 'worker'>,
): { kind: ScorerSpec['kind']; available: boolean; note: string }[] {
  const python = deps.worker.python() !== null;
  const worker = python ? '' : ' — needs the worker environment (srlab worker setup)';
  return [
    { kind: 'embedded', available: true, note: 'srlab’s own classifiers (srlab scorers train): in process, no Python' },
    {
      kind: 'hf',
      available: python,
      note: `Hugging Face classifiers through the Python worker (srlab classifiers add/train)${worker}`,
    },
    { kind: 'judge', available: true, note: 'an LLM judge from the model library (Llama Guard 3 format or a rubric)' },
    { kind: 'moderation', available: true, note: 'a moderation API behind a saved endpoint (OpenAI moderation)' },
    {
      kind: 'style',
      available: true,
      note: `style-trait probabilities (via an HF classifier${worker}, or an LLM judge)`,
    },
  ];
}
