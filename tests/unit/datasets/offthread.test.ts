import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { findDataset } from '../../../src/main/core/datasets/repository';
import { computeStats } from '../../../src/main/core/datasets/stats';
import { assignSplits } from '../../../src/main/core/datasets/split';
import { runOffThread } from '../../../src/main/core/datasets/offthread';
import { createHttpApp } from '../../../src/main/transports/http';
import { tempDir } from '../../helpers';
import { importLargeDataset } from '../../large-dataset';

const TOKEN = 'test-token-0123456789';

describe('statistics and splits on a worker thread', () => {
  let core: Core;
  beforeAll(async () => {
    core = await createCore({ home: tempDir(), checkOutputs: true });
  });
  afterAll(() => core.close());

  const job = (name: string) => ({ dbFile: core.paths.db, dataset: findDataset(core.db, name) });

  it('gives the same statistics as the main thread, for the whole dataset and one split', async () => {
    const ref = findDataset(core.db, 'cmd-demo');
    expect(await runOffThread({ op: 'stats', ...job('cmd-demo'), split: null })).toEqual(
      computeStats(core.db, ref, null),
    );
    expect(await runOffThread({ op: 'stats', ...job('cmd-demo'), split: 'test' })).toEqual(
      computeStats(core.db, ref, 'test'),
    );
  });

  it('writes the same split as the main thread, deterministically', async () => {
    const assignment = () => core.db.prepare('SELECT id, split FROM records ORDER BY id').all();
    const ratios: [number, number, number] = [60, 20, 20];
    const off = await runOffThread({ op: 'split', ...job('cmd-demo'), seed: 7, ratios });
    const written = assignment();
    const on = assignSplits(core.db, findDataset(core.db, 'cmd-demo'), 7, ratios);
    expect(off).toEqual(on);
    expect(assignment()).toEqual(written);
    await core.invoke('datasets.split', { dataset: 'cmd-demo', seed: 42, ratios: [70, 10, 20] });
  });

  it('reports bad ratios as the main thread does, and stops on abort', async () => {
    await expect(runOffThread({ op: 'split', ...job('cmd-demo'), seed: 1, ratios: [0, 0, 0] })).rejects.toThrow(
      RangeError,
    );
    const cancelled = new AbortController();
    cancelled.abort();
    await expect(
      runOffThread({ op: 'stats', ...job('cmd-demo'), split: null }, cancelled.signal),
    ).rejects.toMatchObject({ kind: 'cancelled' });
  });
});

describe('serve mode while a large dataset is analysed', () => {
  const N = 200_000;
  let core: Core;
  let app: ReturnType<typeof createHttpApp>;
  const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const post = (method: string, body: unknown) =>
    app.request(`/api/${method}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });

  beforeAll(async () => {
    const home = tempDir();
    core = await createCore({ home, loadDemo: false });
    app = createHttpApp(core, { token: TOKEN });
    await importLargeDataset(core, home, N);
  }, 120_000);
  afterAll(() => core.close());

  /** Start `method`, then time /api/health and datasets.list while it is still running. */
  async function quickAnswersDuring(method: string, body: unknown) {
    const t0 = performance.now();
    let finishedAt = 0;
    const slow = Promise.resolve(post(method, body)).then((r) => {
      finishedAt = performance.now();
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    const h0 = performance.now();
    const health = await app.request('/api/health');
    const list = await post('datasets.list', {});
    const quickMs = performance.now() - h0;
    const answeredWhileRunning = finishedAt === 0;
    const r = await slow;
    return { quickMs, answeredWhileRunning, slowMs: finishedAt - t0, health, list, r };
  }

  it(`answers /api/health and datasets.list while stats of ${N} records run`, async () => {
    const { quickMs, answeredWhileRunning, slowMs, health, list, r } = await quickAnswersDuring('datasets.stats', {
      dataset: 'big',
    });
    expect(health.status).toBe(200);
    expect(list.status).toBe(200);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { result: { records: number } }).result.records).toBe(N);
    expect(answeredWhileRunning).toBe(true);
    expect(quickMs).toBeLessThan(slowMs / 4);
  });

  it(`answers /api/health and datasets.list while a split of ${N} records runs`, async () => {
    const { quickMs, answeredWhileRunning, slowMs, health, list, r } = await quickAnswersDuring('datasets.split', {
      dataset: 'big',
      seed: 3,
    });
    expect(health.status).toBe(200);
    expect(list.status).toBe(200);
    expect(r.status).toBe(200);
    const { counts } = ((await r.json()) as { result: { counts: { train: number; dev: number; test: number } } })
      .result;
    expect(counts.train + counts.dev + counts.test).toBe(N);
    expect(answeredWhileRunning).toBe(true);
    expect(quickMs).toBeLessThan(slowMs / 4);
    const unsplit = core.db.prepare('SELECT COUNT(*) FROM records WHERE split IS NULL').pluck().get();
    expect(unsplit).toBe(0);
  });
});
