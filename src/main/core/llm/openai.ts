// The OpenAI-compatible generator (OpenAI, vLLM, llama.cpp server, Ollama): concurrency and
// rate limits, retries with exponential backoff on 429/5xx/timeouts (Retry-After honoured),
// responses cached by request hash so a rerun costs nothing. Failures are per item (ItemError).
import type { Decoding, FinishReason } from '../../../shared/contracts/llm';
import type { Db } from '../db';
import { ItemError } from './generate';
import { sha256Json } from './hash';
import { sleep } from '../sleep';

export interface EndpointConfig {
  name: string;
  baseUrl: string;
  model: string;
  concurrency: number;
  requestsPerMinute: number;
  timeoutMs: number;
  maxRetries: number;
}

export type EndpointPrompt =
  { kind: 'chat'; messages: { role: string; content: string }[] } | { kind: 'completion'; prompt: string };

export interface EndpointCompletion {
  output: string;
  promptTokens: number | null;
  completionTokens: number | null;
  finishReason: FinishReason;
  generateMs: number;
  cached: boolean;
  attempts: number;
}

export interface EndpointClient {
  complete(
    prompt: EndpointPrompt,
    decoding: Decoding,
    opts?: { signal?: AbortSignal; seed?: number; noCache?: boolean },
  ): Promise<EndpointCompletion>;
}

export interface EndpointClientDeps {
  apiKey: string | null;
  /** Response cache (table response_cache); null disables it. */
  db: Db | null;
  /** First backoff delay; doubles per retry. */
  retryBaseMs?: number;
  maxBackoffMs?: number;
}

/** Runs at most `n` tasks at once. */
function limiter(n: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Retry-After in ms (seconds or an HTTP date), or null. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const secs = Number(header);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

class Retryable extends Error {
  constructor(
    message: string,
    readonly waitMs: number | null = null,
  ) {
    super(message);
  }
}

function mapFinish(reason: unknown, decoding: Decoding): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'stop' && decoding.stop.length > 0) return 'stop';
  return 'eos';
}

function parseCompletion(
  kind: EndpointPrompt['kind'],
  text: string,
): { output: string; finish: unknown; promptTokens: number | null; completionTokens: number | null } {
  const garbage = (why: string) =>
    new ItemError(
      `the endpoint's answer is not an OpenAI-compatible ${kind === 'chat' ? 'chat completion' : 'completion'} (${why}): ${JSON.stringify(text.slice(0, 160))}`,
    );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw garbage('not JSON');
  }
  const choice = (body as { choices?: unknown[] })?.choices?.[0] as
    { message?: { content?: unknown }; text?: unknown; finish_reason?: unknown } | undefined;
  const output = kind === 'chat' ? choice?.message?.content : choice?.text;
  if (typeof output !== 'string') throw garbage(choice ? 'no text in choices[0]' : 'no choices');
  const usage = (body as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    output,
    finish: choice?.finish_reason,
    promptTokens: num(usage?.prompt_tokens),
    completionTokens: num(usage?.completion_tokens),
  };
}

export function createEndpointClient(cfg: EndpointConfig, deps: EndpointClientDeps): EndpointClient {
  const base = cfg.baseUrl.replace(/\/+$/, '');
  const limit = limiter(cfg.concurrency);
  const retryBase = deps.retryBaseMs ?? 1000;
  const maxBackoff = deps.maxBackoffMs ?? 60_000;
  // Rate limit: request starts are spaced at least 60000/rpm ms apart.
  const spacing = cfg.requestsPerMinute > 0 ? 60_000 / cfg.requestsPerMinute : 0;
  let nextStart = 0;
  const takeSlot = async (signal?: AbortSignal) => {
    const now = performance.now();
    const at = Math.max(now, nextStart);
    nextStart = at + spacing;
    await sleep(at - now, signal);
  };

  const cacheGet = deps.db?.prepare<[string], { response: string }>(
    'SELECT response FROM response_cache WHERE key = ?',
  );
  const cachePut = deps.db?.prepare(
    'INSERT OR REPLACE INTO response_cache (key, response, created_at) VALUES (?, ?, ?)',
  );

  async function attempt(url: string, body: string, signal: AbortSignal | undefined): Promise<string> {
    const timeout = AbortSignal.timeout(cfg.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(deps.apiKey ? { authorization: `Bearer ${deps.apiKey}` } : {}),
        },
        body,
        signal: combined,
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      if (timeout.aborted) throw new Retryable(`no answer within ${cfg.timeoutMs} ms`);
      const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      throw new Retryable(`cannot reach ${base}: ${cause}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      if (signal?.aborted) throw new ItemError('cancelled');
      throw new Retryable(
        timeout.aborted ? `no complete answer within ${cfg.timeoutMs} ms` : 'the connection dropped mid-answer',
      );
    }
    if (res.status === 429)
      throw new Retryable('rate limited (HTTP 429)', retryAfterMs(res.headers.get('retry-after')));
    if (res.status >= 500)
      throw new Retryable(`server error (HTTP ${res.status})`, retryAfterMs(res.headers.get('retry-after')));
    if (res.status === 401 || res.status === 403)
      throw new ItemError(`the endpoint refused the API key (HTTP ${res.status})`);
    if (!res.ok) throw new ItemError(`HTTP ${res.status}: ${text.slice(0, 200)}`);
    return text;
  }

  return {
    async complete(prompt, decoding, opts = {}) {
      const url = `${base}/${prompt.kind === 'chat' ? 'chat/completions' : 'completions'}`;
      const request = {
        model: cfg.model,
        ...(prompt.kind === 'chat' ? { messages: prompt.messages } : { prompt: prompt.prompt }),
        temperature: decoding.temperature,
        max_tokens: decoding.maxTokens,
        seed: opts.seed ?? decoding.seed,
        ...(decoding.topP !== undefined ? { top_p: decoding.topP } : {}),
        ...(decoding.stop.length ? { stop: decoding.stop } : {}),
      };
      const key = sha256Json({ url, request });
      const hit = opts.noCache ? undefined : cacheGet?.get(key);
      if (hit) {
        const c = JSON.parse(hit.response) as Omit<EndpointCompletion, 'cached' | 'attempts' | 'generateMs'>;
        return { ...c, generateMs: 0, cached: true, attempts: 0 };
      }
      const body = JSON.stringify(request);
      return limit(async () => {
        const t0 = performance.now();
        let tries = 0;
        for (;;) {
          if (opts.signal?.aborted) throw new ItemError('cancelled');
          await takeSlot(opts.signal);
          tries++;
          try {
            const text = await attempt(url, body, opts.signal);
            const parsed = parseCompletion(prompt.kind, text);
            const result = {
              output: parsed.output,
              promptTokens: parsed.promptTokens,
              completionTokens: parsed.completionTokens,
              finishReason: mapFinish(parsed.finish, decoding),
            };
            if (!opts.noCache) cachePut?.run(key, JSON.stringify(result), new Date().toISOString());
            return { ...result, generateMs: performance.now() - t0, cached: false, attempts: tries };
          } catch (err) {
            if (!(err instanceof Retryable))
              throw err instanceof ItemError ? err : new ItemError(err instanceof Error ? err.message : String(err));
            if (tries > cfg.maxRetries)
              throw new ItemError(`${err.message}; gave up after ${tries} attempt${tries === 1 ? '' : 's'}`);
            const backoff = Math.min(maxBackoff, retryBase * 2 ** (tries - 1) * (1 + Math.random() * 0.25));
            await sleep(Math.min(maxBackoff, err.waitMs ?? backoff), opts.signal);
          }
        }
      });
    },
  };
}
