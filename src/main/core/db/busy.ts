// SQLite has one writer at a time, and an import holds the write lock for its whole transaction
// (minutes for a large file: one transaction, so a killed import leaves the database as it was).
// This module is how every other write lives with that:
// - writes begin IMMEDIATE (take the lock before reading), because a deferred transaction that
//   has read cannot wait for the lock: SQLite answers SQLITE_BUSY at once, without the busy handler;
// - a user's write waits for the lock without blocking the event loop (`whenWritable`): an import
//   of this process reads its file on this very thread, so a synchronous wait would stall the
//   import that holds the lock;
// - a write that still cannot proceed answers the `busy` kind naming the job that writes
//   (`busyError`), and a write into a dataset that is being imported into is refused at once as a
//   `conflict` (`refuseWhileImporting`): waiting out a whole import would outlast any request.
import { ApiError } from '../../../shared/contract';
import { processAlive } from '../jobs';
import type { Db } from './index';

/** How long a user's write waits for the lock before it answers `busy`. */
export const DEFAULT_WRITE_WAIT_MS = 10_000;
/**
 * The connections' own busy_timeout, for writes that wait synchronously (job bookkeeping, run
 * results): such a wait blocks its thread, so it is shorter than a user's write's wait.
 */
export const DEFAULT_SYNC_BUSY_TIMEOUT_MS = 5_000;
/** Overrides both waits (milliseconds), e.g. short ones in tests. */
export const BUSY_TIMEOUT_ENV = 'SRLAB_BUSY_TIMEOUT_MS';

function envWaitMs(): number | null {
  const raw = process.env[BUSY_TIMEOUT_ENV]?.trim();
  if (!raw) return null;
  const ms = Number(raw);
  return Number.isInteger(ms) && ms >= 0 && ms <= 600_000 ? ms : null;
}

export function writeWaitMs(): number {
  return envWaitMs() ?? DEFAULT_WRITE_WAIT_MS;
}

export function syncBusyTimeoutMs(): number {
  return envWaitMs() ?? DEFAULT_SYNC_BUSY_TIMEOUT_MS;
}

/** better-sqlite3's SqliteError for a lock held elsewhere (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED…). */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Job kinds that hold the write lock for long: one transaction over a whole dataset. */
const LONG_WRITERS = ['import', 'split'] as const;

export interface WriterJob {
  id: number;
  kind: (typeof LONG_WRITERS)[number];
  title: string;
  /** The dataset it writes into, from its params. */
  dataset: string | null;
}

/**
 * The long writers running now, in this or another live srlab process: desktop, serve mode and
 * the CLI share the jobs table. A row left "running" by a process that died is not one.
 */
export function runningWriters(db: Db): WriterJob[] {
  const rows = db
    .prepare<[], { id: number; kind: WriterJob['kind']; title: string; params: string; owner_pid: number | null }>(
      `SELECT id, kind, title, params, owner_pid FROM jobs
        WHERE state = 'running' AND kind IN (${LONG_WRITERS.map((k) => `'${k}'`).join(', ')}) ORDER BY id`,
    )
    .all();
  return rows
    .filter((r) => r.owner_pid === process.pid || (r.owner_pid !== null && processAlive(r.owner_pid)))
    .map((r) => ({ id: r.id, kind: r.kind, title: r.title, dataset: datasetOf(r.params) }));
}

function datasetOf(params: string): string | null {
  try {
    const p = JSON.parse(params) as { dataset?: unknown } | null;
    return typeof p?.dataset === 'string' ? p.dataset : null;
  } catch {
    return null;
  }
}

/** "job 12: Import big.jsonl into big" */
const describe = (job: WriterJob) => `job ${job.id}: ${job.title}`;

/** The `busy` answer, naming the jobs that are writing when they are known. */
export function busyError(db: Db): ApiError {
  let writers: WriterJob[] = [];
  try {
    writers = runningWriters(db);
  } catch {
    // Naming the writer is a courtesy; the answer is `busy` either way.
  }
  const which = writers.length > 0 ? ` (${writers.map(describe).join('; ')})` : '';
  return new ApiError('busy', `another job is writing to the database${which}; try again when it ends`);
}

/** `busy` for a lock error (see isBusyError), else null: core.call's one mapping of them. */
export function asBusyError(db: Db, err: unknown): ApiError | null {
  return isBusyError(err) ? busyError(db) : null;
}

/**
 * Refuse at once a write into `dataset` while an import writes into it: the write could only
 * wait for the whole import, and removing or re-splitting a dataset under an import is a
 * conflict the user should see, not a timeout.
 */
export function refuseWhileImporting(db: Db, dataset: string): void {
  const job = runningWriters(db).find((w) => w.kind === 'import' && w.dataset === dataset);
  if (job) {
    throw new ApiError(
      'conflict',
      `dataset "${dataset}" is being imported into (${describe(job)}); try again when the import ends`,
    );
  }
}

/**
 * Run `write` once the write lock is free. `write` must be all or nothing (one IMMEDIATE
 * transaction, or one statement), so an attempt that meets the lock has changed nothing and can
 * be repeated. Each attempt does not wait inside SQLite; between attempts the event loop runs
 * (an import of this process goes on and can commit). After `waitMs` it answers `busy`.
 */
export async function whenWritable<T>(db: Db, write: () => T, waitMs = writeWaitMs()): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
    try {
      return withoutBusyWait(db, write);
    } catch (err) {
      if (!isBusyError(err)) throw err;
      if (Date.now() >= deadline) throw busyError(db);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(pause, deadline - Date.now()))));
  }
}

function withoutBusyWait<T>(db: Db, fn: () => T): T {
  const saved = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    return fn();
  } finally {
    db.pragma(`busy_timeout = ${saved}`);
  }
}
