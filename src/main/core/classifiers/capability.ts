// The classifiers capability: Hugging Face sequence classifiers (trained here through the worker,
// or registered by id/folder) and style-trait lists, for the hf and style scorers.
import { contracts } from '../../../shared/contracts/classifiers';
import { defineCapability, type CapabilityContext } from '../capability';
import type { DatasetService } from '../datasets';
import type { LlmService } from '../llm';
import type { WorkerService } from '../worker';
import { createClassifiersService } from '.';
import { createClassifierStore, MIGRATIONS } from './store';

type Needs = { datasets: DatasetService; llm: LlmService; worker: WorkerService };

export const capability = defineCapability({
  name: 'classifiers',
  contracts,
  migrations: MIGRATIONS,
  create({ db, paths, jobs, events, now, services }: CapabilityContext<Needs>) {
    const { datasets, llm, worker } = services;
    const store = createClassifierStore(db);
    const classifiers = createClassifiersService({ store, paths, jobs, events, worker, datasets, llm, now });
    return {
      service: classifiers,
      handlers: {
        'classifiers.train': (input, caller) => {
          const { classifier, job } = classifiers.train(input, caller);
          return { classifier, job };
        },
        'classifiers.resume': (input) => {
          const { classifier, job } = classifiers.resume(input.name);
          return { classifier, job };
        },
        'classifiers.cancel': (input) => ({ classifier: classifiers.cancel(input.name) }),
        'classifiers.add': async (input) => ({ classifier: await classifiers.add(input) }),
        'classifiers.list': () => ({
          classifiers: classifiers.list(),
          traitLists: classifiers.traitLists().map((t) => ({ ...t, traits: t.traits.length })),
        }),
        'classifiers.get': (input) => ({ classifier: classifiers.get(input.name) }),
        'classifiers.remove': (input) => classifiers.remove(input.name, input.deleteFiles),
        'classifiers.addTraits': (input) => classifiers.addTraits(input),
        'classifiers.traits': (input) => ({ traitList: classifiers.traitList(input.name) }),
      },
    };
  },
});
