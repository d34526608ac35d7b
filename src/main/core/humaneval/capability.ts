// The humaneval capability: blind human evaluation of generation runs (the paper's section 5.5
// and Figure 4) — sessions, invitation links, the evaluator's own door, results and offline files.
import { contracts } from '../../../shared/contracts/humaneval';
import type { AccessService } from '../access';
import { defineCapability, type CapabilityContext } from '../capability';
import { createHumanEvalService } from '.';
import { HUMANEVAL_MIGRATIONS } from './schema';

export const capability = defineCapability({
  name: 'humaneval',
  contracts,
  migrations: HUMANEVAL_MIGRATIONS,
  create({ db, paths, events, now, services }: CapabilityContext<{ access: AccessService }>) {
    const humaneval = createHumanEvalService({ db, paths, events, now, access: services.access });
    return {
      service: humaneval,
      handlers: {
        'humaneval.create': (input) => humaneval.create(input),
        'humaneval.list': () => humaneval.list(),
        'humaneval.status': (input) => humaneval.status(input.id),
        'humaneval.invite': (input) => humaneval.invite(input),
        'humaneval.results': (input) => humaneval.results(input),
        'humaneval.export': (input) => humaneval.exportFile(input),
        'humaneval.import': (input) => humaneval.importFile(input),
        'humaneval.remove': (input) => humaneval.remove(input.id),
        'humaneval.assignment': (input, caller) => humaneval.assignment(input, caller),
        'humaneval.answer': (input, caller) => humaneval.answer(input, caller),
        'humaneval.submit': (input, caller) => humaneval.submit(input, caller),
      },
    };
  },
});
