import { describe, expect, it } from 'vitest';
import { co2, integrateKwh, startEnergyMeter } from '../../../src/main/core/training/energy';

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

  it('says "not measured" rather than inventing a number when no sensor is readable', async () => {
    const e = await startEnergyMeter({ pue: 1, carbonIntensity: 0.4 }).stop();
    if (!e.measured) {
      expect(e.kwh).toBeNull();
      expect(e.co2Kg).toBeNull();
      expect(e.method).toMatch(/^not measured/);
    } else expect(e.kwh).toBeGreaterThanOrEqual(0);
  });
});
