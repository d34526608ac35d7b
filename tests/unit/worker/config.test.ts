import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/contract';
import { loadPresets, parseSetting, resolveConfig } from '../../../src/main/core/training/config';

describe('training presets and settings', () => {
  it('ships the SR_LLM paper preset with the authors parameter names and values', () => {
    const paper = loadPresets().find((p) => p.name === 'srllm-paper')!;
    expect(paper.config).toMatchObject({
      use_4bit: true,
      bnb_4bit_quant_type: 'nf4',
      bnb_4bit_compute_dtype: 'float16',
      use_nested_quant: true,
      lora_r: 64,
      lora_alpha: 16,
      lora_dropout: 0.2,
      num_train_epochs: 1,
      per_device_train_batch_size: 16,
      per_device_eval_batch_size: 8,
      learning_rate: 2e-4,
      lr_scheduler_type: 'constant',
      warmup_ratio: 0.03,
      weight_decay: 0.001,
      max_grad_norm: 0.3,
      optimizer: 'paged_adamw_32bit',
      max_seq_length: 1024,
      save_steps: 25,
      early_stopping_patience: 3,
    });
  });

  it.each([
    ['lora_r=8', ['lora_r', 8]],
    ['use_4bit=false', ['use_4bit', false]],
    ['learning_rate=3e-3', ['learning_rate', 0.003]],
    ['lora_target_modules=q_proj, v_proj', ['lora_target_modules', ['q_proj', 'v_proj']]],
    ['optimizer=adamw_torch', ['optimizer', 'adamw_torch']],
  ])('parses --set %s', (raw, expected) => {
    expect(parseSetting(raw)).toEqual(expected);
  });

  it('reports every bad override at once', () => {
    try {
      resolveConfig('srllm-paper', { lora_r: 0, lora_dropout: 3, bogus: 1, optimizer: 'sgd' });
      throw new Error('expected invalid input');
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).kind).toBe('invalid-input');
      expect((err as ApiError).issues!.map((i) => i.path).sort()).toEqual([
        'bogus',
        'lora_dropout',
        'lora_r',
        'optimizer',
      ]);
    }
  });
});
