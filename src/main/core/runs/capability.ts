// The runs capability: generation runs (a model or endpoint × a dataset split × a template ×
// decoding settings), stored item by item so they resume and repeat exactly.
import { runs as runsGroup } from '../../../shared/contracts/runs';
import { defineCapability, type CapabilityContext } from '../capability';
import type { LlmService } from '../llm';
import { createRunService } from '.';

export const capability = defineCapability({
  name: 'runs',
  // The endpoints group is served by the llm capability, which keeps the endpoints.
  contracts: { runs: runsGroup },
  migrations: [
    {
      // Shipped in the global migration 2 (with the llm capability's tables).
      id: 'runs',
      sql: `
-- A generation run: settings (JSON RunSettings) are everything needed to reproduce it.
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  settings TEXT NOT NULL,
  settings_hash TEXT NOT NULL,
  provenance TEXT NOT NULL,
  total INTEGER NOT NULL,
  generation_ms REAL NOT NULL DEFAULT 0,
  job_id INTEGER,
  -- The process running it (pid@host) and when it last reported: a run whose process is gone is interrupted.
  owner TEXT,
  heartbeat_at TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX runs_settings_hash ON runs (settings_hash);

-- One input of a run; output columns stay NULL until the item is generated.
CREATE TABLE run_items (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  record_id INTEGER,
  input TEXT NOT NULL,
  reference TEXT,
  prompt TEXT NOT NULL,
  output TEXT,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  finish_reason TEXT,
  error TEXT,
  generate_ms REAL,
  cached INTEGER NOT NULL DEFAULT 0,
  finished_at TEXT,
  PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;
`,
    },
  ],
  create({ db, jobs, events, now, services: { llm } }: CapabilityContext<{ llm: LlmService }>) {
    const runs = createRunService({ db, jobs, events, llm, now });
    return {
      service: runs,
      handlers: {
        'runs.start': async (input) => {
          const { run, job } = await runs.start(input);
          return { run, job };
        },
        'runs.list': (input) => ({ runs: runs.list(input.limit) }),
        'runs.get': (input) => ({ run: runs.get(input.id) }),
        'runs.items': (input) => runs.items(input),
        'runs.findUnfinished': async (input) => ({ run: await runs.findUnfinished(input) }),
        'runs.resume': async (input) => {
          const { run, job } = await runs.resume(input.id);
          return { run, job };
        },
        'runs.cancel': (input) => ({ run: runs.cancel(input.id) }),
        'runs.remove': (input) => ({ removed: runs.remove(input.id) }),
      },
    };
  },
});
