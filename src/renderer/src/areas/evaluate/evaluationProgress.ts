// Evaluation progress for the Running view: overall counts from the stages, stages grouped by
// generator, items/s and time left, which actions apply, and merging updates that arrive out of
// order (call results and throttled events can cross). Pure.
import type { JobInfo } from '../../../../shared/contracts/jobs';
import type { EvaluationStage, EvaluationState, EvaluationSummary } from '../../../../shared/contracts/evaluation';
import { formatCount, formatEta } from '../../lib/format';
import { upsertById } from '../../lib/upsertById';

const ACTIVE = new Set<EvaluationState>(['queued', 'running']);
export const isEvaluationActive = (state: EvaluationState) => ACTIVE.has(state);

export type Tone = 'active' | 'good' | 'bad' | 'mild' | 'neutral';

export const EVALUATION_STATE_TONE: Record<EvaluationState, Tone> = {
  queued: 'neutral',
  running: 'active',
  succeeded: 'good',
  failed: 'bad',
  cancelled: 'mild',
  interrupted: 'mild',
};

export const STAGE_STATE_TONE: Record<EvaluationStage['state'], Tone> = {
  pending: 'neutral',
  running: 'active',
  done: 'good',
  failed: 'bad',
  skipped: 'mild',
};

export const STAGE_KIND_LABEL: Record<EvaluationStage['kind'], string> = {
  generate: 'Generate',
  score: 'Score',
  likelihood: 'Likelihood',
};

export interface EvaluationProgress {
  done: number;
  total: number;
  fraction: number | null;
  /** "120 of 400 steps · 30%" */
  countText: string;
  /** Items per second of the running stage(s); null when none is running. */
  itemsPerSecond: number | null;
  /** Time left: the job's ETA while it runs, else from the running stages' rates. */
  etaText: string;
  failedStages: number;
  active: boolean;
}

export function evaluationProgress(e: EvaluationSummary, job?: JobInfo | null): EvaluationProgress {
  let done = 0;
  let total = 0;
  let failedStages = 0;
  let rate: number | null = null;
  let leftSeconds = 0;
  let rateKnownForAllRunning = true;
  for (const s of e.stages) {
    if (s.state === 'skipped') continue;
    total += s.total;
    done += Math.min(s.done, s.total);
    if (s.state === 'failed') failedStages++;
    if (s.state === 'running') {
      if (s.itemsPerSecond !== null && s.itemsPerSecond > 0) {
        rate = (rate ?? 0) + s.itemsPerSecond;
        leftSeconds += Math.max(0, s.total - s.done) / s.itemsPerSecond;
      } else rateKnownForAllRunning = false;
    }
  }
  const active = isEvaluationActive(e.state);
  const fraction = total > 0 ? done / total : null;
  const live = active && job && job.id === e.jobId && (job.state === 'running' || job.state === 'queued') ? job : null;
  const eta =
    live && live.progress.etaSeconds !== null
      ? formatEta(live.progress.etaSeconds)
      : active && rate !== null && rateKnownForAllRunning
        ? formatEta(leftSeconds)
        : '';
  return {
    done,
    total,
    fraction,
    countText: `${formatCount(done)} of ${formatCount(total)} steps${fraction === null ? '' : ` · ${Math.floor(fraction * 100)}%`}${
      failedStages ? ` · ${failedStages} stage${failedStages === 1 ? '' : 's'} failed` : ''
    }`,
    itemsPerSecond: active ? rate : null,
    etaText: eta,
    failedStages,
    active,
  };
}

/** "12.5 items/s", "1,234 items/s", '' when unknown. */
export function formatItemsPerSecond(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '';
  return `${rate < 10 ? rate.toFixed(2) : formatCount(rate)} items/s`;
}

/** Stages grouped by their generator row (in the order they first appear), for the Running view. */
export function stagesByGenerator(stages: EvaluationStage[]): { generator: string; stages: EvaluationStage[] }[] {
  const groups = new Map<string, EvaluationStage[]>();
  for (const s of stages) {
    const list = groups.get(s.generator);
    if (list) list.push(s);
    else groups.set(s.generator, [s]);
  }
  return [...groups].map(([generator, list]) => ({ generator, stages: list }));
}

/** Cancel while it runs; resume when it stopped before finishing; remove when it is not running. */
export function evaluationActions(e: EvaluationSummary): { cancel: boolean; resume: boolean; remove: boolean } {
  const active = isEvaluationActive(e.state);
  return { cancel: active, resume: !active && e.state !== 'succeeded', remove: !active };
}

/**
 * Whether an incoming summary should replace the one shown: a new job (resume) always wins; within a
 * job a final state never goes back to running, and the summed progress never goes backwards.
 */
export function isNewerEvaluation(current: EvaluationSummary | undefined, incoming: EvaluationSummary): boolean {
  if (!current) return true;
  if (incoming.jobId !== current.jobId) return (incoming.jobId ?? -1) > (current.jobId ?? -1);
  if (!isEvaluationActive(current.state) && isEvaluationActive(incoming.state)) return false;
  if (isEvaluationActive(current.state) && isEvaluationActive(incoming.state)) {
    const sum = (e: EvaluationSummary) => e.stages.reduce((n, s) => n + s.done, 0);
    if (sum(incoming) < sum(current)) return false;
  }
  return true;
}

/** The list with `e` put in (newest id first); the same array when `e` is older than the one held. */
export function upsertEvaluation(list: EvaluationSummary[], e: EvaluationSummary): EvaluationSummary[] {
  return upsertById(list, e, isNewerEvaluation);
}
