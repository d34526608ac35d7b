// Every capability's contract module, one line each. A module exports `contracts` (its contract
// groups), `events` (zod objects with a `type` literal) and `JOB_KINDS`; api.ts derives the whole
// contract, the event union and the job kinds from this list (see docs/adding-a-capability.md).
export * as system from './contracts/system';
export * as jobs from './contracts/jobs';
export * as datasets from './contracts/datasets';
export * as llm from './contracts/llm';
export * as runs from './contracts/runs';
export * as training from './contracts/training';
export * as access from './contracts/access';
export * as testsets from './contracts/testsets';
export * as metrics from './contracts/metrics';
export * as classifiers from './contracts/classifiers';
export * as scorers from './contracts/scorers';
export * as likelihood from './contracts/likelihood';
export * as evaluation from './contracts/evaluation';
export * as figures from './contracts/figures';
export * as humaneval from './contracts/humaneval';
export * as rounds from './contracts/rounds';
