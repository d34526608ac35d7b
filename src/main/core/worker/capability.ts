// The worker capability: the Python training worker's environment (doctor, managed venv setup).
import { worker as workerGroup } from '../../../shared/contracts/training';
import { defineCapability } from '../capability';
import { createWorkerService } from '.';

export const capability = defineCapability({
  name: 'worker',
  // The rest of the training contract module (train, hf) is served by training and llm.
  contracts: { worker: workerGroup },
  migrations: [],
  create({ paths, jobs }) {
    const worker = createWorkerService({ home: paths.home, jobs });
    return {
      service: worker,
      handlers: {
        'worker.doctor': () => worker.doctor(),
        'worker.setup': (input) => ({ job: worker.startSetup(input).job }),
      },
      // Kill on close, before the core waits for jobs: a run it interrupts stays resumable from its checkpoints.
      stop: () => worker.close(),
    };
  },
});
