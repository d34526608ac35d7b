// Energy of a training run: GPU power from nvidia-smi (NVML underneath) sampled once a second
// and integrated (trapezoid) to kWh, plus the CPU package from RAPL where readable. Without a
// readable sensor the run says "not measured" rather than inventing a number.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { TrainEnergy } from '../../../shared/contracts/training';

const SAMPLE_MS = 1000;
const RAPL = '/sys/class/powercap/intel-rapl:0';

function gpuWatts(): Promise<number | null> {
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=power.draw', '--format=csv,noheader,nounits'],
      { timeout: 3000 },
      (err, out) => {
        if (err) return resolve(null);
        const watts = out
          .split('\n')
          .map((l) => Number.parseFloat(l))
          .filter((w) => Number.isFinite(w));
        resolve(watts.length ? watts.reduce((a, b) => a + b, 0) : null);
      },
    );
  });
}

function raplMicroJoules(): { uj: number; max: number } | null {
  try {
    return {
      uj: Number(fs.readFileSync(`${RAPL}/energy_uj`, 'utf8')),
      max: Number(fs.readFileSync(`${RAPL}/max_energy_range_uj`, 'utf8')),
    };
  } catch {
    return null;
  }
}

export interface EnergyMeter {
  stop(): Promise<TrainEnergy>;
}

/** kWh × PUE × intensity; null in, null out. */
export function co2(kwh: number | null, pue: number, intensity: number): { kwh: number | null; co2Kg: number | null } {
  if (kwh === null) return { kwh: null, co2Kg: null };
  return { kwh: kwh * pue, co2Kg: kwh * pue * intensity };
}

/** Trapezoid integral of [ms, watts] samples, in kWh. */
export function integrateKwh(samples: [number, number][]): number {
  let joules = 0;
  for (let i = 1; i < samples.length; i++) {
    const [t0, w0] = samples[i - 1]!;
    const [t1, w1] = samples[i]!;
    joules += ((w0 + w1) / 2) * ((t1 - t0) / 1000);
  }
  return joules / 3.6e6;
}

export function startEnergyMeter(opts: { pue: number; carbonIntensity: number }): EnergyMeter {
  const t0 = Date.now();
  const gpu: [number, number][] = [];
  let gpuReadable = true;
  const rapl0 = raplMicroJoules();
  let busy = false;
  const sample = async () => {
    if (!gpuReadable || busy) return;
    busy = true;
    const w = await gpuWatts();
    busy = false;
    if (w === null && gpu.length === 0) gpuReadable = false;
    else if (w !== null) gpu.push([Date.now(), w]);
  };
  void sample();
  const timer = setInterval(() => void sample(), SAMPLE_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await sample();
      const seconds = (Date.now() - t0) / 1000;
      const gpuKwh = gpu.length >= 2 ? integrateKwh(gpu) : null;
      const rapl1 = raplMicroJoules();
      let cpuKwh: number | null = null;
      if (rapl0 && rapl1) {
        const uj = rapl1.uj >= rapl0.uj ? rapl1.uj - rapl0.uj : rapl1.max - rapl0.uj + rapl1.uj; // counter wrapped
        cpuKwh = uj / 1e6 / 3.6e6;
      }
      const parts = [
        gpuKwh !== null ? 'GPU: nvidia-smi power.draw, 1 s samples' : null,
        cpuKwh !== null ? 'CPU: RAPL package' : null,
      ].filter(Boolean);
      const measured = parts.length > 0;
      const raw = measured ? (gpuKwh ?? 0) + (cpuKwh ?? 0) : null;
      const { kwh, co2Kg } = co2(raw, opts.pue, opts.carbonIntensity);
      return {
        measured,
        method: measured ? parts.join(' + ') : 'not measured: no NVML/nvidia-smi and no readable RAPL on this machine',
        gpuKwh,
        cpuKwh,
        kwh,
        pue: opts.pue,
        carbonIntensity: opts.carbonIntensity,
        co2Kg,
        seconds,
      };
    },
  };
}
