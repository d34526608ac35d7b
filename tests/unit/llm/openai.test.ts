import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/main/core/db';
import { ItemError } from '../../../src/main/core/llm/generate';
import { createEndpointClient, retryAfterMs, type EndpointConfig } from '../../../src/main/core/llm/openai';
import { tempDir } from '../../helpers';
import { type OpenAiServer, startOpenAiServer } from './openai-server';

let server: OpenAiServer;
let slowServer: OpenAiServer;
beforeAll(async () => {
  server = await startOpenAiServer();
  slowServer = await startOpenAiServer({ delayMs: 100 });
});
afterAll(async () => {
  await server.close();
  await slowServer.close();
});

const greedy = { temperature: 0, seed: 42, maxTokens: 16, stop: [] };
const chat = (content: string) => ({ kind: 'chat' as const, messages: [{ role: 'user', content }] });
function client(model: string, over: Partial<EndpointConfig> = {}, db: ReturnType<typeof openDb> | null = null) {
  const cfg: EndpointConfig = {
    name: 'test',
    baseUrl: server.url,
    model,
    concurrency: 4,
    requestsPerMinute: 0,
    timeoutMs: 5000,
    maxRetries: 3,
    ...over,
  };
  return createEndpointClient(cfg, { apiKey: 'sk-test-secret', db, retryBaseMs: 20 });
}
const requestsFor = (model: string) => server.requests.filter((r) => r.model === model).length;

describe('the OpenAI-compatible generator', () => {
  it('answers a chat completion, sending the key as a bearer token', async () => {
    const r = await client('echo').complete(chat('be kind'), greedy);
    expect(r).toMatchObject({
      output: 'BE KIND',
      promptTokens: 7,
      completionTokens: 7,
      finishReason: 'eos',
      cached: false,
      attempts: 1,
    });
    expect(server.requests.at(-1)).toMatchObject({
      path: '/v1/chat/completions',
      authorization: 'Bearer sk-test-secret',
      body: { temperature: 0, max_tokens: 16, seed: 42 },
    });
  });

  it('sends a rendered prompt to /completions', async () => {
    const r = await client('echo').complete({ kind: 'completion', prompt: '[INST] x [/INST]' }, greedy);
    expect(r.output).toBe('[INST] X [/INST]');
    expect(server.requests.at(-1)!.path).toBe('/v1/completions');
  });

  it('waits as Retry-After says after a 429, then succeeds', async () => {
    const t0 = performance.now();
    const r = await client('flaky').complete(chat('again'), greedy);
    expect(r).toMatchObject({ output: 'AGAIN', attempts: 2 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
    expect(requestsFor('flaky')).toBe(2);
  });

  const failures: [string, string, Partial<EndpointConfig>, RegExp, number][] = [
    [
      'retries a 5xx with backoff, then gives up',
      'down',
      { maxRetries: 2 },
      /^server error \(HTTP 503\); gave up after 3 attempts$/,
      3,
    ],
    [
      'does not retry an answer that is not a completion',
      'garbage',
      {},
      /not an OpenAI-compatible chat completion \(not JSON\): "<html>502 Bad Gateway<\/html>"/,
      1,
    ],
    [
      'gives up on an endpoint that does not answer in time',
      'slow',
      { timeoutMs: 300, maxRetries: 0 },
      /^no answer within 300 ms; gave up after 1 attempt$/,
      1,
    ],
  ];
  it.each(failures)('%s (a per-item error)', async (_label, model, over, message, requests) => {
    const before = requestsFor(model);
    const err = await client(model, over)
      .complete(chat('x'), greedy)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ItemError);
    expect((err as Error).message).toMatch(message);
    expect(requestsFor(model) - before).toBe(requests);
  });

  it('answers a repeated request from the cache without sending it; the key is not in the cache', async () => {
    const db = openDb(`${tempDir()}/cache.sqlite`);
    try {
      const c = client('echo', {}, db);
      const before = requestsFor('echo');
      const first = await c.complete(chat('cache me'), greedy);
      const second = await c.complete(chat('cache me'), greedy);
      const other = await c.complete(chat('cache me'), { ...greedy, maxTokens: 8 });
      expect([first.cached, second.cached, other.cached]).toEqual([false, true, false]);
      expect(second.output).toBe(first.output);
      expect(requestsFor('echo') - before).toBe(2);
      const rows = db.prepare<[], { key: string; response: string }>('SELECT key, response FROM response_cache').all();
      expect(rows).toHaveLength(2);
      expect(JSON.stringify(rows)).not.toContain('sk-test-secret');
    } finally {
      db.close();
    }
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const c = createEndpointClient(
      {
        name: 't',
        baseUrl: slowServer.url,
        model: 'echo',
        concurrency: 2,
        requestsPerMinute: 0,
        timeoutMs: 5000,
        maxRetries: 0,
      },
      { apiKey: null, db: null },
    );
    await Promise.all(Array.from({ length: 8 }, (_, i) => c.complete(chat(`n${i}`), greedy)));
    expect(slowServer.maxInFlight).toBe(2);
  });

  it('spaces request starts to stay under the rate limit', async () => {
    const c = client('echo', { requestsPerMinute: 600 });
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 4 }, (_, i) => c.complete(chat(`rate ${i}`), greedy)));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it.each([
    ['2', 2000],
    ['0', 0],
    ['soon', null],
    [null, null],
  ] as const)('reads Retry-After %j as %j ms', (header, ms) => {
    expect(retryAfterMs(header, 0)).toBe(ms);
  });
});
