import type { JobProgress } from '../../../shared/contracts/jobs';
import { formatAmount, formatEta, formatRate, progressFraction } from '../lib/format';

/** A bar with done/total; indeterminate (animated) while the total is unknown. */
export function ProgressBar({ done, total, label }: { done: number; total: number | null; label: string }) {
  const fraction = progressFraction(done, total);
  return (
    <div
      className={fraction === null ? 'progress indeterminate' : 'progress'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
    >
      <div className="progress-fill" style={{ width: fraction === null ? undefined : `${fraction * 100}%` }} />
    </div>
  );
}

/** A job's bar with its numbers underneath: done/total, rate and ETA. */
export function JobProgressView({ progress, label }: { progress: JobProgress; label: string }) {
  const { done, total, unit, rate, etaSeconds } = progress;
  const fraction = progressFraction(done, total);
  const eta = formatEta(etaSeconds);
  return (
    <div className="job-progress">
      <ProgressBar done={done} total={total} label={label} />
      <div className="job-progress-numbers">
        <span>
          {formatAmount(done, unit)}
          {total !== null ? ` of ${formatAmount(total, unit)}` : ''}
          {fraction !== null ? ` · ${Math.floor(fraction * 100)}%` : ''}
        </span>
        <span>
          {formatRate(rate, unit)}
          {eta ? ` · ${eta} left` : ''}
        </span>
      </div>
    </div>
  );
}
