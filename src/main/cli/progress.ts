import type { JobInfo } from '../../shared/contracts/jobs';
import type { Core } from '../core';

function humanBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

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

/**
 * While a call runs that may start a job of one of `kinds` (statistics and splits of large
 * datasets do, small ones answer at once): draw its progress on stderr and cancel it on Ctrl-C.
 * Returns the function that stops following.
 */
export function followJobs(core: Pick<Core, 'events' | 'jobs'>, kinds: readonly JobInfo['kind'][]): () => void {
  const progress = createProgressPrinter();
  let current: number | null = null;
  const stop = core.events.subscribe((e) => {
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
    core.jobs.cancel(current);
  };
  process.once('SIGINT', onSignal);
  return () => {
    progress.end();
    stop();
    process.off('SIGINT', onSignal);
  };
}
