import { describe, expect, test } from 'vitest';
import type { TrainConfig, TrainMetric, TrainRun } from '../../../src/shared/contracts/training';
import {
  addMetric,
  downsample,
  durationSeconds,
  etaSeconds,
  extent,
  formatDuration,
  latestTokensPerSecond,
  lineLayout,
  plannedSteps,
  seriesOf,
  trainActions,
  upsertTrainRun,
  type Point,
} from '../../../src/renderer/src/lib/trainSeries';

const frame = { width: 200, height: 100, margin: { top: 0, right: 0, bottom: 0, left: 0 } };
const m = (
  step: number,
  split: 'train' | 'eval',
  loss: number,
  lr: number | null = 2e-4,
  tps: number | null = null,
): TrainMetric => ({
  step,
  split,
  loss,
  lr,
  gradNorm: null,
  tokensPerSecond: tps,
  at: '2026-01-01T00:00:00Z',
});
const config = {
  use_4bit: true,
  precision: 'auto',
  lora_r: 64,
  per_device_train_batch_size: 16,
  gradient_accumulation_steps: 1,
  num_train_epochs: 1,
  max_steps: -1,
  max_seq_length: 1024,
} as TrainConfig;

describe('metrics', () => {
  test('addMetric appends, replaces the same step+split, and keeps step order', () => {
    let list: TrainMetric[] = [];
    list = addMetric(list, m(1, 'train', 3));
    list = addMetric(list, m(3, 'train', 2.5));
    list = addMetric(list, m(2, 'train', 2.8));
    list = addMetric(list, m(2, 'eval', 2.9));
    list = addMetric(list, m(3, 'train', 2.4));
    expect(list.map((x) => `${x.step}${x.split[0]}:${x.loss}`)).toEqual(['1t:3', '2e:2.9', '2t:2.8', '3t:2.4']);
  });
  test('seriesOf splits train loss, eval loss and LR, skipping non-finite', () => {
    const s = seriesOf([m(1, 'train', 3, 1e-4), m(2, 'train', NaN), m(2, 'eval', 2.5, null), m(3, 'train', 2, null)]);
    expect(s.trainLoss).toEqual([
      { x: 1, y: 3 },
      { x: 3, y: 2 },
    ]);
    expect(s.evalLoss).toEqual([{ x: 2, y: 2.5 }]);
    expect(s.lr).toEqual([{ x: 1, y: 1e-4 }]);
  });
  test('latestTokensPerSecond takes the last train figure', () => {
    expect(
      latestTokensPerSecond([m(1, 'train', 1, null, 100), m(2, 'train', 1, null, 120), m(2, 'eval', 1, null, 999)]),
    ).toBe(120);
    expect(latestTokensPerSecond([])).toBeNull();
  });
});

describe('downsample and extent', () => {
  const pts: Point[] = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: Math.sin(i / 10) + (i === 500 ? 10 : 0) }));
  test('short series are kept as they are', () => {
    expect(downsample(pts.slice(0, 10), 50)).toEqual(pts.slice(0, 10));
  });
  test('long series shrink to at most max, keep first, last and the spike, in x order', () => {
    const d = downsample(pts, 100);
    expect(d.length).toBeLessThanOrEqual(100);
    expect(d[0]).toEqual(pts[0]);
    expect(d[d.length - 1]).toEqual(pts[999]);
    expect(d.some((p) => p.x === 500)).toBe(true);
    for (let i = 1; i < d.length; i++) expect(d[i]!.x).toBeGreaterThan(d[i - 1]!.x);
  });
  test('extent over several series; null when empty', () => {
    expect(
      extent([
        [{ x: 1, y: 3 }],
        [
          { x: 5, y: -1 },
          { x: 2, y: NaN },
        ],
      ]),
    ).toEqual([-1, 3]);
    expect(extent([[{ x: 1, y: 3 }], [{ x: 5, y: -1 }]], 'x')).toEqual([1, 5]);
    expect(extent([[], []])).toBeNull();
  });
});

describe('lineLayout', () => {
  test('maps steps to the width (up to the planned total) and loss to the height', () => {
    const l = lineLayout(
      [
        [
          { x: 0, y: 2 },
          { x: 10, y: 1 },
        ],
      ],
      frame,
      { xMax: 20 },
    );
    expect(l.x(20)).toBe(200);
    expect(l.dots[0]![0]!.y).toBeLessThan(l.dots[0]![1]!.y === 100 ? 100 : 101);
    expect(l.paths[0]).toMatch(/^M0,/);
  });
  test('a flat or single-point series still gets a usable y domain', () => {
    const l = lineLayout([[{ x: 3, y: 2 }]], frame);
    const [lo, hi] = l.y.domain();
    expect(lo!).toBeLessThan(2);
    expect(hi!).toBeGreaterThan(2);
  });
  test('empty series give empty paths', () => {
    expect(lineLayout([[], []], frame).paths).toEqual(['', '']);
  });
});

describe('planning', () => {
  test.each([
    [160, {}, 10],
    [161, {}, 11],
    [160, { gradient_accumulation_steps: 2 }, 5],
    [160, { num_train_epochs: 2.5 }, 25],
    [160, { max_steps: 7 }, 7],
  ])('%i examples with %j → %i steps', (examples, patch, steps) => {
    expect(plannedSteps(examples, { ...config, ...patch } as TrainConfig)).toBe(steps);
  });
  test('two devices halve the steps', () => expect(plannedSteps(160, config, 2)).toBe(5));
  test('ETA from the step rate; null until a step is done or when not running', () => {
    expect(etaSeconds({ step: 10, totalSteps: 40, state: 'running' }, 20)).toBe(60);
    expect(etaSeconds({ step: 0, totalSteps: 40, state: 'running' }, 20)).toBeNull();
    expect(etaSeconds({ step: 10, totalSteps: 40, state: 'succeeded' }, 20)).toBeNull();
    expect(durationSeconds(1000, 50)).toBe(20);
    expect(durationSeconds(1000, null)).toBeNull();
  });
  test.each([
    [null, '–'],
    [42, '42 s'],
    [200, '3 min 20 s'],
    [3900, '1 h 05 min'],
  ])('formatDuration(%s) = %s', (s, text) => expect(formatDuration(s)).toBe(text));
});

describe('runs', () => {
  const run = (patch: Partial<TrainRun>): TrainRun =>
    ({ id: 1, state: 'running', step: 5, jobId: 1, checkpoints: [] as TrainRun['checkpoints'], ...patch }) as TrainRun;
  test('a final state is not replaced by a late running event of the same job', () => {
    const list = [run({ state: 'cancelled' })];
    expect(upsertTrainRun(list, run({ state: 'running', step: 6 }))).toBe(list);
    expect(upsertTrainRun(list, run({ state: 'running', jobId: 2 }))[0]!.jobId).toBe(2);
  });
  test('new runs go first', () => {
    expect(upsertTrainRun([run({})], run({ id: 2 })).map((r) => r.id)).toEqual([2, 1]);
  });
  test('actions', () => {
    expect(trainActions(run({}))).toEqual({ cancel: true, resume: false });
    expect(trainActions(run({ state: 'cancelled' }))).toEqual({ cancel: false, resume: false });
    expect(
      trainActions(
        run({ state: 'failed', checkpoints: [{ step: 2, dir: 'd', trainLoss: 1, evalLoss: null, createdAt: '' }] }),
      ),
    ).toEqual({ cancel: false, resume: true });
  });
});
