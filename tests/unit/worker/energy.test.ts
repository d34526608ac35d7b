import { describe, expect, it } from 'vitest';
import {
  co2,
  cpuTdp,
  estimateCpuKwh,
  integrateKwh,
  startEnergyMeter,
  summarise,
} from '../../../src/main/core/training/energy';

describe('training energy', () => {
  it.each([
    {
      samples: [
        [0, 100],
        [3_600_000, 100],
      ] as [number, number][],
      kwh: 0.1,
    },
    {
      samples: [
        [0, 0],
        [1_800_000, 200],
        [3_600_000, 0],
      ] as [number, number][],
      kwh: 0.1,
    },
    { samples: [[0, 250]] as [number, number][], kwh: 0 },
  ])('integrates power samples to kWh (trapezoid): $kwh kWh', ({ samples, kwh }) => {
    expect(integrateKwh(samples)).toBeCloseTo(kwh, 9);
  });

  it('applies PUE and carbon intensity as the paper does (0.53 kWh → 0.21 kgCO2e at 0.4)', () => {
    expect(co2(0.53, 1, 0.4).co2Kg).toBeCloseTo(0.212, 6);
    expect(co2(1, 1.5, 0.4)).toEqual({ kwh: 1.5, co2Kg: 0.6000000000000001 });
    expect(co2(null, 1, 0.4)).toEqual({ kwh: null, co2Kg: null });
  });

  it('says "not measured" rather than inventing a number when no sensor is readable and the estimate is off', async () => {
    const e = await startEnergyMeter({ pue: 1, carbonIntensity: 0.4, cpuEstimate: false }).stop();
    if (!e.measured) {
      expect(e.kwh).toBeNull();
      expect(e.co2Kg).toBeNull();
      expect(e.method).toMatch(/^not measured/);
    } else expect(e.kwh).toBeGreaterThanOrEqual(0);
  });

  it('estimates CPU energy as a constant 0.5 × TDP (codecarbon): 100 W TDP for 1 h = 0.05 kWh', () => {
    expect(estimateCpuKwh(3600, 100)).toBeCloseTo(0.05, 12);
    expect(estimateCpuKwh(0, 100)).toBe(0);
    expect(estimateCpuKwh(-5, 100)).toBe(0);
    expect(estimateCpuKwh(7200, 30)).toBeCloseTo(0.03, 12);
  });

  it('takes the TDP from SRLAB_CPU_TDP_W, else 15 W per core', () => {
    expect(cpuTdp({ SRLAB_CPU_TDP_W: '65' }, 8)).toEqual({ watts: 65, source: 'SRLAB_CPU_TDP_W' });
    expect(cpuTdp({}, 8).watts).toBe(120);
    expect(cpuTdp({ SRLAB_CPU_TDP_W: 'abc' }, 2).watts).toBe(30);
    expect(cpuTdp({ SRLAB_CPU_TDP_W: '-1' }, 0).watts).toBe(15);
  });

  it('labels a TDP estimate as an estimate, never as measured; GPU stays "not measured"', () => {
    const tdp = { watts: 120, source: 'default' };
    const e = summarise({
      gpuKwh: null,
      cpuKwh: 0.06,
      cpuEstimated: true,
      tdp,
      pue: 1.5,
      carbonIntensity: 0.4,
      seconds: 3600,
    });
    expect(e.measured).toBe(false);
    expect(e.kwh).toBeCloseTo(0.09, 12);
    expect(e.co2Kg).toBeCloseTo(0.036, 12);
    expect(e.method).toMatch(/^not measured, estimate only/);
    expect(e.method).toContain('CPU: estimated from TDP (0.5 × 120 W');
    expect(e.method).toContain('GPU: not measured');
    expect(e.method).not.toMatch(/CPU: (RAPL|measured)/);
  });

  it('keeps a measured GPU "measured" and says which part is estimated', () => {
    const tdp = { watts: 60, source: 'SRLAB_CPU_TDP_W' };
    const e = summarise({
      gpuKwh: 0.5,
      cpuKwh: 0.03,
      cpuEstimated: true,
      tdp,
      pue: 1,
      carbonIntensity: 0.4,
      seconds: 3600,
    });
    expect(e.measured).toBe(true);
    expect(e.kwh).toBeCloseTo(0.53, 12);
    expect(e.co2Kg).toBeCloseTo(0.212, 12);
    expect(e.method).toBe(
      'GPU: nvidia-smi power.draw, 1 s samples + CPU: estimated from TDP (0.5 × 60 W, SRLAB_CPU_TDP_W; RAPL unreadable)',
    );
    const rapl = summarise({
      gpuKwh: null,
      cpuKwh: 0.01,
      cpuEstimated: false,
      tdp: null,
      pue: 1,
      carbonIntensity: 0.4,
      seconds: 60,
    });
    expect(rapl.measured).toBe(true);
    expect(rapl.method).toContain('CPU: RAPL package');
    const none = summarise({
      gpuKwh: null,
      cpuKwh: null,
      cpuEstimated: false,
      tdp: null,
      pue: 1,
      carbonIntensity: 0.4,
      seconds: 60,
    });
    expect(none).toMatchObject({ measured: false, kwh: null, co2Kg: null });
    expect(none.method).toMatch(/^not measured/);
  });

  it('falls back to the TDP estimate on a machine without readable sensors', async () => {
    const e = await startEnergyMeter({ pue: 1, carbonIntensity: 0.4 }).stop();
    expect(e.cpuKwh).not.toBeNull();
    if (!e.measured) expect(e.method).toContain('estimated from TDP');
  });
});
