// The jobs capability: long work (imports, downloads, runs, training) as jobs that can be listed,
// followed, waited for and cancelled. The job service itself is the core's (every capability's
// factory gets it), so this capability only owns its table and serves the jobs.* methods.
import { contracts } from '../../../shared/contracts/jobs';
import { defineCapability } from '../capability';

export const capability = defineCapability({
  name: 'jobs',
  contracts,
  migrations: [
    {
      // Shipped in the global migration 1.
      id: 'jobs',
      sql: `
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  state TEXT NOT NULL,
  params TEXT NOT NULL,
  progress TEXT NOT NULL,
  result TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  -- The process running the job: desktop, serve mode and CLI share one database, so a job is
  -- only "interrupted" when the process that owns it is gone.
  owner_pid INTEGER
);
`,
    },
    {
      // Shipped as the global migration 4.
      id: 'log-tail',
      sql: `
-- The last lines a job logged (e.g. pip's output during worker setup): a JSON array of
-- {seq, at, level, text}, at most 500, so another process or a restarted app can show them.
ALTER TABLE jobs ADD COLUMN log_tail TEXT;
`,
    },
  ],
  create: ({ jobs }) => ({
    service: jobs,
    handlers: {
      'jobs.list': (input) => ({ jobs: jobs.list(input.limit) }),
      'jobs.get': (input) => ({ job: jobs.get(input.id) }),
      'jobs.cancel': (input) => ({ job: jobs.cancel(input.id) }),
      'jobs.log': (input) => jobs.log(input.id, input.after),
      'jobs.wait': (input) => jobs.wait(input.id, input.timeoutMs),
    },
  }),
});
