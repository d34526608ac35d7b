import { describe, expect, test } from 'vitest';
import type { TrainConfig, TrainPreflight } from '../../../src/shared/contracts/training';
import {
  formatParams,
  preflightInput,
  preflightKey,
  preflightView,
} from '../../../src/renderer/src/lib/trainPreflight';
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
  tokens: { total: 45_000, mean: 450, max: 1200, estimated: true, method: 'characters / 4' },
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
