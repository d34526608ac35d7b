import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { loadPresets } from '../../../src/main/core/training/config';
import {
  billionsFromName,
  countTokens,
  llamaParams,
  loraParams,
  memoryEstimate,
  parseNvidiaSmi,
  plannedSteps,
  readModelShape,
  trainPreflight,
} from '../../../src/main/core/training/preflight';
import { tempDir } from '../../helpers';

const LLAMA2_7B = { hidden_size: 4096, num_hidden_layers: 32, intermediate_size: 11008, vocab_size: 32000 };
const paper = () => loadPresets().find((p) => p.name === 'srllm-paper')!.config;

describe('parameter counts', () => {
  it('counts Llama-2-7B as 6.74 B parameters and r=64 LoRA on every projection as ~160 M', () => {
    expect(llamaParams({ ...LLAMA2_7B, num_attention_heads: 32 }).total).toBe(6_738_415_616);
    expect(loraParams(LLAMA2_7B, 64, [])).toBe(159_907_840);
    expect(loraParams(LLAMA2_7B, 8, ['q_proj', 'v_proj'])).toBe(8 * (8192 + 8192) * 32);
  });

  it('reads the shape from config.json and refuses one without the four numbers', () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({
        hidden_size: 64,
        num_hidden_layers: 2,
        intermediate_size: 172,
        vocab_size: 320,
        num_attention_heads: 4,
        num_key_value_heads: 2,
        tie_word_embeddings: false,
      }),
    );
    const shape = readModelShape(dir)!;
    // embeddings + lm_head 2·320·64; per layer q,o 64·64, k,v 64·32, MLP 3·64·172; norms 64·5
    expect(llamaParams(shape).total).toBe(2 * 320 * 64 + 2 * (2 * 64 * 64 + 2 * 64 * 32 + 3 * 64 * 172) + 64 * 5);
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ hidden_size: 64 }));
    expect(readModelShape(dir)).toBeNull();
    expect(readModelShape(path.join(dir, 'missing'))).toBeNull();
  });

  it('reads sizes from names', () => {
    expect(billionsFromName('meta-llama/Llama-2-7b-chat-hf')).toBe(7);
    expect(billionsFromName('tiny-350m')).toBeCloseTo(0.35);
    expect(billionsFromName('gpt2')).toBeNull();
  });
});

describe('estimates', () => {
  it('puts the paper preset on a 7B in 4-bit well under a 24 GiB card, and fp32 well over it', () => {
    const cfg = paper();
    const q = memoryEstimate(LLAMA2_7B, cfg, { gpu: true });
    expect(q.weights).toMatch(/4-bit NF4/);
    expect(q.parts.weightsGiB).toBeGreaterThan(3);
    expect(q.parts.weightsGiB).toBeLessThan(5);
    expect(q.totalGiB).toBeLessThan(q.parts.weightsGiB + 20);
    const full = memoryEstimate(LLAMA2_7B, { ...cfg, use_4bit: false, precision: 'float32' }, { gpu: true });
    expect(full.parts.weightsGiB).toBeGreaterThan(24);
    // auto follows the compute dtype, as the worker's precision_plan: fp16 (the paper's), else bf16.
    expect(memoryEstimate(LLAMA2_7B, { ...cfg, use_4bit: false }, { gpu: true }).weights).toBe('float16');
    expect(memoryEstimate(LLAMA2_7B, { ...cfg, use_4bit: false, fp16: false }, { gpu: true }).weights).toBe('bfloat16');
    expect(memoryEstimate(LLAMA2_7B, { ...cfg, use_4bit: false }, { gpu: false }).weights).toBe('float32');
  });

  it('plans steps from epochs and batch, or max_steps', () => {
    const cfg = paper();
    expect(plannedSteps(100, cfg)).toBe(7);
    expect(plannedSteps(100, { ...cfg, num_train_epochs: 2, per_device_train_batch_size: 8 })).toBe(26);
    expect(plannedSteps(100, { ...cfg, max_steps: 24 })).toBe(24);
  });

  it('counts tokens as characters / 4 and truncation past max_seq_length', () => {
    const r = countTokens(['a'.repeat(40), 'b'.repeat(400)], 50);
    expect(r).toMatchObject({ total: 110, max: 100, truncated: 1, kept: 60, mean: 55 });
  });

  it('parses nvidia-smi csv', () => {
    expect(parseNvidiaSmi('0, NVIDIA H100 80GB HBM3, 81559, 80000\n1, NVIDIA A10, 23028, 100\n')).toEqual([
      { index: 0, name: 'NVIDIA H100 80GB HBM3', totalMiB: 81559, freeMiB: 80000 },
      { index: 1, name: 'NVIDIA A10', totalMiB: 23028, freeMiB: 100 },
    ]);
    expect(parseNvidiaSmi('')).toEqual([]);
  });
});

