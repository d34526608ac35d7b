import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTinyModel } from '../../../scripts/make-tiny-gguf.js';
import { inspectGguf } from '../../../src/main/core/llm/gguf';
import { createLlamaRuntime } from '../../../src/main/core/llm/runtime';
import { tempDir } from '../../helpers';
import { tinyModelFiles } from './tiny-model';

const runtime = createLlamaRuntime({ gpu: false });
afterAll(() => runtime.close());

describe('preflight before loading', () => {
  it('lets the tiny model load on the CPU, with the trained context and the configured threads', async () => {
    const p = await runtime.preflight('tiny', await inspectGguf(tinyModelFiles().model), {});
    expect(p).toMatchObject({
      fits: true,
      reason: null,
      gpu: null,
      gpuLayers: 0,
      contextSize: 2048,
      sequences: 1,
      threads: 1,
    });
    expect(p.totalLayers).toBe(3);
    expect(p.estimate.ramBytes).toBeGreaterThan(900_000);
    expect(p.estimate.ramBytes).toBeLessThan(p.free.ramBytes);
  });

  it('refuses a 70B-shaped model this machine cannot hold, and says how much it needs', async () => {
    // A real GGUF header over a sparse file: 274 GB on paper, no disk used.
    const file = path.join(tempDir(), 'huge.gguf');
    writeTinyModel(file, { huge: true });
    const p = await runtime.preflight('huge', await inspectGguf(file), {});
    expect(p.fits).toBe(false);
    expect(p.estimate.ramBytes + p.estimate.vramBytes).toBeGreaterThan(200e9);
    expect(p.reason).toMatch(/huge needs about \d+(\.\d)? GB of RAM .*; .* is free\. Use a smaller quantization/);
  });

  it('refuses to open a model that does not fit, before touching llama.cpp', async () => {
    const file = path.join(tempDir(), 'huge.gguf');
    writeTinyModel(file, { huge: true });
    await expect(runtime.open({ name: 'huge', gguf: await inspectGguf(file), load: {} })).rejects.toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/^srlab will not load huge: huge needs about/),
    });
  });

  const refusals: [string, () => Promise<{ file: string; load: object }>, RegExp][] = [
    [
      'a context longer than the model was trained on',
      async () => ({ file: tinyModelFiles().model, load: { contextSize: 100_000 } }),
      /a context of 100000 tokens was asked for, but x was trained on 2048/,
    ],
    [
      'a LoRA adapter given as the model',
      async () => ({ file: tinyModelFiles().adapter, load: {} }),
      /x is a LoRA adapter, not a model/,
    ],
  ];
  it.each(refusals)('refuses %s', async (_label, setup, reason) => {
    const { file, load } = await setup();
    const p = await runtime.preflight('x', await inspectGguf(file), load);
    expect(p.fits).toBe(false);
    expect(p.reason).toMatch(reason);
  });

  it('reports the hardware it will use', async () => {
    const h = await runtime.hardware();
    expect(h).toMatchObject({ gpu: null, gpuNames: [], vram: null, threads: 1 });
    expect(h.ram.total).toBeGreaterThan(h.ram.free);
    expect(h.cpuCores).toBeGreaterThanOrEqual(1);
  });
});
