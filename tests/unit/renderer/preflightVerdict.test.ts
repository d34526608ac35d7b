import { describe, expect, test } from 'vitest';
import type { Hardware, Preflight } from '../../../src/shared/contracts/llm';
import { fitsRoughly, hardwareSummary, placementOf, preflightVerdict } from '../../../src/renderer/src/lib/preflight';

const GB = 1e9;

function preflight(patch: Partial<Preflight> = {}): Preflight {
  return {
    model: 'm',
    fits: true,
    reason: null,
    gpu: null,
    gpuLayers: 0,
    totalLayers: 33,
    contextSize: 4096,
    sequences: 1,
    threads: 8,
    estimate: { vramBytes: 0, ramBytes: 5 * GB },
    free: { vramBytes: 0, ramBytes: 20 * GB },
    ...patch,
  };
}

describe('where the layers go', () => {
  test.each([
    [{ gpu: null, gpuLayers: 0 }, 'cpu'],
    [{ gpu: 'cuda', gpuLayers: 0 }, 'cpu'],
    [{ gpu: 'cuda', gpuLayers: 20 }, 'split'],
    [{ gpu: 'cuda', gpuLayers: 33 }, 'gpu'],
  ] as const)('%o is %s', (p, placement) => {
    expect(placementOf({ totalLayers: 33, ...p })).toBe(placement);
  });
});

describe('preflightVerdict', () => {
  test('a CPU-only fit shows RAM only and says there is no GPU', () => {
    const v = preflightVerdict(preflight());
    expect(v.fits).toBe(true);
    expect(v.tone).toBe('good');
    expect(v.headline).toBe('Fits: CPU only (no GPU)');
    expect(v.reason).toBeNull();
    expect(v.memory.map((m) => m.label)).toEqual(['RAM']);
    expect(v.memory[0]!.fraction).toBeCloseTo(0.25);
    expect(v.settings).toContainEqual({ label: 'Context', value: '4,096 tokens' });
    expect(v.settings).toContainEqual({ label: 'GPU layers', value: '0 of 33' });
  });

  test('a full GPU offload names the backend and shows VRAM need against VRAM free', () => {
    const v = preflightVerdict(
      preflight({
        gpu: 'cuda',
        gpuLayers: 33,
        estimate: { vramBytes: 6 * GB, ramBytes: 1 * GB },
        free: { vramBytes: 24 * GB, ramBytes: 60 * GB },
      }),
    );
    expect(v.headline).toBe('Fits: all 33 layers on the CUDA GPU');
    expect(v.memory.map((m) => m.label)).toEqual(['VRAM', 'RAM']);
    expect(v.memory[0]!.text).toBe('6.0 GB needed · 24 GB free');
    expect(v.memory.every((m) => !m.over)).toBe(true);
  });

  test('a partial offload says how many layers stay on the CPU', () => {
    expect(preflightVerdict(preflight({ gpu: 'vulkan', gpuLayers: 20 })).headline).toBe(
      'Fits: 20 of 33 layers on the Vulkan GPU, the rest on the CPU',
    );
  });

  test('a load that does not fit carries the server’s reason and marks the memory that is short', () => {
    const reason = 'm needs about 48 GB of RAM; 20 GB is free. Use a smaller quantization';
    const v = preflightVerdict(preflight({ fits: false, reason, estimate: { vramBytes: 0, ramBytes: 48 * GB } }));
    expect(v.fits).toBe(false);
    expect(v.tone).toBe('bad');
    expect(v.headline).toBe('Does not fit: srlab will refuse this load');
    expect(v.reason).toBe(reason);
    expect(v.memory[0]!.over).toBe(true);
    expect(v.memory[0]!.fraction).toBe(1);
  });

  test('a refusal without a reason still says something', () => {
    expect(preflightVerdict(preflight({ fits: false, reason: null })).reason).toBe('the server gave no reason');
  });
});

describe('hardware', () => {
  const cpu: Hardware = {
    gpu: null,
    gpuNames: [],
    vram: null,
    ram: { total: 32 * GB, free: 20 * GB },
    cpuCores: 8,
    threads: 1,
  };
  const gpu: Hardware = { ...cpu, gpu: 'cuda', gpuNames: ['NVIDIA H100'], vram: { total: 80 * GB, free: 79 * GB } };

  test('one line about the machine, singular where it is one', () => {
    expect(hardwareSummary(cpu)).toBe(
      'no GPU: inference on the CPU · 20 GB of 32 GB RAM free · 8 cores, 1 thread used',
    );
    expect(hardwareSummary(gpu)).toContain('CUDA GPU (NVIDIA H100) · 79 GB of 80 GB VRAM free');
  });

  test('a recommended model roughly fits when its memory is free (VRAM with a GPU, else RAM)', () => {
    expect(fitsRoughly(6.6 * GB, cpu)).toBe(true);
    expect(fitsRoughly(40 * GB, cpu)).toBe(false);
    expect(fitsRoughly(40 * GB, gpu)).toBe(true);
    expect(fitsRoughly(1, null)).toBeNull();
  });
});
