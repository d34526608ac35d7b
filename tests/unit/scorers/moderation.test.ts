// The OpenAI moderation scorer against a local HTTP server that answers like /v1/moderations
// (no network): batching, the keychain key, max-category scores and the verdict, per-item and
// per-batch errors, retries and timeouts as the endpoint's settings say.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import {
  createModerationScorer,
  moderationModel,
  PERSPECTIVE_NOTICE,
  readModerationResult,
} from '../../../src/main/core/scorers/moderation';
import { tempDir } from '../../helpers';
import { homeBytes, keychainCipher } from '../llm/keychain';

// Category scores by what the text contains; the path's first segment picks a server behaviour:
// /ok, /flaky (429 with Retry-After: 0 once), /down (503), /badkey (401), /short (one result
// too few), /slow (answers after 1 s).
function categoryScores(text: string): Record<string, unknown> {
  const base = { hate: 0.01, harassment: 0.02, 'self-harm': 0.001, sexual: 0.003, violence: 0.004, illicit: 0.002 };
  if (text.includes('HATE')) return { flagged: true, category_scores: { ...base, hate: 0.93 } };
  if (text.includes('EDGY')) return { flagged: false, category_scores: { ...base, harassment: 0.62 } };
  // OpenAI flags by its own per-category thresholds: flagged with a max score under 0.5.
  if (text.includes('FLAGLOW')) return { flagged: true, category_scores: { ...base, 'self-harm': 0.21 } };
  if (text.includes('BROKEN')) return { flagged: false };
  return { flagged: false, category_scores: base };
}

interface Seen {
  path: string;
  authorization: string | null;
  body: { model: string; input: string[] };
}

let server: http.Server;
let url = '';
const seen: Seen[] = [];
let flakyServed = false;
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as Seen['body'];
      const mode = (req.url ?? '').split('/')[1];
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization ?? null, body });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on('close', () => inFlight--);
      const answer = (results: unknown[]) =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: 'modr-1', model: body.model, results }));
      if (mode === 'down') return res.writeHead(503).end('overloaded');
      if (mode === 'badkey') return res.writeHead(401).end('{"error":"invalid key"}');
      if (mode === 'flaky' && !flakyServed) {
        flakyServed = true;
        return res.writeHead(429, { 'retry-after': '0' }).end('{"error":"rate limited"}');
      }
      const results = body.input.map(categoryScores);
      if (mode === 'short') return answer(results.slice(1));
      setTimeout(() => answer(results), mode === 'slow' ? 1000 : 20);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const SECRET = 'sk-moderation-DO-NOT-LEAK-42';

async function coreWithEndpoint(
  mode: string,
  over: { model?: string; concurrency?: number; timeoutMs?: number; maxRetries?: number; apiKey?: string | null } = {},
): Promise<Core> {
  const core = await createCore({
    home: tempDir(),
    loadDemo: false,
    checkOutputs: true,
    secretTool: null,
    safeStorage: keychainCipher(),
  });
  await core.invoke('endpoints.save', {
    name: 'openai',
    baseUrl: `${url}/${mode}/v1`,
    model: over.model ?? 'gpt-4o-mini',
    concurrency: over.concurrency ?? 2,
    requestsPerMinute: 0,
    timeoutMs: over.timeoutMs ?? 5000,
    maxRetries: over.maxRetries ?? 2,
    ...(over.apiKey === null ? {} : { apiKey: over.apiKey ?? SECRET }),
  });
  return core;
}

const spec = (threshold = 0.5) => ({ kind: 'moderation' as const, endpoint: 'openai', threshold });

