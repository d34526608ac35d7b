// Following a job from the CLI, the way the UI does: its progress arrives on the core's event
// stream (`job` events, the in-process form of serve mode's SSE), its end through the contract
// (`jobs.wait`), and Ctrl-C cancels it through the contract (`jobs.cancel`).
import type { z } from 'zod';
import { type ApiEvent, ApiError, type JobError, type JobInfo } from '../../shared/api';
import { humanBytes } from '../core';
import { type Door, note } from './context';

const FINAL = new Set<JobInfo['state']>(['succeeded', 'failed', 'cancelled']);

function fmt(n: number, unit: string): string {
  return unit === 'bytes' ? humanBytes(n) : `${Math.round(n)} ${unit}`;
}

/** One line of job progress: percent, done/total, rate and ETA. */
export function progressLine(job: JobInfo): string {
  const p = job.progress;
  const pct = p.total ? `${((100 * p.done) / p.total).toFixed(1).padStart(5)}%` : '';
  const amount = p.total !== null ? `${fmt(p.done, p.unit)} / ${fmt(p.total, p.unit)}` : fmt(p.done, p.unit);
  const rate = p.rate ? `${fmt(p.rate, p.unit)}/s` : '';
  const eta = p.etaSeconds !== null ? `ETA ${Math.ceil(p.etaSeconds)}s` : '';
  return [job.title, pct, amount, rate, eta].filter(Boolean).join('  ');
}

/**
 * Write progress to stderr: redrawn in place on a terminal, at most every 2 s otherwise
 * (log files and CI stay readable).
 */
export function createProgressPrinter(stream: NodeJS.WriteStream = process.stderr) {
  let last = 0;
  let drawn = false;
  return {
    /** `force`: write even within 2 s of the last line (the final one). */
    update(job: JobInfo, force = false) {
      const now = Date.now();
      if (stream.isTTY) {
        stream.write(`\r\x1b[K${progressLine(job)}`);
        drawn = true;
      } else if (force || now - last >= 2000) {
        stream.write(`${progressLine(job)}\n`);
        last = now;
      }
    },
    end() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

export interface FollowOptions {
  /**
   * Called with every event while the job runs; what it returns (when not undefined) is shown
   * after the job's title from then on, e.g. tokens/s of a run or the last training loss.
   */
  detail?: (event: ApiEvent) => string | undefined;
  /** Print the job's log lines on stderr as they arrive (worker setup's pip output). */
  log?: boolean;
  /** Cancel on SIGTERM too (runs and training): what is done stays stored, resumable. */
  sigterm?: boolean;
}

/** A job's end as `jobs.wait` answers it: the final job and, unless it succeeded, its error. */
export interface JobEnd {
  job: JobInfo;
  error: JobError | null;
}

/**
 * Follow a started job to its end: progress (and optionally its log) on stderr, Ctrl-C cancels
 * it through `jobs.cancel` (a second Ctrl-C stops at once). Never throws for the job's failure:
 * the caller decides what a failed job means (see jobResult).
 */
export async function followJob(core: Door, started: JobInfo, opts: FollowOptions = {}): Promise<JobEnd> {
  const progress = createProgressPrinter();
  let detail = '';
  const stop = core.onEvent((e) => {
    const d = opts.detail?.(e);
    if (d !== undefined) detail = d;
    if (e.type === 'job' && e.job.id === started.id && e.job.state === 'running')
      progress.update({ ...e.job, title: `${e.job.title}${detail}` });
    if (opts.log && e.type === 'job-log' && e.jobId === started.id) {
      progress.end();
      for (const l of e.lines) note(`  ${l.text}`);
    }
  });
  const signals: NodeJS.Signals[] = opts.sigterm ? ['SIGINT', 'SIGTERM'] : ['SIGINT'];
  const onSignal = () => void core.call('jobs.cancel', { id: started.id });
  for (const s of signals) process.once(s, onSignal);
  try {
    // jobs.wait blocks at most a minute per call: wait again until the job has ended.
    for (;;) {
      const end = await core.invoke('jobs.wait', { id: started.id });
      if (FINAL.has(end.job.state)) return end;
    }
  } finally {
    progress.end();
    stop();
    for (const s of signals) process.off(s, onSignal);
  }
}

/**
 * Follow a job and answer its result, checked against the contract's schema for it (not cast);
 * a failed or cancelled job throws its error with the kind it failed with (exit 2 for bad input).
 */
export async function jobResult<S extends z.ZodType>(
  core: Door,
  started: JobInfo,
  schema: S,
  opts: FollowOptions = {},
): Promise<z.output<S>> {
  const { job, error } = await followJob(core, started, opts);
  if (error) throw new ApiError(error.kind, error.message, error.issues);
  const checked = schema.safeParse(job.result);
  if (!checked.success)
    throw new ApiError(
      'failed',
      `job ${job.id} (${job.kind}) stored a result outside its contract: ${checked.error.message}`,
    );
  // As the job stored it (the schema's parse would drop fields it does not name).
  return job.result as z.output<S>;
}

/**
 * While a call runs that may start a job of one of `kinds` (statistics and splits of large
 * datasets do, small ones answer at once): draw its progress on stderr and cancel it on Ctrl-C.
 * Returns the function that stops following.
 */
export function followJobsDuring(core: Door, kinds: readonly JobInfo['kind'][]): () => void {
  const progress = createProgressPrinter();
  let current: number | null = null;
  const stop = core.onEvent((e) => {
    if (e.type !== 'job' || !kinds.includes(e.job.kind)) return;
    if (e.job.state === 'running') {
      current = e.job.id;
      progress.update(e.job);
    } else if (e.job.state !== 'queued') {
      // The final state: one last line with done = total.
      if (e.job.state === 'succeeded') progress.update(e.job, true);
      progress.end();
      current = null;
    }
  });
  const onSignal = () => {
    if (current === null) process.exit(130); // nothing to cancel yet: stop as Ctrl-C would
    void core.call('jobs.cancel', { id: current });
  };
  process.once('SIGINT', onSignal);
  return () => {
    progress.end();
    stop();
    process.off('SIGINT', onSignal);
  };
}
