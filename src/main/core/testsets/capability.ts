// The testsets capability: the standard bias and toxicity benchmarks as test sets.
import { contracts } from '../../../shared/contracts/testsets';
import { defineCapability } from '../capability';
import { createTestsetService } from '.';
import { MIGRATIONS } from './repository';

export const capability = defineCapability({
  name: 'testsets',
  contracts,
  // In order; never edit or rename a shipped one: append the next.
  migrations: MIGRATIONS,
  create({ db, paths, events, now }) {
    const testsets = createTestsetService({ db, paths, events, now });
    return {
      service: testsets,
      handlers: {
        'testsets.import': (input) => testsets.importTestset(input),
        'testsets.list': () => ({ testsets: testsets.list() }),
        'testsets.items': (input) => testsets.items(input),
        'testsets.remove': (input) => testsets.remove(input.name),
      },
    };
  },
});
