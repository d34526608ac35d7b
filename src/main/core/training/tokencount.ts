// Real token counts for the training preflight: the worker's `count_tokens` job tokenizes the
// exported split with the base's own tokenizer exactly as `train` does. Only when the worker venv
// exists and the tokenizer is on this machine (a model folder, or the Hugging Face cache): the
// worker loads with local_files_only and offline flags, so a preflight never downloads. Results
// are cached in memory by (data hash, base, max_seq_length, response_only_loss), in-flight
// requests included, so the form re-running the preflight stays fast.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callWorker, type FileTokenCount, type WorkerService } from '../worker';

export type { FileTokenCount } from '../worker';

export interface TokenCount {
  tokenizer: string;
  files: FileTokenCount[];
  /** Milliseconds the worker took (spawn + tokenizer load + counting); 0 from the cache. */
  ms: number;
  cached: boolean;
}

export type TokenCountOutcome = { ok: true; count: TokenCount } | { ok: false; reason: string };

/** Worst case for spawning python, importing transformers and counting a split. */
const COUNT_TIMEOUT_MS = 120_000;
const CACHE_MAX = 64;

/** Key → the count (in flight or settled); `done` is set once it has succeeded. */
export type TokenCache = Map<string, { promise: Promise<TokenCountOutcome>; done?: TokenCount }>;
const shared: TokenCache = new Map();

/** The Hugging Face hub cache folder, as huggingface_hub resolves it. */
export function hfHubCache(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HUGGINGFACE_HUB_CACHE) return env.HUGGINGFACE_HUB_CACHE;
  const home = env.HF_HOME ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'huggingface');
  return path.join(home, 'hub');
}

const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer.model', 'tokenizer_config.json'];

/** A snapshot of `org/name` in the hub cache that has tokenizer files. */
export function inHfCache(id: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(id)) return false;
  const snapshots = path.join(hfHubCache(env), `models--${id.replace('/', '--')}`, 'snapshots');
  try {
    return fs
      .readdirSync(snapshots)
      .some((s) => TOKENIZER_FILES.some((f) => fs.existsSync(path.join(snapshots, s, f))));
  } catch {
    return false;
  }
}

/** Why the base's tokenizer cannot be used here; null when it can be tried. */
export function tokenizerUnavailable(base: string, localDir: string | null, env = process.env): string | null {
  if (localDir) {
    if (!TOKENIZER_FILES.some((f) => fs.existsSync(path.join(localDir, f))))
      return `${localDir} has no tokenizer files`;
    return null;
  }
  if (!inHfCache(base, env))
    return `${base} is neither a local model folder nor in the Hugging Face cache (${hfHubCache(env)}); the preflight never downloads`;
  return null;
}

export function tokenCacheKey(a: { dataHash: string; base: string; maxSeq: number; responseOnly: boolean }): string {
  return JSON.stringify([a.dataHash, a.base, a.maxSeq, a.responseOnly]);
}

/** A count already in the cache (settled and successful), without starting one. */
export function cachedTokenCount(
  args: { dataHash: string; base: string; maxSeq: number; responseOnly: boolean },
  cache: TokenCache = shared,
): TokenCount | null {
  const done = cache.get(tokenCacheKey(args))?.done;
  return done ? { ...done, ms: 0, cached: true } : null;
}

/**
 * Count with the worker (or answer from the cache). Never throws: a failure comes back as a
 * reason for the estimate to give, and is not cached (the user may fix it and retry).
 */
export function countTokensWithWorker(
  worker: WorkerService,
  args: { base: string; files: string[]; dataHash: string; maxSeq: number; responseOnly: boolean },
  cache: TokenCache = shared,
): Promise<TokenCountOutcome> {
  const key = tokenCacheKey(args);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // refresh its place: the map's order is the LRU order
    cache.set(key, hit);
    return hit.promise.then((o) => (o.ok ? { ok: true, count: { ...o.count, ms: 0, cached: true } } : o));
  }
  const entry: { promise: Promise<TokenCountOutcome>; done?: TokenCount } = { promise: run(worker, args) };
  cache.set(key, entry);
  while (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
  void entry.promise.then((o) => {
    if (o.ok) entry.done = o.count;
    else if (cache.get(key) === entry) cache.delete(key);
  });
  return entry.promise;
}

async function run(
  worker: WorkerService,
  args: { base: string; files: string[]; maxSeq: number; responseOnly: boolean },
): Promise<TokenCountOutcome> {
  const t0 = Date.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), COUNT_TIMEOUT_MS);
  let w: Awaited<ReturnType<WorkerService['spawn']>> | undefined;
  try {
    w = await worker.spawn({ env: { HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', HF_HUB_DISABLE_TELEMETRY: '1' } });
    const r = await callWorker(
      w,
      'count_tokens',
      { base: args.base, files: args.files, maxSeqLength: args.maxSeq, responseOnlyLoss: args.responseOnly },
      { signal: abort.signal },
    );
    return { ok: true, count: { tokenizer: r.tokenizer, files: r.files, ms: Date.now() - t0, cached: false } };
  } catch (err) {
    const why = abort.signal.aborted ? `timed out after ${COUNT_TIMEOUT_MS / 1000} s` : (err as Error).message;
    return { ok: false, reason: `the worker could not count tokens: ${why}` };
  } finally {
    clearTimeout(timer);
    await w?.close();
  }
}
