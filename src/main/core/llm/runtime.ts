// The local inference runtime: one node-llama-cpp instance per process, created on first use
// (GPU backend auto-detected), a preflight that decides GPU layers and context size from free
// VRAM/RAM and refuses a load that will not fit, and loaded models kept while in use.
import os from 'node:os';
import type { Llama, LlamaContext, LlamaModel } from 'node-llama-cpp';
import { loadNodeLlamaCpp, NODE_LLAMA_CPP_VERSION } from './node-llama-cpp';
import { ApiError } from '../../../shared/contract';
import type { Hardware, LoadOptions, Preflight } from '../../../shared/contracts/llm';
import { humanBytes } from './format';
import type { InspectedGguf } from './gguf';

export type GpuChoice = 'auto' | false | 'cuda' | 'vulkan' | 'metal';

export interface RuntimeOptions {
  /** Default: $SRLAB_GPU (auto, false/cpu, cuda, vulkan, metal), else auto. */
  gpu?: GpuChoice;
  /** Default threads for contexts: $SRLAB_THREADS, else the CPU's math cores. */
  threads?: number;
}

/** A model loaded with a context (and optional LoRA adapter) ready to evaluate. */
export interface Session {
  model: LlamaModel;
  context: LlamaContext;
  preflight: Preflight;
  /** Time spent loading weights and creating the context (0 for weights already loaded). */
  loadMs: number;
  dispose(): Promise<void>;
}

export interface SessionRequest {
  name: string;
  gguf: InspectedGguf;
  load: LoadOptions;
  adapter?: { path: string; scale: number };
}

export interface LlamaRuntime {
  hardware(): Promise<Hardware>;
  preflight(name: string, gguf: InspectedGguf, load: LoadOptions): Promise<Preflight>;
  /** Preflight, then load (or reuse) the model and create a context; refuses loads that do not fit. */
  open(req: SessionRequest): Promise<Session>;
  /** The threads a context gets when none are asked for. */
  defaultThreads(): number;
  readonly version: string;
  close(): Promise<void>;
}

export const DEFAULT_MAX_CONTEXT = 4096;

function envGpu(env: NodeJS.ProcessEnv): GpuChoice {
  const v = env.SRLAB_GPU?.trim().toLowerCase();
  if (!v || v === 'auto') return 'auto';
  if (v === 'false' || v === 'cpu' || v === '0' || v === 'off') return false;
  if (v === 'cuda' || v === 'vulkan' || v === 'metal') return v;
  throw new ApiError('invalid-input', `SRLAB_GPU="${env.SRLAB_GPU}": use auto, cpu, cuda, vulkan or metal`);
}

export function envThreads(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.SRLAB_THREADS?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new ApiError('invalid-input', `SRLAB_THREADS="${raw}" must be a whole number ≥ 1`);
  return n;
}

export { NODE_LLAMA_CPP_VERSION };

