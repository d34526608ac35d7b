// Training metrics maths, pure: merging live metrics, series per curve, downsampling for the
// charts, line-chart geometry (d3 scales, no DOM), progress/ETA, and the client-side preflight
// (steps, rough VRAM and duration), all tested without a browser.
import { line, scaleLinear, type ScaleLinear } from 'd3';
import type { TrainConfig, TrainMetric, TrainRun } from '../../../shared/contracts/training';
import { inner, type Frame } from '../charts/layout';

export interface Point {
  x: number;
  y: number;
}

/** Merge one live metric into a step-ordered list; same step and split replaces (a resumed run re-logs). */
export function addMetric(list: readonly TrainMetric[], m: TrainMetric): TrainMetric[] {
  const i = list.findIndex((x) => x.step === m.step && x.split === m.split);
  if (i >= 0) {
    const next = list.slice();
    next[i] = m;
    return next;
  }
  const last = list[list.length - 1];
  if (!last || last.step <= m.step) return [...list, m];
  const next = [...list, m];
  next.sort((a, b) => a.step - b.step || (a.split < b.split ? -1 : a.split > b.split ? 1 : 0));
  return next;
}

export interface TrainSeries {
  trainLoss: Point[];
  evalLoss: Point[];
  lr: Point[];
}

export function seriesOf(metrics: readonly TrainMetric[]): TrainSeries {
  const trainLoss: Point[] = [];
  const evalLoss: Point[] = [];
  const lr: Point[] = [];
  for (const m of metrics) {
    if (!Number.isFinite(m.loss)) continue;
    if (m.split === 'eval') evalLoss.push({ x: m.step, y: m.loss });
    else {
      trainLoss.push({ x: m.step, y: m.loss });
      if (m.lr !== null && Number.isFinite(m.lr)) lr.push({ x: m.step, y: m.lr });
    }
  }
  return { trainLoss, evalLoss, lr };
}

/**
 * At most `max` points, keeping the shape: the points are cut into buckets and each bucket keeps
 * its min and max (in x order); the first and last points always stay.
 */
export function downsample(points: readonly Point[], max: number): Point[] {
  if (points.length <= max || max < 4) return points.slice();
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const middle = points.slice(1, -1);
  const buckets = Math.max(1, Math.floor((max - 2) / 2));
  const size = middle.length / buckets;
  const out: Point[] = [first];
  for (let b = 0; b < buckets; b++) {
    const slice = middle.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    if (!slice.length) continue;
    let lo = slice[0]!;
    let hi = slice[0]!;
    for (const p of slice) {
      if (p.y < lo.y) lo = p;
      if (p.y > hi.y) hi = p;
    }
    if (lo === hi) out.push(lo);
    else if (lo.x <= hi.x) out.push(lo, hi);
    else out.push(hi, lo);
  }
  out.push(last);
  return out;
}

/** [min, max] over every series' finite y (or x); null when there is none. */
export function extent(series: readonly (readonly Point[])[], axis: 'x' | 'y' = 'y'): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series)
    for (const p of s) {
      const v = p[axis];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  return lo === Infinity ? null : [lo, hi];
}

export interface LineLayout {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  /** An SVG path per series (empty string for an empty series). */
  paths: string[];
  /** Marker positions per series (for sparse series such as eval loss). */
  dots: Point[][];
}

