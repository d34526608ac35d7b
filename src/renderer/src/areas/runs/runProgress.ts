// Run progress maths for the Runs view: fraction, counts, rate/ETA (from the run's job),
// tokens/s, which actions apply, and merging run updates that arrive out of order. Pure.
import type { JobInfo } from '../../../../shared/contracts/jobs';
import type { RunItem, RunState, RunSummary } from '../../../../shared/contracts/runs';
import { formatCount, formatEta } from '../../lib/format';
import { tokensPerSecond } from '../../lib/llmFormat';
import { upsertById } from '../../lib/upsertById';

const ACTIVE = new Set<RunState>(['queued', 'running']);
export const isRunActive = (state: RunState) => ACTIVE.has(state);

export type Tone = 'active' | 'good' | 'bad' | 'mild' | 'neutral';

export const RUN_STATE_TONE: Record<RunState, Tone> = {
  queued: 'neutral',
  running: 'active',
  succeeded: 'good',
  failed: 'bad',
  cancelled: 'mild',
  interrupted: 'mild',
};

export interface RunProgress {
  /** Items finished, with or without an error. */
  processed: number;
  total: number;
  fraction: number | null;
  percent: number | null;
  /** "3 of 5 items · 60% · 1 error" */
  countText: string;
  /** Items per second and the time left, from the run's job while it runs; empty otherwise. */
  rateText: string;
  etaText: string;
  tokensPerSecond: number | null;
  active: boolean;
}

export function runTokensPerSecond(
  run: Pick<RunSummary, 'tokensPerSecond' | 'generatedTokens' | 'generationMs'>,
): number | null {
  return run.tokensPerSecond ?? tokensPerSecond(run.generatedTokens, run.generationMs);
}

export function runProgress(run: RunSummary, job?: JobInfo | null): RunProgress {
  const processed = Math.min(run.total, run.done + run.errors);
  const fraction = run.total > 0 ? processed / run.total : null;
  const active = isRunActive(run.state);
  const live =
    active && job && job.id === run.jobId && (job.state === 'running' || job.state === 'queued') ? job : null;
  const rate = live?.progress.rate ?? null;
  const errors = run.errors > 0 ? ` · ${formatCount(run.errors)} error${run.errors === 1 ? '' : 's'}` : '';
  return {
    processed,
    total: run.total,
    fraction,
    percent: fraction === null ? null : Math.floor(fraction * 100),
    countText: `${formatCount(processed)} of ${formatCount(run.total)} items${fraction === null ? '' : ` · ${Math.floor(fraction * 100)}%`}${errors}`,
    rateText:
      rate !== null && Number.isFinite(rate) ? `${rate < 10 ? rate.toFixed(2) : formatCount(rate)} items/s` : '',
    etaText: live ? formatEta(live.progress.etaSeconds) : '',
    tokensPerSecond: runTokensPerSecond(run),
    active,
  };
}

/** Cancel while it runs; resume when it stopped before every item succeeded. */
export function runActions(run: RunSummary): { cancel: boolean; resume: boolean; remove: boolean } {
  const active = isRunActive(run.state);
  return { cancel: active, resume: !active && run.done < run.total, remove: !active };
}

/**
 * Whether an incoming summary should replace the one shown. Call results and throttled events
 * can cross: a final state of one job never goes back to running for that same job, and counts
 * never go backwards within a job. A new job (resume) always wins.
 */
export function isNewerRun(current: RunSummary | undefined, incoming: RunSummary): boolean {
  if (!current) return true;
  if (incoming.jobId !== current.jobId) return (incoming.jobId ?? -1) > (current.jobId ?? -1);
  if (!isRunActive(current.state) && isRunActive(incoming.state)) return false;
  if (
    isRunActive(current.state) &&
    isRunActive(incoming.state) &&
    incoming.done + incoming.errors < current.done + current.errors
  )
    return false;
  return true;
}

/** The run list with `run` put in (newest id first). */
export function upsertRun(list: RunSummary[], run: RunSummary): RunSummary[] {
  return upsertById(list, run, isNewerRun);
}

/** A page of items with one finished item replaced (by index); the same array when it is not on the page. */
export function applyItem(items: RunItem[], item: RunItem): RunItem[] {
  const i = items.findIndex((it) => it.index === item.index);
  if (i < 0) return items;
  const next = items.slice();
  next[i] = item;
  return next;
}

export type ItemStatus = 'done' | 'error' | 'pending';

export function itemStatus(item: RunItem): ItemStatus {
  if (item.error !== null) return 'error';
  return item.finishedAt === null ? 'pending' : 'done';
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(Math.max(0, total) / pageSize));
}

/** "Items 51–100 of 240" for a page; "No items" when there are none. */
export function pageLabel(page: number, pageSize: number, total: number): string {
  if (total <= 0) return 'No items';
  const first = page * pageSize + 1;
  const last = Math.min(total, (page + 1) * pageSize);
  return `Items ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)}`;
}
