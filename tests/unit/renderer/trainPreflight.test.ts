import { describe, expect, test } from 'vitest';
import type { TrainConfig, TrainPreflight } from '../../../src/shared/contracts/training';
import {
  formatParams,
  preflightInput,
  preflightKey,
  preflightView,
} from '../../../src/renderer/src/areas/training/trainPreflight';
import { plannedSteps } from '../../../src/renderer/src/lib/trainSeries';

const config = {
  max_steps: -1,
  num_train_epochs: 1,
  per_device_train_batch_size: 16,
  gradient_accumulation_steps: 1,
  max_seq_length: 1024,
} as TrainConfig;

const answer: TrainPreflight = {
  examples: 100,
  skipped: 3,
  tokens: {
    total: 45_000,
    mean: 450,
    max: 1200,
    estimated: true,
    method: 'characters / 4',
    basis: 'estimated',
    reason: 'estimated: no worker environment',
    tokenizer: null,
    kept: 44_000,
    trainable: null,
    dropped: null,
  },
  truncated: 2,
  steps: 7,
  trainTokens: 44_000,
  model: { params: 6.738e9, source: 'config.json', loraParams: 1.6e8, hiddenSize: 4096, layers: 32, vocabSize: 32000 },
  memory: {
    weights: '4-bit NF4',
    totalGiB: 12.34,
    parts: { weightsGiB: 3.9, loraGiB: 1.2, optimizerGiB: 1.2, activationsGiB: 5.3, overheadGiB: 0.75 },
    note: 'an estimate',
  },
  gpu: { index: 0, name: 'A10', totalMiB: 24576, freeMiB: 20480 },
  gpuCount: 1,
  gpuNote: '1 NVIDIA GPU',
  fits: true,
  duration: { seconds: 7300, basis: 'estimated', tokensPerSecond: 6, detail: 'from FLOPs: an estimate' },
  problems: [],
};

describe('train preflight helpers', () => {
  test('the input is null until the form is complete and valid; the key follows its value', () => {
    const form = { dataset: 'cmd-demo', split: 'train', base: ' /m ', preset: 'srllm-paper', overrides: {} };
    expect(preflightInput(form)).toEqual({
      dataset: 'cmd-demo',
      split: 'train',
      base: '/m',
      preset: 'srllm-paper',
      overrides: {},
    });
    expect(preflightInput({ ...form, base: '  ' })).toBeNull();
    expect(preflightInput({ ...form, overrides: null })).toBeNull();
    expect(preflightInput({ ...form, preset: null })).toBeNull();
    expect(preflightKey(null)).toBeNull();
    expect(preflightKey(preflightInput(form))).toBe(preflightKey(preflightInput({ ...form })));
    expect(preflightKey(preflightInput(form))).not.toBe(preflightKey(preflightInput({ ...form, split: 'dev' })));
  });

  test('formats parameter counts', () => {
    expect(formatParams(6.738e9)).toBe('6.74 B');
    expect(formatParams(159_907_840)).toBe('159.9 M');
    expect(formatParams(41_300)).toBe('41.3 K');
    expect(formatParams(12)).toBe('12');
  });

  test('shows the answer, with steps following the current config', () => {
    const v = preflightView(answer, config, plannedSteps);
    expect(v.memory).toBe('≈ 12.3 GiB (4-bit NF4)');
    expect(v.memoryTitle).toContain('activations 5.3 GiB');
    expect(v.device).toMatch(/free of/);
    expect(v.examples).toBe('100 (3 skipped)');
    expect(v.tokens).toMatch(/^≈ 45,000 \(mean 450, max 1,200\)$/);
    expect(v.steps).toBe('7');
    expect(preflightView(answer, { ...config, per_device_train_batch_size: 8 }, plannedSteps).steps).toBe('13');
    expect(preflightView(answer, { ...config, max_steps: 24 }, plannedSteps).steps).toBe('24');
    expect(v.model).toMatch(/6\.74 B params \(from config\.json\), LoRA 160\.0 M/);
    expect(v.tokensBadge).toBe('estimated');
    expect(v.tokensTitle).toMatch(/no worker environment/);
    expect(v.duration).toBe('≈ 2 h 2 min');
    expect(v.durationBadge).toBe('estimated');
  });

  test('real token counts, dropped examples and a measured duration', () => {
    const real = preflightView(
      {
        ...answer,
        tokens: { ...answer.tokens, estimated: false, basis: 'tokenizer', trainable: 9000, dropped: 4 },
        duration: { seconds: 42, basis: 'measured', tokensPerSecond: 1000, detail: 'median of 2 runs' },
      },
      config,
      plannedSteps,
    );
    expect(real.tokens).toBe('45,000 (mean 450, max 1,200)');
    expect(real.tokensBadge).toBe('real');
    expect(real.tokensTitle).toMatch(/9,000 trainable/);
    expect(real.truncated).toBe('2 > 1,024 tokens (4 dropped)');
    expect(real.duration).toBe('~42 s');
    const unknown = preflightView(
      { ...answer, duration: { seconds: null, basis: 'unknown', tokensPerSecond: null, detail: 'size unknown' } },
      config,
      plannedSteps,
    );
    expect(unknown.duration).toBe('unknown');
  });

  test('without an answer or a GPU', () => {
    expect(preflightView(null, config, plannedSteps)).toMatchObject({ memory: '–', steps: '–', tokens: '–' });
    expect(preflightView(null, { ...config, max_steps: 24 }, plannedSteps).steps).toBe('24');
    const none = preflightView({ ...answer, gpu: null, gpuCount: 0, memory: null, model: null }, config, plannedSteps);
    expect(none.device).toBe('no NVIDIA GPU');
    expect(none.memory).toBe('–');
    expect(none.model).toMatch(/unknown/);
  });
});
