// The rounds capability: CMD annotation rounds (issue 13). Lab methods create and manage rounds,
// read the queue and agreement and write gold labels back; the evaluator methods serve one
// annotator's page through their invitation token (or the desktop's evaluator mode, with `as`).
import { contracts } from '../../../shared/contracts/rounds';
import type { AccessService } from '../access';
import { defineCapability, type CapabilityContext } from '../capability';
import type { DatasetService } from '../datasets';
import { createRoundService } from '.';
import { migrations } from './schema';

export const capability = defineCapability({
  name: 'rounds',
  contracts,
  migrations,
  create({
    db,
    events,
    now,
    services: { access, datasets },
  }: CapabilityContext<{ access: AccessService; datasets: DatasetService }>) {
    const rounds = createRoundService({ db, events, now, access, datasets });
    return {
      service: rounds,
      handlers: {
        'rounds.create': (input) => rounds.create(input),
        'rounds.list': () => rounds.list(),
        'rounds.status': (input) => rounds.status(input.id),
        'rounds.queue': (input) => rounds.queue(input),
        'rounds.adjudicate': (input) => rounds.adjudicate(input),
        'rounds.apply': (input) => rounds.apply(input),
        'rounds.invite': (input) => rounds.invite(input),
        'rounds.remove': (input) => rounds.remove(input.id),
        'rounds.assignment': (input, caller) => rounds.assignment(caller, input.as),
        'rounds.annotate': (input, caller) => rounds.annotate(caller, input),
        'rounds.submit': (input, caller) => rounds.submit(caller, input.as),
      },
    };
  },
});