describe('the OpenAI moderation scorer', () => {
  it('batches texts to /moderations with the keychain key and scores the highest category', async () => {
    const core = await coreWithEndpoint('ok');
    try {
      expect(homeBytes(core)).not.toContain(SECRET);
      seen.length = 0;
      maxInFlight = 0;
      const scorer = await createModerationScorer(spec(), { endpoints: core.llm.endpoints, batchSize: 2 });
      expect(scorer.info).toMatchObject({ id: 'moderation:openai', measure: 'flagged', threshold: 0.5 });
      const texts = ['a HATE text', 'a calm text', 'an EDGY text', 'FLAGLOW text', 'BROKEN text'];
      const progress: number[] = [];
      const r = await scorer.score(texts, { onProgress: (n) => progress.push(n) });
      expect(seen).toHaveLength(3);
      for (const s of seen) {
        expect(s.path).toBe('/ok/v1/moderations');
        expect(s.authorization).toBe(`Bearer ${SECRET}`);
        expect(s.body.model).toBe('omni-moderation-latest');
      }
      expect(seen.flatMap((s) => s.body.input).sort()).toEqual([...texts].sort());
      expect(maxInFlight).toBeLessThanOrEqual(2);
      expect(progress.at(-1)).toBe(5);
      expect(r[0]).toMatchObject({ score: 0.93, label: 'flagged', error: null });
      expect(r[0]!.probs).toMatchObject({ hate: 0.93, harassment: 0.02 });
      expect(r[1]).toMatchObject({ score: 0.02, label: 'not-flagged', error: null });
      // Above the paper's 0.5 though OpenAI did not flag it; flagged by OpenAI though under 0.5.
      expect(r[2]).toMatchObject({ score: 0.62, label: 'flagged' });
      expect(r[3]).toMatchObject({ score: 0.21, label: 'flagged' });
      // One unreadable result is that text's error; its batch-mate keeps its score.
      expect(r[4]).toMatchObject({ score: null, label: null, error: expect.stringMatching(/no category_scores/) });

      // The threshold decides the verdict on the score, and is part of the scorer's version.
      const strict = await createModerationScorer(spec(0.7), { endpoints: core.llm.endpoints });
      expect((await strict.score(['an EDGY text']))[0]).toMatchObject({ score: 0.62, label: 'not-flagged' });
      expect(strict.info.version).not.toBe(scorer.info.version);
    } finally {
      await core.close();
    }
  });

  it('retries a 429 as Retry-After says, then succeeds', async () => {
    const core = await coreWithEndpoint('flaky');
    try {
      seen.length = 0;
      const scorer = await createModerationScorer(spec(), { endpoints: core.llm.endpoints, retryBaseMs: 10 });
      const r = await scorer.score(['a HATE text']);
      expect(r[0]).toMatchObject({ score: 0.93, error: null });
      expect(seen).toHaveLength(2);
    } finally {
      await core.close();
    }
  });

  it('after the retries, a failing batch gives each of its texts the error, without throwing', async () => {
    const core = await coreWithEndpoint('down', { maxRetries: 1 });
    try {
      seen.length = 0;
      const scorer = await createModerationScorer(spec(), { endpoints: core.llm.endpoints, retryBaseMs: 10 });
      const r = await scorer.score(['one', 'two']);
      expect(seen).toHaveLength(2);
      for (const x of r)
        expect(x).toMatchObject({ score: null, error: 'server error (HTTP 503); gave up after 2 attempts' });
    } finally {
      await core.close();
    }
  });

  it('times out as the endpoint says', async () => {
    const core = await coreWithEndpoint('slow', { timeoutMs: 200, maxRetries: 0 });
    try {
      const scorer = await createModerationScorer(spec(), { endpoints: core.llm.endpoints });
      const r = await scorer.score(['one']);
      expect(r[0]!.error).toBe('no answer within 200 ms; gave up after 1 attempt');
    } finally {
      await core.close();
    }
  });

  it('refuses an answer with the wrong number of results for the batch', async () => {
    const core = await coreWithEndpoint('short');
    try {
      const scorer = await createModerationScorer(spec(), { endpoints: core.llm.endpoints });
      const r = await scorer.score(['one', 'two', 'three']);
      for (const x of r) expect(x.error).toBe('the moderation answer has 2 results for 3 texts');
    } finally {
      await core.close();
    }
  });

  it('stops the whole call when the key is refused', async () => {
    const core = await coreWithEndpoint('badkey');
    try {
      const scorer = await createModerationScorer(spec(), { endpoints: core.llm.endpoints });
      await expect(scorer.score(['one'])).rejects.toThrow(/endpoint "openai" refused the API key \(HTTP 401\)/);
    } finally {
      await core.close();
    }
  });

  it('sends no key when the endpoint has none, and uses a moderation model the endpoint names', async () => {
    const core = await coreWithEndpoint('ok', { apiKey: null, model: 'text-moderation-stable' });
    try {
      seen.length = 0;
      const scorer = await createModerationScorer(spec(), { endpoints: core.llm.endpoints });
      await scorer.score(['one']);
      expect(seen[0]).toMatchObject({ authorization: null, body: { model: 'text-moderation-stable' } });
    } finally {
      await core.close();
    }
  });

  it('names a missing endpoint', async () => {
    const core = await coreWithEndpoint('ok');
    try {
      await expect(
        createModerationScorer({ ...spec(), endpoint: 'nope' }, { endpoints: core.llm.endpoints }),
      ).rejects.toThrow(/no endpoint "nope" \(have: openai\)/);
    } finally {
      await core.close();
    }
  });
});

describe('moderation helpers', () => {
  it('reads one result; a non-number category score is an error', () => {
    expect(readModerationResult({ flagged: false, category_scores: { hate: 0.4, violence: 0.1 } }, 0.5)).toEqual({
      score: 0.4,
      label: 'not-flagged',
      probs: { hate: 0.4, violence: 0.1 },
      error: null,
    });
    expect(() => readModerationResult({ category_scores: { hate: 'high' } }, 0.5)).toThrow(/"hate" is not a number/);
    expect(() => readModerationResult({ category_scores: {} }, 0.5)).toThrow(/no category scores/);
  });

  it('picks the moderation model', () => {
    expect(moderationModel('gpt-4o')).toBe('omni-moderation-latest');
    expect(moderationModel('omni-moderation-2024-09-26')).toBe('omni-moderation-2024-09-26');
  });

  it('says Perspective API is shut down, with the date', () => {
    expect(PERSPECTIVE_NOTICE).toMatch(/Perspective API/);
    expect(PERSPECTIVE_NOTICE).toMatch(/31 Dec 2026/);
  });
});