/** Shared x (step) and y scales for several series, with a path per series. */
export function lineLayout(
  series: readonly (readonly Point[])[],
  frame: Frame,
  opts: { xMax?: number | null; zeroBased?: boolean } = {},
): LineLayout {
  const { width, height } = inner(frame);
  const xs = extent(series, 'x');
  const xHi = Math.max(xs?.[1] ?? 1, opts.xMax ?? 0, 1);
  const x = scaleLinear()
    .domain([Math.min(xs?.[0] ?? 0, 0), xHi])
    .range([0, width]);
  const ys = extent(series, 'y');
  let lo = ys ? ys[0] : 0;
  let hi = ys ? ys[1] : 1;
  if (opts.zeroBased) lo = Math.min(0, lo);
  if (hi === lo) {
    const pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const y = scaleLinear().domain([lo, hi]).nice().range([height, 0]);
  const gen = line<Point>()
    .x((p) => x(p.x))
    .y((p) => y(p.y));
  const paths = series.map((s) => (s.length ? (gen(s as Point[]) ?? '') : ''));
  const dots = series.map((s) => s.map((p) => ({ x: x(p.x), y: y(p.y) })));
  return { x, y, paths, dots };
}

/** Optimizer steps from the examples and the config (as transformers counts them, per device). */
export function plannedSteps(examples: number, config: TrainConfig, devices = 1): number {
  if (config.max_steps > 0) return config.max_steps;
  const perStep = config.per_device_train_batch_size * config.gradient_accumulation_steps * Math.max(1, devices);
  const perEpoch = Math.max(1, Math.ceil(examples / perStep));
  return Math.max(1, Math.ceil(perEpoch * config.num_train_epochs));
}

/** Seconds left from the step rate so far; null until two steps are known. */
export function etaSeconds(
  run: Pick<TrainRun, 'step' | 'totalSteps' | 'state'>,
  elapsedSeconds: number,
  startStep = 0,
): number | null {
  if (run.state !== 'running' || run.totalSteps === null) return null;
  const done = run.step - startStep;
  if (done < 1 || elapsedSeconds <= 0) return null;
  const left = Math.max(0, run.totalSteps - run.step);
  return (left * elapsedSeconds) / done;
}

/** A rough run duration from tokens to process and a tokens/s figure. */
export function durationSeconds(tokens: number, tokensPerSecond: number | null): number | null {
  if (!tokensPerSecond || tokensPerSecond <= 0 || !Number.isFinite(tokens)) return null;
  return tokens / tokensPerSecond;
}

/** "1 h 05 min", "3 min 20 s", "42 s". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(s / 3600);
  return `${h} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Latest train tokens/s among the metrics (for the live rate and duration estimates). */
export function latestTokensPerSecond(metrics: readonly TrainMetric[]): number | null {
  for (let i = metrics.length - 1; i >= 0; i--) {
    const t = metrics[i]!.tokensPerSecond;
    if (metrics[i]!.split === 'train' && t !== null && t > 0) return t;
  }
  return null;
}

/** Format a loss or LR compactly (LR in exponent form). */
export function formatMetric(v: number | null | undefined, kind: 'loss' | 'lr' = 'loss'): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (kind === 'lr') return v === 0 ? '0' : v.toExponential(1).replace('e-', 'e−');
  return v.toFixed(Math.abs(v) >= 100 ? 1 : 4);
}

const FINAL = new Set<TrainRun['state']>(['succeeded', 'failed', 'cancelled']);

/** Newer wins, except a final state never goes back to running (events may arrive out of order). */
export function isNewerTrainRun(current: TrainRun, incoming: TrainRun): boolean {
  if (FINAL.has(current.state) && !FINAL.has(incoming.state) && incoming.jobId === current.jobId) return false;
  if (incoming.step < current.step && incoming.jobId === current.jobId && incoming.state === current.state)
    return false;
  return true;
}

export function upsertTrainRun(list: readonly TrainRun[], run: TrainRun): TrainRun[] {
  const i = list.findIndex((r) => r.id === run.id);
  if (i < 0) return [run, ...list].sort((a, b) => b.id - a.id);
  if (!isNewerTrainRun(list[i]!, run)) return list as TrainRun[];
  const next = list.slice();
  next[i] = run;
  return next;
}

export function trainActions(run: Pick<TrainRun, 'state' | 'checkpoints'>): { cancel: boolean; resume: boolean } {
  return {
    cancel: run.state === 'running' || run.state === 'queued',
    resume: (run.state === 'cancelled' || run.state === 'failed') && run.checkpoints.length > 0,
  };
}

export const TRAIN_STATE_TONE: Record<TrainRun['state'], string> = {
  queued: 'neutral',
  running: 'active',
  succeeded: 'good',
  failed: 'bad',
  cancelled: 'mild',
};
