// Statistics and splits of large datasets run as jobs: listed, with progress in records, and
// cancellable; a split waits for an import on the same database (one writers' queue).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../src/shared/contracts/jobs';
import { createCore, type Core } from '../../../src/main/core';
import { findDataset } from '../../../src/main/core/datasets/repository';
import { computeStats } from '../../../src/main/core/datasets/stats';
import { tempDir } from '../../helpers';
import { importLargeDataset, writeRecords } from '../../large-dataset';

const N = 60_000;

describe('statistics and splits of a large dataset as jobs', () => {
  let core: Core;
  let home: string;

  beforeAll(async () => {
    home = tempDir();
    core = await createCore({ home, loadDemo: false, checkOutputs: true, offThreadMinRecords: 20_000 });
    await importLargeDataset(core, home, N);
  }, 60_000);
  afterAll(() => core.close());

  /** Job events of `kind` while `during` runs. */
  function watch(kind: JobInfo['kind'], onEvent?: (job: JobInfo) => void) {
    const seen: JobInfo[] = [];
    const stop = core.events.subscribe((e) => {
      if (e.type !== 'job' || e.job.kind !== kind) return;
      seen.push(e.job);
      onEvent?.(e.job);
    });
    return { seen, stop };
  }
  const assignment = () =>
    core.db.prepare<[], { id: number; split: string | null }>('SELECT id, split FROM records ORDER BY id').all();

  it('reports statistics progress in records, ending at the total, with the same result', async () => {
    const { seen, stop } = watch('dataset-stats');
    const stats = await core.invoke('datasets.stats', { dataset: 'big' });
    stop();
    expect(stats).toEqual(computeStats(core.db, findDataset(core.db, 'big'), null));
    expect(seen[0]).toMatchObject({ state: 'queued', title: 'Statistics of big', params: { dataset: 'big' } });
    // The total is known from the start, before the worker reports.
    expect(seen.find((j) => j.state === 'running')!.progress).toMatchObject({ total: N, unit: 'records' });
    const running = seen.filter((j) => j.state === 'running' && j.progress.done > 0);
    expect(running.length).toBeGreaterThan(0);
    for (const j of running) expect(j.progress).toMatchObject({ total: N, unit: 'records' });
    const dones = seen.map((j) => j.progress.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ state: 'succeeded', progress: { done: N, total: N }, result: { records: N } });
    expect(core.jobs.list(5).find((j) => j.id === last.id)?.kind).toBe('dataset-stats');
  });

  it('reports split progress and ends at the total', async () => {
    const { seen, stop } = watch('split');
    const out = await core.invoke('datasets.split', { dataset: 'big', seed: 1 });
    stop();
    expect(out.counts.train + out.counts.dev + out.counts.test).toBe(N);
    expect(seen.some((j) => j.state === 'running' && j.progress.done > 0 && j.progress.done < N)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ state: 'succeeded', progress: { done: N, total: N } });
  });

  it('leaves the split unchanged when the split job is cancelled', async () => {
    const before = assignment();
    expect(before.every((r) => r.split !== null)).toBe(true);
    let cancelled = false;
    const { seen, stop } = watch('split', (job) => {
      if (!cancelled && job.state === 'running' && job.progress.done > 0) {
        cancelled = true;
        core.jobs.cancel(job.id);
      }
    });
    await expect(core.invoke('datasets.split', { dataset: 'big', seed: 2 })).rejects.toMatchObject({
      kind: 'cancelled',
    });
    await core.jobs.idle();
    stop();
    expect(cancelled).toBe(true);
    expect(seen.at(-1)!.progress.done).toBeLessThan(N);
    expect(core.jobs.get(seen[0]!.id).state).toBe('cancelled');
    expect(assignment()).toEqual(before);
    // The terminated worker held no lock: the database takes writes again.
    const again = await core.invoke('datasets.split', { dataset: 'big', seed: 1 });
    expect(again.counts.train + again.counts.dev + again.counts.test).toBe(N);
    expect(assignment()).toEqual(before);
  });

  it('queues a split behind an import on the same database', async () => {
    const file = path.join(home, 'more.jsonl');
    writeRecords(file, 30_000, 'm');
    const { seen, stop } = watch('split');
    const imported = core.datasets.startImport({
      dataset: 'more',
      source: { kind: 'path', path: file },
      format: 'cmd-nested',
      strict: true,
    });
    let importStateWhenSplitRan: string | undefined;
    const unsubscribe = core.events.subscribe((e) => {
      if (e.type === 'job' && e.job.kind === 'split' && e.job.state === 'running' && !importStateWhenSplitRan)
        importStateWhenSplitRan = core.jobs.get(imported.job.id).state;
    });
    const split = core.invoke('datasets.split', { dataset: 'big', seed: 5 });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.at(-1)?.state).toBe('queued');
    const [importResult, splitResult] = await Promise.all([imported.done, split]);
    stop();
    unsubscribe();
    expect(importResult.imported).toBe(30_000);
    expect(splitResult.counts.train + splitResult.counts.dev + splitResult.counts.test).toBe(N);
    expect(importStateWhenSplitRan).toBe('succeeded');
    const importJob = core.jobs.get(imported.job.id);
    const splitJob = core.jobs.get(seen[0]!.id);
    expect(splitJob.startedAt! >= importJob.finishedAt!).toBe(true);
  });

  it('keeps small datasets synchronous, without a job', async () => {
    const small = await createCore({ home: tempDir(), checkOutputs: true });
    try {
      const { seen, stop } = watch('split');
      const jobsBefore = small.jobs.list(50).length;
      await small.invoke('datasets.stats', { dataset: 'cmd-demo' });
      await small.invoke('datasets.split', { dataset: 'cmd-demo', seed: 3 });
      stop();
      expect(seen).toEqual([]);
      expect(small.jobs.list(50).length).toBe(jobsBefore);
    } finally {
      await small.close();
    }
  });
});
