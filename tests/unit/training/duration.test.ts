// The preflight's rough duration: FLOP formula, GPU table, and the measured median from a real
// SQLite store of earlier runs.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import type { Db } from '../../../src/main/core/db';
import {
  ASSUMED_CPU_FLOPS,
  ASSUMED_UTILISATION,
  durationEstimate,
  flopsPerToken,
  formatFlops,
  gpuPeak,
  measuredThroughput,
  median,
} from '../../../src/main/core/training/duration';
import { trainPreflight } from '../../../src/main/core/training/preflight';
import { createTrainStore } from '../../../src/main/core/training/store';
import type { TrainRun } from '../../../src/shared/contracts/training';
import { formatRoughDuration } from '../../../src/shared/format';
import { tempDir } from '../../helpers';

const base = { trainTokens: 1e9, params: 7e9, processes: 1, use4bit: false, measured: null, device: 'cuda' };

describe('FLOP estimate', () => {
  it('uses 6N for full backprop, 4N for LoRA on a frozen base, + 2N with gradient checkpointing', () => {
    expect(flopsPerToken(7e9, { lora: false })).toBe(42e9);
    expect(flopsPerToken(7e9, { lora: true })).toBe(28e9);
    expect(flopsPerToken(7e9, { lora: true, checkpointing: true })).toBe(42e9);
  });

  it('looks GPUs up by their nvidia-smi names, the specific rows first', () => {
    expect(gpuPeak('NVIDIA H100 80GB HBM3')).toEqual({ name: 'H100 SXM', tflops: 989 });
    expect(gpuPeak('NVIDIA H100 PCIe')).toEqual({ name: 'H100 PCIe', tflops: 756 });
    expect(gpuPeak('NVIDIA H200')?.tflops).toBe(989);
    expect(gpuPeak('NVIDIA A100-SXM4-80GB')?.tflops).toBe(312);
    expect(gpuPeak('NVIDIA L40S')?.name).toBe('L40S');
    expect(gpuPeak('NVIDIA L4')?.name).toBe('L4');
    expect(gpuPeak('NVIDIA GeForce RTX 4090')?.tflops).toBe(165);
    expect(gpuPeak('NVIDIA GeForce RTX 3090')?.tflops).toBe(71);
    expect(gpuPeak('NVIDIA A10')?.tflops).toBe(125);
    expect(gpuPeak('Tesla T4')?.tflops).toBe(65);
    expect(gpuPeak('Tesla V100-SXM2-16GB')?.tflops).toBe(125);
    expect(gpuPeak('Tesla V100-PCIE-32GB')?.tflops).toBe(112);
    expect(gpuPeak('NVIDIA A10G')).toBeNull(); // not in the table, never matched as an A10
    expect(gpuPeak('Radeon')).toBeNull();
  });

  it('divides LoRA FLOPs by the peak × 35% and says it is an estimate', () => {
    const d = durationEstimate({ ...base, gpuName: 'NVIDIA H100 80GB HBM3' });
    expect(d.basis).toBe('estimated');
    expect(d.seconds).toBeCloseTo((4 * 7e9 * 1e9) / (989e12 * ASSUMED_UTILISATION), 6);
    expect(d.tokensPerSecond).toBeCloseTo((989e12 * 0.35) / 28e9, 6);
    expect(d.detail).toMatch(/H100 SXM 989 TFLOP\/s .*35% assumed utilisation/);
    expect(d.detail).toMatch(/not a measurement/);
    // QLoRA recomputes the forward (gradient checkpointing): 6N; two processes halve the time.
    const q = durationEstimate({ ...base, gpuName: 'NVIDIA A100-SXM4-80GB', use4bit: true, processes: 2 });
    expect(q.seconds).toBeCloseTo((6 * 7e9 * 1e9) / (312e12 * 0.35) / 2, 6);
    expect(q.detail).toMatch(/× 2 processes/);
  });

  it('on a CPU says a 7B is impractical and labels the assumed rate', () => {
    const d = durationEstimate({ ...base, gpuName: null, device: 'cpu' });
    expect(d.basis).toBe('estimated');
    expect(d.seconds).toBeCloseTo((28e9 * 1e9) / ASSUMED_CPU_FLOPS, 3);
    expect(d.detail).toMatch(/^no GPU: CPU training of a 7B model is impractical/);
    expect(d.detail).toMatch(/assumed CPU rate/);
  });

  it('is unknown without a size or for a GPU outside the table', () => {
    expect(durationEstimate({ ...base, params: null, gpuName: 'NVIDIA H100' })).toMatchObject({
      seconds: null,
      basis: 'unknown',
    });
    const odd = durationEstimate({ ...base, gpuName: 'NVIDIA A10G' });
    expect(odd).toMatchObject({ seconds: null, basis: 'unknown' });
    expect(odd.detail).toMatch(/not in the GPU table/);
  });

  it('formats durations and takes medians', () => {
    expect(formatRoughDuration(42)).toBe('42 s');
    expect(formatRoughDuration(600)).toBe('10 min');
    expect(formatRoughDuration(7300)).toBe('2 h 2 min');
    expect(formatRoughDuration(3 * 86400)).toBe('3.0 days');
    expect(formatFlops(1.57e15)).toBe('1.57 PFLOP');
    expect(formatFlops(3.21e12)).toBe('3.2 TFLOP');
    expect(formatFlops(4.1e10)).toBe('41 GFLOP');
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('measured throughput from earlier runs', () => {
  let core: Core;
  let db: Db;
  const at = '2026-01-01T00:00:00.000Z';
  function addRun(state: TrainRun['state'], runBase: string, device: string, rates: number[]) {
    const store = createTrainStore(db);
    const id = store.create(at);
    store.save({ id, state, base: runBase, device, jobId: null, finishedAt: at } as TrainRun, null);
    rates.forEach((tps, i) =>
      store.addMetric(id, { step: i + 1, split: 'train', loss: 1, lr: null, gradNorm: null, tokensPerSecond: tps, at }),
    );
    store.addMetric(id, { step: 1, split: 'eval', loss: 1, lr: null, gradNorm: null, tokensPerSecond: 9999, at });
  }
  beforeAll(async () => {
    // The real schema (migrations run at open) in a fresh home.
    core = await createCore({ home: tempDir(), checkOutputs: true, secretTool: null, runtime: { gpu: false } });
    db = core.db;
  });
  afterAll(async () => {
    await core.close();
  });

  it('takes the median over runs of each run’s median, same base and device, succeeded only', async () => {
    addRun('succeeded', '/m/tiny', 'cpu', [100, 1000, 120]); // median 120 (warm-up outlier ignored)
    addRun('succeeded', '/m/tiny', 'cpu', [200, 210]); // median 205
    addRun('succeeded', '/m/tiny', 'cpu', [300]); // median 300
    addRun('failed', '/m/tiny', 'cpu', [5000]);
    addRun('succeeded', '/m/tiny', 'cuda', [7000]);
    addRun('succeeded', '/m/other', 'cpu', [1]);
    expect(measuredThroughput(db, '/m/tiny', 'cpu')).toEqual({ tokensPerSecond: 205, runs: 3 });
    expect(measuredThroughput(db, '/m/tiny', 'cuda')).toEqual({ tokensPerSecond: 7000, runs: 1 });
    expect(measuredThroughput(db, '/m/none', 'cpu')).toBeNull();

    const d = durationEstimate({
      ...base,
      gpuName: null,
      device: 'cpu',
      measured: { tokensPerSecond: 205, runs: 3 },
    });
    expect(d).toMatchObject({ basis: 'measured', tokensPerSecond: 205 });
    expect(d.seconds).toBeCloseTo(1e9 / 205, 6);
    expect(d.detail).toMatch(/median of 3 earlier succeeded runs/);

    // Through the preflight: a base folder with runs recorded here gets the measured basis.
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ hidden_size: 64, num_hidden_layers: 2, intermediate_size: 172, vocab_size: 320 }),
    );
    addRun('succeeded', dir, 'cpu', [400, 500]);
    const input = {
      dataset: 'cmd-demo',
      split: 'train',
      base: dir,
      preset: 'srllm-paper',
      overrides: { use_4bit: false },
      exportGguf: true,
      pue: 1,
      carbonIntensity: 0.4,
    };
    const p = await trainPreflight(input, { datasets: core.datasets, gpus: async () => [], db });
    expect(p.duration).toMatchObject({ basis: 'measured', tokensPerSecond: 450 });
    expect(p.duration.seconds).toBeCloseTo(p.trainTokens / 450, 6);
    expect(p.tokens).toMatchObject({ basis: 'estimated', estimated: true, trainable: null });
    expect(p.tokens.reason).toMatch(/no worker/);
    // Without the store: estimated from FLOPs on the CPU, and said so.
    const e = await trainPreflight(input, { datasets: core.datasets, gpus: async () => [] });
    expect(e.duration.basis).toBe('estimated');
    expect(e.duration.detail).toMatch(/^no GPU/);
  });
});
