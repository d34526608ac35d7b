// The preflight verdict as the Models area shows it: fits or not (with the server's reason),
// where the layers go, and memory needed against memory free. Pure.
import type { Hardware, Preflight } from '../../../shared/contracts/llm';
import { formatBytes, formatCount } from './format';

export type Placement = 'gpu' | 'split' | 'cpu';

export interface MemoryRow {
  label: 'VRAM' | 'RAM';
  need: number;
  free: number;
  /** need / free, clamped to 0..1 for a bar; null when nothing is free (no such memory). */
  fraction: number | null;
  over: boolean;
  text: string;
}

export interface PreflightVerdict {
  fits: boolean;
  tone: 'good' | 'bad';
  headline: string;
  reason: string | null;
  placement: Placement;
  placementText: string;
  memory: MemoryRow[];
  settings: { label: string; value: string }[];
}

/** "1 thread", "4 threads". */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

const GPU_NAMES = { cuda: 'CUDA', vulkan: 'Vulkan', metal: 'Metal' } as const;

export function placementOf(p: Pick<Preflight, 'gpu' | 'gpuLayers' | 'totalLayers'>): Placement {
  if (!p.gpu || p.gpuLayers <= 0) return 'cpu';
  return p.gpuLayers >= p.totalLayers ? 'gpu' : 'split';
}

function placementText(p: Preflight): string {
  const placement = placementOf(p);
  if (placement === 'cpu')
    return p.gpu ? `CPU only (no layers offloaded to the ${GPU_NAMES[p.gpu]} GPU)` : 'CPU only (no GPU)';
  const gpu = GPU_NAMES[p.gpu!];
  if (placement === 'gpu') return `all ${p.totalLayers} layers on the ${gpu} GPU`;
  return `${p.gpuLayers} of ${p.totalLayers} layers on the ${gpu} GPU, the rest on the CPU`;
}

function memoryRow(label: 'VRAM' | 'RAM', need: number, free: number): MemoryRow {
  return {
    label,
    need,
    free,
    fraction: free > 0 ? Math.min(1, Math.max(0, need / free)) : null,
    over: need > free,
    text: `${formatBytes(need)} needed · ${formatBytes(free)} free`,
  };
}

export function preflightVerdict(p: Preflight): PreflightVerdict {
  const memory: MemoryRow[] = [];
  // VRAM only matters when a GPU backend is loaded (or when a load would need some anyway).
  if (p.gpu || p.estimate.vramBytes > 0) memory.push(memoryRow('VRAM', p.estimate.vramBytes, p.free.vramBytes));
  memory.push(memoryRow('RAM', p.estimate.ramBytes, p.free.ramBytes));
  const where = placementText(p);
  return {
    fits: p.fits,
    tone: p.fits ? 'good' : 'bad',
    headline: p.fits ? `Fits: ${where}` : 'Does not fit: srlab will refuse this load',
    reason: p.fits ? null : (p.reason ?? 'the server gave no reason'),
    placement: placementOf(p),
    placementText: where,
    memory,
    settings: [
      { label: 'GPU layers', value: `${formatCount(p.gpuLayers)} of ${formatCount(p.totalLayers)}` },
      { label: 'Context', value: `${formatCount(p.contextSize)} tokens` },
      { label: 'Sequences', value: formatCount(p.sequences) },
      { label: 'Threads', value: formatCount(p.threads) },
    ],
  };
}

/** One line about the machine: GPU backend and names, VRAM, RAM, cores. */
export function hardwareSummary(h: Hardware): string {
  const parts: string[] = [];
  if (h.gpu) {
    const names = h.gpuNames.length ? ` (${h.gpuNames.join(', ')})` : '';
    parts.push(`${GPU_NAMES[h.gpu]} GPU${names}`);
    if (h.vram) parts.push(`${formatBytes(h.vram.free)} of ${formatBytes(h.vram.total)} VRAM free`);
  } else parts.push('no GPU: inference on the CPU');
  parts.push(`${formatBytes(h.ram.free)} of ${formatBytes(h.ram.total)} RAM free`);
  parts.push(`${plural(h.cpuCores, 'core')}, ${plural(h.threads, 'thread')} used`);
  return parts.join(' · ');
}

/** Recommended models that would fit the memory this machine has free (VRAM when a GPU is used, else RAM). */
export function fitsRoughly(approxMemoryBytes: number, h: Hardware | null): boolean | null {
  if (!h) return null;
  const free = h.gpu && h.vram ? Math.max(h.vram.free, h.ram.free) : h.ram.free;
  return approxMemoryBytes <= free;
}