export function createLlamaRuntime(opts: RuntimeOptions = {}): LlamaRuntime {
  let llamaPromise: Promise<Llama> | null = null;
  /** Recent llama.cpp messages: quoted in load errors instead of being printed (stdout stays clean for --json). */
  const recentLog: string[] = [];
  const models = new Map<string, { model: Promise<LlamaModel>; users: number }>();

  function llama(): Promise<Llama> {
    llamaPromise ??= loadNodeLlamaCpp()
      .then(({ getLlama, LlamaLogLevel }) =>
        getLlama({
          gpu: opts.gpu ?? envGpu(process.env),
          // Never compile llama.cpp at run time (no network, no toolchain): use the prebuilt binaries.
          build: 'never',
          logLevel: process.env.SRLAB_LLAMA_LOG === 'debug' ? LlamaLogLevel.debug : LlamaLogLevel.warn,
          logger(level, message) {
            const line = message.trimEnd();
            if (!line) return;
            recentLog.push(line);
            if (recentLog.length > 20) recentLog.shift();
            if (process.env.SRLAB_LLAMA_LOG) process.stderr.write(`[llama.cpp ${level}] ${line}\n`);
          },
        }),
      )
      .catch((err: unknown) => {
        llamaPromise = null;
        throw new ApiError(
          'failed',
          `could not start llama.cpp (node-llama-cpp ${NODE_LLAMA_CPP_VERSION}): ${err instanceof Error ? err.message : String(err)}`,
        );
      });
    return llamaPromise;
  }

  let threadsDefault: number | undefined;
  function defaultThreads(): number {
    return opts.threads ?? envThreads() ?? threadsDefault ?? Math.max(1, Math.min(os.availableParallelism(), 4));
  }

  async function hardware(): Promise<Hardware> {
    const l = await llama();
    threadsDefault = Math.max(1, l.cpuMathCores);
    const gpu = l.gpu === false ? null : l.gpu;
    const vram = gpu ? await l.getVramState() : null;
    return {
      gpu,
      gpuNames: gpu ? await l.getGpuDeviceNames() : [],
      vram: vram ? { total: vram.total, free: vram.free } : null,
      ram: { total: os.totalmem(), free: os.freemem() },
      cpuCores: os.availableParallelism(),
      threads: defaultThreads(),
    };
  }

  async function preflight(name: string, gguf: InspectedGguf, load: LoadOptions): Promise<Preflight> {
    const l = await llama();
    threadsDefault = Math.max(1, l.cpuMathCores);
    const { GgufInsights } = await loadNodeLlamaCpp();
    const insights = await GgufInsights.from(gguf.info, l);
    const gpu = l.gpu === false ? null : l.gpu;
    const vram = gpu ? await l.getVramState() : { total: 0, free: 0 };
    const ramFree = os.freemem();
    const totalLayers = insights.totalLayers;
    const train = insights.trainContextSize ?? DEFAULT_MAX_CONTEXT;
    const contextSize = load.contextSize ?? Math.min(train, DEFAULT_MAX_CONTEXT);
    const sequences = load.sequences ?? 1;
    const threads = load.threads ?? defaultThreads();

    // Weights already in memory (serve mode, the desktop app) are reused, not counted again.
    const resident = load.gpuLayers === undefined ? loadedLayers(gguf.path) : load.gpuLayers;
    let gpuLayers = 0;
    if (gpu && l.supportsGpuOffloading) {
      gpuLayers =
        resident ??
        (await insights.configurationResolver.resolveModelGpuLayers('auto', {
          getVramState: () => l.getVramState(),
          llamaVramPaddingSize: l.vramPaddingSize,
          llamaGpu: l.gpu,
          llamaSupportsGpuOffloading: l.supportsGpuOffloading,
        }));
      gpuLayers = Math.min(gpuLayers, totalLayers);
    }
    const loaded = models.has(modelKey(gguf.path, gpuLayers));
    const weights = loaded ? { cpuRam: 0, gpuVram: 0 } : insights.estimateModelResourceRequirements({ gpuLayers });
    const ctx = insights.estimateContextResourceRequirements({ contextSize, modelGpuLayers: gpuLayers, sequences });
    const need = { vramBytes: weights.gpuVram + ctx.gpuVram, ramBytes: weights.cpuRam + ctx.cpuRam };

    let reason: string | null = null;
    if (gguf.summary.fileKind !== 'model') {
      reason = `${name} is a LoRA adapter, not a model: load a model and pass this file as its adapter`;
    } else if (load.contextSize !== undefined && load.contextSize > train) {
      reason = `a context of ${load.contextSize} tokens was asked for, but ${name} was trained on ${train}`;
    } else if (need.vramBytes > vram.free) {
      reason =
        `${name} with ${gpuLayers} of ${totalLayers} layers on the GPU and a ${contextSize}-token context needs ` +
        `${humanBytes(need.vramBytes)} of VRAM; ${humanBytes(vram.free)} is free. Offload fewer layers (--gpu-layers) or use a smaller context`;
    } else if (need.ramBytes > ramFree) {
      reason =
        `${name} needs about ${humanBytes(need.ramBytes)} of RAM (weights ${humanBytes(weights.cpuRam)} + context ${humanBytes(ctx.cpuRam)}` +
        `${gpu ? `, with ${gpuLayers} of ${totalLayers} layers on the GPU` : ', CPU only'}); ${humanBytes(ramFree)} is free. ` +
        'Use a smaller quantization (e.g. Q4_K_M), a smaller model, or a machine with more memory';
    }
    return {
      model: name,
      fits: reason === null,
      reason,
      gpu,
      gpuLayers,
      totalLayers,
      contextSize,
      sequences,
      threads,
      estimate: need,
      free: { vramBytes: vram.free, ramBytes: ramFree },
    };
  }

  function llamaLogTail(): string {
    const tail = recentLog.slice(-3).join(' | ');
    return tail ? ` (llama.cpp: ${tail})` : '';
  }

  const modelKey = (path: string, gpuLayers: number) => `${path}\u0000${gpuLayers}`;
  function loadedLayers(path: string): number | undefined {
    for (const k of models.keys()) {
      const [p, layers] = k.split('\u0000');
      if (p === path) return Number(layers);
    }
    return undefined;
  }

  /** One model in memory at a time: idle models other than `keep` are dropped before a load. */
  async function unloadIdle(keep: string): Promise<void> {
    for (const [k, entry] of models) {
      if (entry.users === 0 && !k.startsWith(`${keep}\u0000`)) {
        models.delete(k);
        await entry.model.then((m) => m.dispose()).catch(() => undefined);
      }
    }
  }

  async function acquireModel(path: string, gpuLayers: number): Promise<{ model: LlamaModel; loaded: boolean }> {
    const key = modelKey(path, gpuLayers);
    const cached = models.get(key);
    if (cached) {
      cached.users++;
      return { model: await cached.model, loaded: false };
    }
    await unloadIdle(path);
    const l = await llama();
    const promise = l.loadModel({ modelPath: path, gpuLayers });
    const entry = { model: promise, users: 1 };
    models.set(key, entry);
    try {
      return { model: await promise, loaded: true };
    } catch (err) {
      models.delete(key);
      throw err;
    }
  }

  function release(path: string, gpuLayers: number): void {
    const entry = models.get(modelKey(path, gpuLayers));
    if (entry) entry.users = Math.max(0, entry.users - 1);
  }

  async function open(req: SessionRequest): Promise<Session> {
    // Free what an idle model holds first, so the preflight sees the memory this load can use.
    await unloadIdle(req.gguf.path);
    const pre = await preflight(req.name, req.gguf, req.load);
    if (!pre.fits) throw new ApiError('failed', `srlab will not load ${req.name}: ${pre.reason}`);
    const t0 = performance.now();
    let model: LlamaModel;
    try {
      model = (await acquireModel(req.gguf.path, pre.gpuLayers)).model;
    } catch (err) {
      throw new ApiError(
        'failed',
        `could not load ${req.name}: ${err instanceof Error ? err.message : String(err)}${llamaLogTail()}`,
      );
    }
    let context: LlamaContext;
    try {
      context = await model.createContext({
        contextSize: pre.contextSize,
        sequences: pre.sequences,
        threads: pre.threads,
        failedCreationRemedy: false,
        ...(req.adapter ? { lora: { adapters: [{ filePath: req.adapter.path, scale: req.adapter.scale }] } } : {}),
      });
    } catch (err) {
      release(req.gguf.path, pre.gpuLayers);
      const what = req.adapter ? `with the adapter ${req.adapter.path}` : 'a context';
      throw new ApiError(
        'failed',
        `could not create ${what} for ${req.name}: ${err instanceof Error ? err.message : String(err)}${llamaLogTail()}`,
      );
    }
    const loadMs = performance.now() - t0;
    let disposed = false;
    return {
      model,
      context,
      preflight: pre,
      loadMs,
      async dispose() {
        if (disposed) return;
        disposed = true;
        await context.dispose();
        release(req.gguf.path, pre.gpuLayers);
      },
    };
  }

  return {
    hardware,
    preflight,
    open,
    defaultThreads,
    version: NODE_LLAMA_CPP_VERSION,
    async close() {
      const entries = [...models.values()];
      models.clear();
      for (const e of entries) await e.model.then((m) => m.dispose()).catch(() => undefined);
      if (llamaPromise) {
        const l = await llamaPromise.catch(() => null);
        llamaPromise = null;
        await l?.dispose();
      }
    },
  };
}
