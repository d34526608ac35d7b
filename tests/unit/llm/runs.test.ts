import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import type { StartRunInput } from '../../../src/main/core/runs';
import { tempDir } from '../../helpers';
import { type OpenAiServer, startOpenAiServer } from './openai-server';
import { tinyModelFiles } from './tiny-model';

let core: Core;
let server: OpenAiServer;
beforeAll(async () => {
  server = await startOpenAiServer();
  process.env.SRLAB_API_KEY_MOCKAI = 'sk-from-env';
  core = await createCore({
    home: tempDir(),
    loadDemo: false,
    checkOutputs: true,
    secretTool: null,
    runtime: { gpu: false },
    endpointRetryBaseMs: 10,
  });
  await core.invoke('models.add', { path: tinyModelFiles().model, name: 'tiny' });
});
afterAll(async () => {
  await core.close();
  await server.close();
  delete process.env.SRLAB_API_KEY_MOCKAI;
});

const TEXTS = Array.from({ length: 12 }, (_, i) => `Sentence number ${i} says that some group is bad.`);
const greedy = { temperature: 0, seed: 42, maxTokens: 12, stop: [] };
const localRun = (over: Partial<StartRunInput> = {}): StartRunInput => ({
  target: { kind: 'local', model: 'tiny', adapterScale: 1 },
  source: { kind: 'texts', name: 'twelve', texts: TEXTS },
  template: { name: 'sr-llm-paper' },
  decoding: greedy,
  parallel: 1,
  load: {},
  ...over,
});
const items = (id: number) => core.runs.items({ id, offset: 0, limit: 1000, status: 'all' }).items;

describe('generation runs on the tiny model', () => {
  it('stores every item with its exact prompt, output, token counts, timing and finish reason', async () => {
    const events: number[] = [];
    const off = core.events.subscribe((e) => e.type === 'run-item' && events.push(e.item.index));
    const started = await core.runs.start(localRun());
    const run = await started.done;
    off();
    expect(run).toMatchObject({ state: 'succeeded', total: 12, done: 12, errors: 0, generatedTokens: 144 });
    expect(run.tokensPerSecond).toBeGreaterThan(0);
    expect(run.settings.template).toMatchObject({ name: 'sr-llm-paper', version: 2, format: 'llama2-chat' });
    expect(run.provenance.modelSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(events.sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    for (const item of items(run.id)) {
      expect(item.prompt).toContain(`"${item.input}". [/INST]`);
      expect(item).toMatchObject({ completionTokens: 12, finishReason: 'length', error: null, cached: false });
      expect(item.output!.length).toBeGreaterThan(0);
      expect(item.promptTokens).toBeGreaterThan(300);
      expect(item.generateMs).toBeGreaterThan(0);
    }
  });

  // Parallel sequences share llama.cpp batches, whose composition changes the float rounding;
  // on near-tied logits greedy decoding can then pick another token, so parallel outputs are
  // checked for completeness, not for equality with the sequential run.
  it('is reproducible from its stored settings, and a parallel run completes every item', async () => {
    const first = await (await core.runs.start(localRun())).done;
    const again = await (
      await core.runs.start({ ...first.settings, template: { inline: first.settings.template } })
    ).done;
    const parallel = await (await core.runs.start(localRun({ parallel: 4 }))).done;
    const outputs = (id: number) => items(id).map((i) => i.output);
    expect(outputs(again.id)).toEqual(outputs(first.id));
    expect(parallel).toMatchObject({ state: 'succeeded', total: 12, done: 12, errors: 0, generatedTokens: 144 });
    const parallelItems = items(parallel.id);
    expect(parallelItems.map((i) => i.input)).toEqual(items(first.id).map((i) => i.input));
    for (const item of parallelItems)
      expect(item).toMatchObject({ completionTokens: 12, finishReason: 'length', error: null });
  });

  it("records a prompt too long for the context as that item's error and finishes the others", async () => {
    const run = await (
      await core.runs.start(
        localRun({
          source: { kind: 'texts', name: 'long', texts: ['short one', 'word '.repeat(400), 'short two'] },
          load: { contextSize: 512 },
        }),
      )
    ).done;
    expect(run).toMatchObject({ state: 'succeeded', done: 2, errors: 1 });
    expect(items(run.id)[1]).toMatchObject({
      output: null,
      finishReason: 'error',
      error: expect.stringMatching(/^the prompt is \d+ tokens; the context holds 512/),
    });
  });

  it('keeps finished items when cancelled, and resume generates only the rest', async () => {
    const started = await core.runs.start(localRun({ decoding: { ...greedy, maxTokens: 48 } }));
    const off = core.events.subscribe((e) => {
      if (e.type === 'run-item' && e.runId === started.run.id && e.item.index === 3) core.runs.cancel(started.run.id);
    });
    await expect(started.done).rejects.toMatchObject({ kind: 'cancelled' });
    off();
    const cancelled = core.runs.get(started.run.id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.done).toBeGreaterThanOrEqual(4);
    expect(cancelled.done).toBeLessThan(12);
    const before = items(started.run.id).filter((i) => i.finishedAt !== null);

    const resumed = await core.runs.resume(started.run.id);
    expect(resumed.alreadyDone).toBe(cancelled.done);
    const run = await resumed.done;
    expect(run).toMatchObject({ state: 'succeeded', done: 12 });
    const after = items(started.run.id);
    for (const b of before) expect(after[b.index]).toEqual(b);
    await expect(core.runs.resume(run.id)).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringMatching(/complete/),
    });
  });

  it("says when a run started: null while queued, then its first job's start, kept by a resume", async () => {
    const first = await core.runs.start(localRun({ decoding: { ...greedy, maxTokens: 48 } }));
    // Local runs share one queue: the second waits for the first.
    const second = await core.runs.start(
      localRun({ source: { kind: 'texts', name: 'two', texts: TEXTS.slice(0, 2) } }),
    );
    expect(core.runs.get(second.run.id)).toMatchObject({ state: 'queued', startedAt: null });
    const off = core.events.subscribe((e) => {
      if (e.type === 'run-item' && e.runId === first.run.id && e.item.index === 1) core.runs.cancel(first.run.id);
    });
    await expect(first.done).rejects.toMatchObject({ kind: 'cancelled' });
    off();
    const cancelled = core.runs.get(first.run.id);
    expect(cancelled.startedAt).toEqual(expect.any(String));
    expect(cancelled.startedAt! >= cancelled.createdAt).toBe(true);
    expect(cancelled.startedAt! <= cancelled.finishedAt!).toBe(true);

    const done2 = await second.done;
    expect(done2.startedAt! >= cancelled.startedAt!).toBe(true);
    const resumed = await (await core.runs.resume(first.run.id)).done;
    expect(resumed.state).toBe('succeeded');
    expect(resumed.startedAt).toBe(cancelled.startedAt);
    expect(core.runs.list(50).find((r) => r.id === first.run.id)!.startedAt).toBe(cancelled.startedAt);
  });

  it('refuses an unknown dataset before creating a run', async () => {
    const before = core.runs.list(100).length;
    await expect(
      core.runs.start(localRun({ source: { kind: 'dataset', dataset: 'nope', split: 'test' } })),
    ).rejects.toMatchObject({ kind: 'not-found' });
    expect(core.runs.list(100).length).toBe(before);
  });
});

