import type { JobInfo } from '../../shared/contracts/jobs';

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
    update(job: JobInfo) {
      const now = Date.now();
      if (stream.isTTY) {
        stream.write(`\r\x1b[K${progressLine(job)}`);
        drawn = true;
      } else if (now - last >= 2000) {
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
