// Energy of a training run: GPU power from nvidia-smi (NVML underneath) sampled once a second
// and integrated (trapezoid) to kWh, plus the CPU package from RAPL where readable. Without a
// readable sensor the run says "not measured" rather than inventing a number — except for the
// CPU, where (as codecarbon does) an unreadable RAPL falls back to a stated estimate: a constant
// 0.5 × TDP, labelled "estimated from TDP", never "measured". The GPU has no such fallback.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
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

/** Default CPU TDP when none is configured: 15 W per logical core (override: SRLAB_CPU_TDP_W). */
export const DEFAULT_TDP_W_PER_CORE = 15;
/** codecarbon's CPU fallback: a constant half of TDP. */
export const TDP_LOAD_FRACTION = 0.5;

/** The CPU TDP to estimate with, and where it came from (for the label). */
export function cpuTdp(
  env: NodeJS.ProcessEnv = process.env,
  cores: number = os.cpus().length,
): { watts: number; source: string } {
  const set = Number.parseFloat(env.SRLAB_CPU_TDP_W ?? '');
  if (Number.isFinite(set) && set > 0) return { watts: set, source: 'SRLAB_CPU_TDP_W' };
  const n = Math.max(1, cores);
  return { watts: DEFAULT_TDP_W_PER_CORE * n, source: `default ${DEFAULT_TDP_W_PER_CORE} W/core × ${n} cores` };
}

/** Estimated CPU energy in kWh: 0.5 × TDP held constant for the run. */
export function estimateCpuKwh(seconds: number, tdpWatts: number): number {
  return (TDP_LOAD_FRACTION * tdpWatts * Math.max(0, seconds)) / 3.6e6;
}

/** Combine the parts into the stored energy record; labels say what was measured and what was estimated. */
export function summarise(p: {
  gpuKwh: number | null;
  cpuKwh: number | null;
  cpuEstimated: boolean;
  tdp: { watts: number; source: string } | null;
  pue: number;
  carbonIntensity: number;
  seconds: number;
}): TrainEnergy {
  const cpuLabel =
    p.cpuKwh === null
      ? 'CPU: not measured (no readable RAPL)'
      : p.cpuEstimated && p.tdp
        ? `CPU: estimated from TDP (${TDP_LOAD_FRACTION} × ${p.tdp.watts} W, ${p.tdp.source}; RAPL unreadable)`
        : 'CPU: RAPL package';
  const gpuLabel =
    p.gpuKwh !== null ? 'GPU: nvidia-smi power.draw, 1 s samples' : 'GPU: not measured (no NVML/nvidia-smi)';
  // `measured` means a sensor was read; an estimate alone never makes a run "measured".
  const measured = p.gpuKwh !== null || (p.cpuKwh !== null && !p.cpuEstimated);
  const raw = p.gpuKwh === null && p.cpuKwh === null ? null : (p.gpuKwh ?? 0) + (p.cpuKwh ?? 0);
  const { kwh, co2Kg } = co2(raw, p.pue, p.carbonIntensity);
  const method =
    raw === null
      ? 'not measured: no NVML/nvidia-smi and no readable RAPL on this machine'
      : `${measured ? '' : 'not measured, estimate only: '}${gpuLabel} + ${cpuLabel}`;
  return {
    measured,
    method,
    gpuKwh: p.gpuKwh,
    cpuKwh: p.cpuKwh,
    kwh,
    pue: p.pue,
    carbonIntensity: p.carbonIntensity,
    co2Kg,
    seconds: p.seconds,
  };
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

/** cpuEstimate: false turns the TDP fallback off (then an unreadable RAPL is "not measured"). */
export function startEnergyMeter(opts: { pue: number; carbonIntensity: number; cpuEstimate?: boolean }): EnergyMeter {
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
      const tdp = cpuKwh === null && opts.cpuEstimate !== false ? cpuTdp() : null;
      const cpuEstimated = tdp !== null;
      if (tdp) cpuKwh = estimateCpuKwh(seconds, tdp.watts);
      return summarise({
        gpuKwh,
        cpuKwh,
        cpuEstimated,
        tdp,
        pue: opts.pue,
        carbonIntensity: opts.carbonIntensity,
        seconds,
      });
    },
  };
}
