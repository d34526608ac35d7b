import { describe, expect, test } from 'vitest';
import type { JobInfo } from '../../../src/shared/contracts/jobs';
import type { RunItem, RunSummary } from '../../../src/shared/contracts/runs';
import {
  applyItem,
  isNewerRun,
  itemStatus,
  pageCount,
  pageLabel,
  runActions,
  runProgress,
  upsertRun,
} from '../../../src/renderer/src/areas/runs/runProgress';

function run(patch: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 1,
    name: 'tiny × cmd-demo/test',
    state: 'running',
    settings: {
      target: { kind: 'local', model: 'tiny', adapterScale: 1 },
      source: { kind: 'dataset', dataset: 'cmd-demo', split: 'test', limit: 5 },
      template: { format: 'llama2-chat', systemPrompt: 's', instruction: '{text}', name: 'sr-llm-paper', version: 1 },
      decoding: { temperature: 0, seed: 42, maxTokens: 16, stop: [] },
      parallel: 1,
      load: {},
    },
    provenance: {
      modelSha256: 'abc',
      adapterSha256: null,
      endpoint: null,
      srlabVersion: '0.1.0',
      nodeLlamaCppVersion: null,
    },
    total: 10,
    done: 3,
    errors: 1,
    generatedTokens: 48,
    generationMs: 1000,
    tokensPerSecond: 48,
    jobId: 7,
    error: null,
    createdAt: '2026-01-01T00:00:00Z',
    startedAt: null,
    finishedAt: null,
    ...patch,
  };
}

function job(patch: Partial<JobInfo> = {}): JobInfo {
  return {
    id: 7,
    kind: 'generate',
    title: 'Generate',
    state: 'running',
    progress: { done: 4, total: 10, unit: 'items', rate: 2.5, etaSeconds: 65 },
    params: {},
    result: null,
    error: null,
    createdAt: '2026-01-01T00:00:00Z',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: null,
    ...patch,
  };
}

function item(patch: Partial<RunItem> = {}): RunItem {
  return {
    runId: 1,
    index: 0,
    recordId: 1,
    input: 'in',
    reference: null,
    prompt: 'p',
    output: null,
    promptTokens: null,
    completionTokens: null,
    finishReason: null,
    error: null,
    generateMs: null,
    cached: false,
    finishedAt: null,
    ...patch,
  };
}

describe('runProgress', () => {
  test('items with an error count as processed; the error count is said', () => {
    const p = runProgress(run());
    expect(p.processed).toBe(4);
    expect(p.fraction).toBeCloseTo(0.4);
    expect(p.countText).toBe('4 of 10 items · 40% · 1 error');
    expect(p.tokensPerSecond).toBe(48);
  });

  test('rate and ETA come from the run’s live job only', () => {
    expect(runProgress(run(), job())).toMatchObject({ rateText: '2.50 items/s', etaText: '1m 05s' });
    expect(runProgress(run(), job({ id: 8 }))).toMatchObject({ rateText: '', etaText: '' });
    expect(runProgress(run({ state: 'succeeded' }), job({ state: 'succeeded' }))).toMatchObject({
      rateText: '',
      etaText: '',
    });
  });

  test('tokens/s falls back to generated tokens over generation time', () => {
    expect(runProgress(run({ tokensPerSecond: null, generatedTokens: 30, generationMs: 1500 })).tokensPerSecond).toBe(
      20,
    );
    expect(runProgress(run({ tokensPerSecond: null, generatedTokens: 0, generationMs: 0 })).tokensPerSecond).toBeNull();
  });

  test('a run with no items has no fraction', () => {
    expect(runProgress(run({ total: 0, done: 0, errors: 0 })).fraction).toBeNull();
  });
});

describe('runActions', () => {
  test.each([
    ['running', 3, { cancel: true, resume: false, remove: false }],
    ['queued', 0, { cancel: true, resume: false, remove: false }],
    ['interrupted', 3, { cancel: false, resume: true, remove: true }],
    ['failed', 3, { cancel: false, resume: true, remove: true }],
    ['cancelled', 3, { cancel: false, resume: true, remove: true }],
    ['succeeded', 10, { cancel: false, resume: false, remove: true }],
    ['succeeded', 9, { cancel: false, resume: true, remove: true }],
  ] as const)('a %s run with %i of 10 done', (state, done, actions) => {
    expect(runActions(run({ state, done }))).toEqual(actions);
  });
});

describe('merging run updates that arrive out of order', () => {
  test('a finished run does not go back to running for the same job', () => {
    expect(isNewerRun(run({ state: 'succeeded', done: 10 }), run({ state: 'running', done: 9 }))).toBe(false);
  });
  test('counts never go backwards while it runs', () => {
    expect(isNewerRun(run({ done: 5 }), run({ done: 4 }))).toBe(false);
    expect(isNewerRun(run({ done: 5 }), run({ done: 6 }))).toBe(true);
  });
  test('a resumed run (a new job) replaces the finished one', () => {
    expect(isNewerRun(run({ state: 'cancelled', jobId: 7 }), run({ state: 'queued', jobId: 9 }))).toBe(true);
    expect(isNewerRun(run({ state: 'queued', jobId: 9 }), run({ state: 'cancelled', jobId: 7 }))).toBe(false);
  });
  test('upsertRun inserts newest first and keeps the same array when nothing changes', () => {
    const list = [run({ id: 2 }), run({ id: 1 })];
    expect(upsertRun(list, run({ id: 3 })).map((r) => r.id)).toEqual([3, 2, 1]);
    const stale = upsertRun(list, run({ id: 1, done: 0, errors: 0 }));
    expect(stale).toBe(list);
  });
});

describe('items', () => {
  test('a finished item replaces its pending row; an item on another page changes nothing', () => {
    const page = [item({ index: 0 }), item({ index: 1 })];
    const done = item({ index: 1, output: 'x', finishedAt: 't' });
    expect(applyItem(page, done)[1]).toBe(done);
    expect(applyItem(page, item({ index: 7 }))).toBe(page);
  });
  test('status: pending, done or error', () => {
    expect(itemStatus(item())).toBe('pending');
    expect(itemStatus(item({ finishedAt: 't', output: 'x' }))).toBe('done');
    expect(itemStatus(item({ finishedAt: 't', error: 'prompt longer than the context' }))).toBe('error');
  });
  test('pages and their labels', () => {
    expect(pageCount(0, 50)).toBe(1);
    expect(pageCount(101, 50)).toBe(3);
    expect(pageLabel(1, 50, 101)).toBe('Items 51–100 of 101');
    expect(pageLabel(2, 50, 101)).toBe('Items 101–101 of 101');
    expect(pageLabel(0, 50, 0)).toBe('No items');
  });
});
