import { z } from 'zod';
import { defineContract } from '../contract';

export const JOB_KINDS = ['import', 'model-download', 'generate', 'train', 'worker-setup'] as const;
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

export const jobs = {
  list: defineContract({
    channel: 'jobs.list',
    input: z.object({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 }),
    output: z.object({ jobs: z.array(JobInfo) }),
  }),
  get: defineContract({
    channel: 'jobs.get',
    input: z.object({ id: z.number().int() }),
    output: z.object({ job: JobInfo }),
  }),
  cancel: defineContract({
    channel: 'jobs.cancel',
    input: z.object({ id: z.number().int() }),
    output: z.object({ job: JobInfo }),
  }),
};
