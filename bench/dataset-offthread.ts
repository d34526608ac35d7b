// Statistics and split of a large dataset: on the main thread (the baseline, as before) and
// through the core (a worker thread at this size), measured in the same run. Prints each one's
// wall time and the longest the event loop stood still meanwhile (what serve mode's other
// requests, /api/health and SSE would wait).
//
//   npx tsx bench/dataset-offthread.ts                 # 1M records
//   npx tsx bench/dataset-offthread.ts --rows 200000
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../src/main/core';
import { findDataset } from '../src/main/core/datasets/repository';
import { computeStats } from '../src/main/core/datasets/stats';
import { assignSplits } from '../src/main/core/datasets/split';
import { importLargeDataset } from '../tests/large-dataset';

const i = process.argv.indexOf('--rows');
const ROWS = i > 0 ? Number(process.argv[i + 1]!.replace(/_/g, '')) : 1_000_000;

async function measure(label: string, fn: () => unknown): Promise<{ ms: number; stallMs: number }> {
  // The longest gap between ticks of a 5 ms timer (monitorEventLoopDelay misses one long block).
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    stallMs = Math.max(stallMs, t - last);
    last = t;
  }, 5);
  await new Promise((r) => setTimeout(r, 20));
  stallMs = 0;
  last = performance.now();
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 20));
  clearInterval(timer);
  console.log(
    `${label.padEnd(28)} ${(ms / 1000).toFixed(2).padStart(7)} s   longest event-loop stall ${stallMs.toFixed(0)} ms`,
  );
  return { ms, stallMs };
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'srlab-bench-offthread-'));
try {
  const core = await createCore({ home, loadDemo: false });
  const t0 = performance.now();
  await importLargeDataset(core, home, ROWS);
  console.log(`${ROWS} records imported in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  const ref = findDataset(core.db, 'big');
  // Each pair twice, in the order A B B A, so warm caches and a grown WAL favour neither side.
  const best = async (label: string, main: () => unknown, worker: () => unknown) => {
    const m1 = await measure(`${label}, main thread`, main);
    const w1 = await measure(`${label}, worker thread`, worker);
    const w2 = await measure(`${label}, worker thread`, worker);
    const m2 = await measure(`${label}, main thread`, main);
    const ms = (a: { ms: number }, b: { ms: number }) => Math.min(a.ms, b.ms);
    const stall = (a: { stallMs: number }, b: { stallMs: number }) => Math.max(a.stallMs, b.stallMs);
    console.log(
      `${label}: best wall time worker/main ${(ms(w1, w2) / ms(m1, m2)).toFixed(2)}×;` +
        ` longest stall worker ${stall(w1, w2).toFixed(0)} ms vs main ${stall(m1, m2).toFixed(0)} ms\n`,
    );
  };
  await best(
    'stats',
    () => computeStats(core.db, ref, null),
    () => core.invoke('datasets.stats', { dataset: 'big' }),
  );
  await best(
    'split',
    () => assignSplits(core.db, ref, 42, [70, 10, 20]),
    () => core.invoke('datasets.split', { dataset: 'big', seed: 42, ratios: [70, 10, 20] }),
  );
  await core.close();
} finally {
  fs.rmSync(home, { recursive: true, force: true });
}