describe('generation runs on an OpenAI-compatible endpoint', () => {
  it('uses the key from the environment, records bad answers per item, and a rerun costs only the failed requests', async () => {
    const { endpoint } = await core.invoke('endpoints.save', {
      name: 'mockai',
      baseUrl: server.url,
      model: 'echo',
      concurrency: 3,
      requestsPerMinute: 0,
      timeoutMs: 2000,
      maxRetries: 1,
    });
    expect(endpoint).toMatchObject({ hasKey: true, keyBackend: 'env' });
    const texts = ['first text', 'GARBAGE please', 'third text'];
    const input = localRun({
      target: { kind: 'endpoint', endpoint: 'mockai' },
      source: { kind: 'texts', name: 'three', texts },
      template: { inline: { format: 'model', systemPrompt: 'Be fair.', instruction: 'Rewrite: {text}' } },
    });
    const before = server.requests.length;
    const run = await (await core.runs.start(input)).done;
    expect(run).toMatchObject({
      state: 'succeeded',
      done: 2,
      errors: 1,
      provenance: { endpoint: `${server.url} echo`, modelSha256: null },
    });
    const got = items(run.id);
    expect(got.map((i) => i.output)).toEqual(['REWRITE: FIRST TEXT', null, 'REWRITE: THIRD TEXT']);
    expect(got[1]!.error).toMatch(/not an OpenAI-compatible chat completion/);
    expect(JSON.parse(got[0]!.prompt)).toEqual([
      { role: 'system', content: 'Be fair.' },
      { role: 'user', content: 'Rewrite: first text' },
    ]);
    expect(server.requests.length - before).toBe(3);
    expect(server.requests.at(-1)!.authorization).toBe('Bearer sk-from-env');

    const rerun = await (await core.runs.start(input)).done;
    expect(items(rerun.id).map((i) => i.cached)).toEqual([true, false, true]);
    expect(server.requests.length - before).toBe(4);

    const resumed = await (await core.runs.resume(run.id)).done;
    expect(resumed).toMatchObject({ done: 2, errors: 1 });
    expect(server.requests.length - before).toBe(5);
  });
});
