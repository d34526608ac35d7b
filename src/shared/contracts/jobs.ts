import { z } from 'zod';
import type { JobKind } from '../api';
import { defineContract, ERROR_KINDS } from '../contract';

/**
 * A job's kind: one that a capability's contract module declares in its `JOB_KINDS` (all of them:
 * api.ts's JOB_KINDS). Exact as a type; at run time a kebab-case name, since this module cannot
 * import the full list without an import cycle (every capability's contracts use JobInfo).
 */
const JobKindName = z.custom<JobKind>((v) => typeof v === 'string' && /^[a-z][a-z0-9-]*$/.test(v), {
  message: 'not a job kind',
});

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JobProgress = z.object({
  done: z.number(),
  /** null while the total is unknown (e.g. a stream whose size is not known). */
  total: z.number().nullable(),
  unit: z.string(),
  /** units per second, averaged since the job started. */
  rate: z.number().nullable(),
  etaSeconds: z.number().nullable(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const JobInfo = z.object({
  id: z.number().int(),
  kind: JobKindName,
  title: z.string(),
  state: z.enum(JOB_STATES),
  progress: JobProgress,
  params: z.unknown(),
  result: z.unknown().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type JobInfo = z.infer<typeof JobInfo>;

export const JOB_LOG_LEVELS = ['info', 'warn', 'error'] as const;
/** Lines kept per job (older ones are dropped, and `truncatedBefore` says so). */
export const JOB_LOG_LIMIT = 500;

/** One line a job logged (e.g. pip's output during worker setup). */
export const JobLogLine = z.object({
  /** 1, 2, 3… per job; pass the last one seen as `after` to get only newer lines. */
  seq: z.number().int(),
  at: z.string(),
  level: z.enum(JOB_LOG_LEVELS),
  text: z.string(),
});
export type JobLogLine = z.infer<typeof JobLogLine>;

/** Why a job failed or was cancelled, with the error's kind (as a failed call's error). */
export const JobError = z.object({
  kind: z.enum(ERROR_KINDS),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type JobError = z.infer<typeof JobError>;

/** The longest one `jobs.wait` may block; a follower waits again (progress arrives as `job` events meanwhile). */
export const JOB_WAIT_MAX_MS = 60_000;

export const jobs = {
  list: defineContract({
    channel: 'jobs.list',
    scope: 'lab',
    input: z.object({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 }),
    output: z.object({ jobs: z.array(JobInfo) }),
  }),
  get: defineContract({
    channel: 'jobs.get',
    scope: 'lab',
    input: z.object({ id: z.number().int() }),
    output: z.object({ job: JobInfo }),
  }),
  cancel: defineContract({
    channel: 'jobs.cancel',
    scope: 'lab',
    input: z.object({ id: z.number().int() }),
    output: z.object({ job: JobInfo }),
  }),
  /**
   * Wait up to `timeoutMs` for a job to end. Answers the job as it then is — its `result` holds
   * what the job produced once it succeeded — and, when it failed or was cancelled, its error
   * with the kind it failed with (e.g. invalid-input for a strict import with a bad row).
   */
  wait: defineContract({
    channel: 'jobs.wait',
    scope: 'lab',
    input: z.object({
      id: z.number().int().min(1),
      timeoutMs: z.number().int().min(0).max(JOB_WAIT_MAX_MS).default(JOB_WAIT_MAX_MS),
    }),
    output: z.object({ job: JobInfo, error: JobError.nullable() }),
  }),
  /** A job's log tail (the last 500 lines), or only the lines after sequence number `after`. */
  log: defineContract({
    channel: 'jobs.log',
    scope: 'lab',
    input: z.object({ id: z.number().int(), after: z.number().int().min(0).optional() }),
    output: z.object({
      lines: z.array(JobLogLine),
      /** Lines were dropped before the first one returned (the tail keeps 500). */
      truncatedBefore: z.boolean().optional(),
    }),
  }),
};

// What this capability gives the registry (src/shared/capabilities.ts): its contract groups, its
// events and its job kinds (none: jobs are started by the other capabilities, with their kinds).
export const contracts = { jobs };
export const events = [
  z.object({ type: z.literal('job'), job: JobInfo }),
  /** Lines a job logged, batched (a few times a second at most), in sequence order. */
  z.object({ type: z.literal('job-log'), jobId: z.number().int(), lines: z.array(JobLogLine) }),
] as const;
export const JOB_KINDS = [] as const;