describe('train.preflight on the demo dataset', () => {
  let core: Core;
  let base: string;
  beforeAll(async () => {
    core = await createCore({ home: tempDir(), checkOutputs: true, secretTool: null, runtime: { gpu: false } });
    base = tempDir();
    fs.writeFileSync(
      path.join(base, 'config.json'),
      JSON.stringify({
        hidden_size: 64,
        num_hidden_layers: 2,
        intermediate_size: 172,
        vocab_size: 320,
        num_attention_heads: 4,
      }),
    );
  });
  afterAll(async () => {
    await core.close();
  });

  it('reports examples, skipped, tokens, steps, the base size and a memory estimate through the contract', async () => {
    const r = await core.call('train.preflight', {
      dataset: 'cmd-demo',
      split: 'train',
      base,
      overrides: { use_4bit: false, per_device_train_batch_size: 8, max_seq_length: 256 },
    });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    const p = r.result as import('../../../src/shared/api').Output<'train.preflight'>;
    const stats = await core.invoke('datasets.list', {});
    const demo = stats.datasets.find((d) => d.name === 'cmd-demo')!;
    expect(p.examples + p.skipped).toBe((demo.splits as Record<string, number>).train);
    expect(p.examples).toBeGreaterThan(0);
    expect(p.tokens.estimated).toBe(true);
    expect(p.tokens.total).toBeGreaterThan(p.examples * 100); // the system prompt alone is ~200 tokens
    expect(p.truncated).toBe(p.examples); // every example exceeds 256 estimated tokens
    expect(p.steps).toBe(Math.ceil(p.examples / 8));
    expect(p.model).toMatchObject({ source: 'config.json', hiddenSize: 64, layers: 2, vocabSize: 320 });
    expect(p.memory!.totalGiB).toBeGreaterThan(0);
    expect(p.memory!.note).toMatch(/estimate/);
    if (p.gpu === null) {
      expect(p.gpuNote).toMatch(/no NVIDIA GPU/);
      expect(p.fits).toBeNull();
    }
    expect(p.problems.some((m) => /truncated/.test(m))).toBe(true);
  });

  it('flags 4-bit without a GPU, an unknown base size, and a bad split', async () => {
    const p = await trainPreflight(
      {
        dataset: 'cmd-demo',
        split: 'dev',
        base: 'some-org/mystery-model',
        preset: 'srllm-paper',
        overrides: {},
        exportGguf: true,
        pue: 1,
        carbonIntensity: 0.4,
      },
      { datasets: core.datasets, gpus: async () => [] },
    );
    expect(p.model).toBeNull();
    expect(p.memory).toBeNull();
    expect(p.problems.some((m) => /4-bit/.test(m))).toBe(true);
    const fitted = await trainPreflight(
      {
        dataset: 'cmd-demo',
        split: 'train',
        base: 'meta-llama/Llama-2-7b-hf',
        preset: 'srllm-paper',
        overrides: {},
        exportGguf: true,
        pue: 1,
        carbonIntensity: 0.4,
      },
      { datasets: core.datasets, gpus: async () => [{ index: 0, name: 'Small', totalMiB: 4096, freeMiB: 2048 }] },
    );
    expect(fitted.model?.source).toBe('name');
    expect(fitted.fits).toBe(false);
    expect(fitted.problems.some((m) => /exceeds the free VRAM/.test(m))).toBe(true);
    const bad = await core.call('train.preflight', { dataset: 'cmd-demo', split: 'nope', base });
    expect(bad.ok).toBe(false);
  });
});
