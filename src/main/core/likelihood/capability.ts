// The likelihood capability: StereoSet and CrowS-Pairs from sentence log-likelihoods, as jobs
// with stored results (core.likelihood: run, latest — what the evaluation runner reads).
import { contracts } from '../../../shared/contracts/likelihood';
import { defineCapability, type CapabilityContext } from '../capability';
import type { LlmService } from '../llm';
import type { TestsetService } from '../testsets';
import { createLikelihoodService } from '.';
import { MIGRATIONS } from './repository';

export const capability = defineCapability({
  name: 'likelihood',
  contracts,
  migrations: MIGRATIONS,
  create({
    db,
    jobs,
    events,
    now,
    services: { llm, testsets },
  }: CapabilityContext<{ llm: LlmService; testsets: TestsetService }>) {
    const likelihood = createLikelihoodService({ db, jobs, events, llm, testsets, now });
    return {
      service: likelihood,
      handlers: {
        'likelihood.stereoset': (input) => ({ job: likelihood.start('stereoset', input).job }),
        'likelihood.crowsPairs': (input) => ({ job: likelihood.start('crows-pairs', input).job }),
        'likelihood.list': (input) => ({ results: likelihood.list(input) }),
        'likelihood.get': (input) => ({ result: likelihood.get(input.id), scores: likelihood.scores(input.id) }),
        'likelihood.remove': (input) => ({ removed: likelihood.remove(input.id) }),
      },
    };
  },
});
