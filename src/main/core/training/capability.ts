// The training capability: LoRA/QLoRA runs on the Python worker, their live metrics and artefacts.
import { train } from '../../../shared/contracts/training';
import { defineCapability, type CapabilityContext } from '../capability';
import type { DatasetService } from '../datasets';
import type { LlmService } from '../llm';
import type { WorkerService } from '../worker';
import { createTrainingService } from '.';
import { listBases, resolveNamedBase } from './bases';
import { trainPreflight } from './preflight';

type Needs = { datasets: DatasetService; llm: LlmService; worker: WorkerService };

export const capability = defineCapability({
  name: 'training',
  contracts: { train },
  migrations: [
    {
      // Shipped as the global migration 3.
      id: 'train-runs',
      sql: `
-- A LoRA/QLoRA training run; \`data\` is the JSON TrainRun (config, data hash, versions,
-- checkpoints, artefacts, energy) so every run is reproducible from its row.
CREATE TABLE train_runs (
  id INTEGER PRIMARY KEY,
  state TEXT NOT NULL,
  data TEXT NOT NULL,
  job_id INTEGER,
  -- The srlab process running it: a run whose process is gone was interrupted.
  owner_pid INTEGER,
  -- Set by \`srlab train cancel\` from another process; the owner polls it.
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  finished_at TEXT
);

CREATE TABLE train_metrics (
  run_id INTEGER NOT NULL REFERENCES train_runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  split TEXT NOT NULL,
  loss REAL NOT NULL,
  lr REAL,
  grad_norm REAL,
  tokens_per_second REAL,
  at TEXT NOT NULL
);
CREATE INDEX train_metrics_run ON train_metrics (run_id, step);
`,
    },
  ],
  create({ db, paths, jobs, events, now, services }: CapabilityContext<Needs>) {
    const { datasets, llm, worker } = services;
    const training = createTrainingService({ db, paths, jobs, events, worker, datasets, llm, now });
    return {
      service: training,
      handlers: {
        'train.presets': () => ({ presets: training.presets() }),
        'train.start': (input, caller) => {
          const { run, job } = training.start(resolveNamedBase(input, caller, paths.bases));
          return { run, job };
        },
        'train.bases': () => listBases(paths.bases),
        'train.preflight': (input, caller) =>
          trainPreflight(resolveNamedBase(input, caller, paths.bases), {
            datasets,
            worker,
            db,
            templates: llm.templates,
          }),
        'train.list': (input) => ({ runs: training.list(input.limit) }),
        'train.get': (input) => ({ run: training.get(input.id) }),
        'train.metrics': (input) => ({ metrics: training.metrics(input.id) }),
        'train.resume': (input) => {
          const { run, job } = training.resume(input.id);
          return { run, job };
        },
        'train.cancel': (input) => ({ run: training.cancel(input.id) }),
      },
    };
  },
});
