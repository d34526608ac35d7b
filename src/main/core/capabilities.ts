// The core's capabilities, in order: a capability's factory gets the services of those listed
// before it, and its migrations run after theirs. Adding one: a folder with a capability.ts, an
// import line and an entry here (see docs/adding-a-capability.md).
import { inOrder } from './capability';
import { capability as system } from './system/capability';
import { capability as jobs } from './jobs/capability';
import { capability as datasets } from './datasets/capability';
import { capability as llm } from './llm/capability';
import { capability as runs } from './runs/capability';
import { capability as worker } from './worker/capability';
import { capability as training } from './training/capability';
import { capability as access } from './access/capability';
import { capability as testsets } from './testsets/capability';
import { capability as metrics } from './metrics/capability';
import { capability as classifiers } from './classifiers/capability';
import { capability as scorers } from './scorers/capability';
import { capability as likelihood } from './likelihood/capability';
import { capability as evaluation } from './evaluation/capability';
import { capability as figures } from './figures/capability';
import { capability as humaneval } from './humaneval/capability';
import { capability as rounds } from './rounds/capability';

/**
 * A function, not a constant: db/index.ts reads the migrations from here, and the capabilities'
 * modules import the database module back, so the list is built only when first asked for.
 */
export function capabilities() {
  return inOrder([
    system,
    jobs,
    datasets,
    testsets,
    llm,
    runs,
    worker,
    training,
    access,
    metrics,
    classifiers,
    scorers,
    likelihood,
    evaluation,
    humaneval,
    rounds,
    figures,
  ]);
}

export type Registry = ReturnType<typeof capabilities>;
