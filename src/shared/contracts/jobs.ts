import { z } from 'zod';
import { defineContract } from '../contract';

export const JOB_KINDS = [
  'import',
  'model-download',
  'generate',
  'train',
  'worker-setup',
  /** Statistics of a large dataset (small ones are computed at once, without a job). */
  'dataset-stats',
  /** A train/dev/test split of a large dataset; on the database writers' queue with imports. */
  'split',
] as const;
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
  kind: z.enum(JOB_KINDS),
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
