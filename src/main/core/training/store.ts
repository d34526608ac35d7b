// Persistence of training runs (one JSON TrainRun per row) and their metrics.
import { TrainRun, type TrainMetric } from '../../../shared/contracts/training';
import type { Db } from '../db';
import { processAlive } from '../jobs';

/**
 * A stored run through the contract, so keys added since it was written get their defaults
 * (e.g. adapterCheckpoint null, config.final_checkpoint 'last'); a row the schema refuses is
 * returned as stored rather than hidden.
 */
function readRun(data: string): TrainRun {
  const raw = JSON.parse(data) as unknown;
  const parsed = TrainRun.safeParse(raw);
  return parsed.success ? parsed.data : (raw as TrainRun);
}

export function createTrainStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO train_runs (state, data, owner_pid, created_at) VALUES ('queued', '{}', ${process.pid}, ?)`,
  );
  const update = db.prepare(
    'UPDATE train_runs SET state = ?, data = ?, job_id = ?, finished_at = ?, owner_pid = ? WHERE id = ?',
  );
  const byId = db.prepare<[number], { data: string }>('SELECT data FROM train_runs WHERE id = ?');
  const latest = db.prepare<[number], { data: string }>('SELECT data FROM train_runs ORDER BY id DESC LIMIT ?');
  const addMetric = db.prepare(
    'INSERT INTO train_metrics (run_id, step, split, loss, lr, grad_norm, tokens_per_second, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const metrics = db.prepare<
    [number],
    {
      step: number;
      split: 'train' | 'eval';
      loss: number;
      lr: number | null;
      grad_norm: number | null;
      tokens_per_second: number | null;
      at: string;
    }
  >(
    'SELECT step, split, loss, lr, grad_norm, tokens_per_second, at FROM train_metrics WHERE run_id = ? ORDER BY step, rowid',
  );
  const requestCancel = db.prepare('UPDATE train_runs SET cancel_requested = 1 WHERE id = ?');
  const clearCancel = db.prepare('UPDATE train_runs SET cancel_requested = 0 WHERE id = ?');
  const cancelRequested = db.prepare<[number], { c: number }>(
    'SELECT cancel_requested AS c FROM train_runs WHERE id = ?',
  );

  return {
    create(at: string): number {
      return Number(insert.run(at).lastInsertRowid);
    },
    save(run: TrainRun, ownerPid: number | null = process.pid): void {
      update.run(run.state, JSON.stringify(run), run.jobId, run.finishedAt, ownerPid, run.id);
    },
    get(id: number): TrainRun | undefined {
      const row = byId.get(id);
      return row ? readRun(row.data) : undefined;
    },
    list(limit: number): TrainRun[] {
      return latest.all(limit).map((r) => readRun(r.data));
    },
    addMetric(runId: number, m: TrainMetric): void {
      addMetric.run(runId, m.step, m.split, m.loss, m.lr, m.gradNorm, m.tokensPerSecond, m.at);
    },
    metrics(runId: number): TrainMetric[] {
      return metrics.all(runId).map((r) => ({
        step: r.step,
        split: r.split,
        loss: r.loss,
        lr: r.lr,
        gradNorm: r.grad_norm,
        tokensPerSecond: r.tokens_per_second,
        at: r.at,
      }));
    },
    requestCancel(id: number): void {
      requestCancel.run(id);
    },
    clearCancel(id: number): void {
      clearCancel.run(id);
    },
    cancelRequested(id: number): boolean {
      return (cancelRequested.get(id)?.c ?? 0) === 1;
    },
    /** Runs left queued/running by a process that is gone were interrupted: mark them failed. */
    markInterrupted(at: string): void {
      const open = db
        .prepare<[], { id: number; owner_pid: number | null; data: string }>(
          "SELECT id, owner_pid, data FROM train_runs WHERE state IN ('queued', 'running')",
        )
        .all();
      for (const row of open) {
        if (row.owner_pid !== null && processAlive(row.owner_pid)) continue;
        const run = JSON.parse(row.data) as TrainRun;
        run.state = 'failed';
        run.error = 'interrupted: srlab stopped while this run was training; resume it from its last checkpoint';
        run.finishedAt = at;
        this.save(run, null);
      }
    },
  };
}
export type TrainStore = ReturnType<typeof createTrainStore>;
