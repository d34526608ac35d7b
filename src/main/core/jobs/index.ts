import { ApiError, type ApiErrorBody } from '../../../shared/contract';
import { JOB_LOG_LIMIT } from '../../../shared/contracts/jobs';
import type { JobInfo, JobLogLine, JobProgress, JobState } from '../../../shared/contracts/jobs';
import type { Db } from '../db';
import type { EventBus } from '../events';

export type JobKind = JobInfo['kind'];

export interface JobContext {
  jobId: number;
  /** Aborted when the job is cancelled; long work checks it between chunks. */
  signal: AbortSignal;
  /** Report progress; rate and ETA are computed here. Cheap to call often (events are throttled). */
  progress(done: number, total?: number | null): void;
  /**
   * Start a new phase counted in another unit (e.g. 'bytes' of a download, then 'steps'): done
   * goes back to 0, rate and ETA restart from now, and the change is published at once.
   */
  setUnit(unit: string, total?: number | null): void;
  /**
   * Append to the job's log (several lines if `line` has newlines). The last 500 lines are kept,
   * written to the database at most every 250 ms and at the end, and sent as `job-log` events.
   * Never log secrets or the environment.
   */
  log(line: string, level?: JobLogLine['level']): void;
}

export interface JobLog {
  lines: JobLogLine[];
  /** Lines were dropped before the first one returned. */
  truncatedBefore?: boolean;
}

/** What `wait` answers: the job, and why it failed (its error kind kept, e.g. invalid-input). */
export interface JobOutcome {
  job: JobInfo;
  error: ApiErrorBody | null;
}

export interface StartedJob<R> {
  job: JobInfo;
  /** Settles with the job's result; rejects with the job's error (ApiError 'cancelled' on cancel). */
  done: Promise<R>;
}

export interface JobService {
  start<R>(spec: {
    kind: JobKind;
    title: string;
    params: unknown;
    unit: string;
    /** The total, when known before the job starts (shown while queued); progress() can change it. */
    total?: number | null;
    /** Jobs sharing a queue run one at a time, in order (e.g. writers of the database). */
    queue?: string;
    run: (ctx: JobContext) => Promise<R>;
  }): StartedJob<R>;
  get(id: number): JobInfo;
  list(limit: number): JobInfo[];
  cancel(id: number): JobInfo;
  /** The job's log tail, or the lines after sequence number `after` (live or from the database). */
  log(id: number, after?: number): JobLog;
  /**
   * Wait up to `timeoutMs` for the job to end; the job as it then is, and its error with its
   * kind when it failed or was cancelled (null while it runs or once it succeeded).
   */
  wait(id: number, timeoutMs: number): Promise<JobOutcome>;
  /** Settles when every running and queued job has finished. */
  idle(): Promise<void>;
}

interface JobRow {
  id: number;
  kind: string;
  title: string;
  state: string;
  params: string;
  progress: string;
  result: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  log_tail: string | null;
}

const PROGRESS_EVENT_INTERVAL_MS = 100;
/** How many ended jobs keep their error kind in memory for `wait` (older ones read the database). */
const OUTCOMES_KEPT = 256;
/** `wait` on a job of another process (or one from before this process) reads the database this often. */
const WAIT_POLL_MS = 250;
const FINAL_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];
/** Log lines go to the database and out as events at most this often (and at the job's end). */
const LOG_FLUSH_MS = 250;
/** A longer line is cut (pip can print very long ones); keeps the stored tail bounded. */
const LOG_LINE_MAX = 4000;

/** The lines after `after` (all when undefined) and whether older lines were dropped before them. */
export function sliceLog(lines: readonly JobLogLine[], after?: number): JobLog {
  const from = after ?? 0;
  const out = lines.filter((l) => l.seq > from);
  const first = lines[0]?.seq;
  // Lines from+1 … first-1 existed but are gone from the ring.
  const truncated = first !== undefined && first > from + 1;
  return truncated ? { lines: out, truncatedBefore: true } : { lines: out };
}

function parseLogTail(raw: string | null): JobLogLine[] {
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? (parsed as JobLogLine[]) : [];
  } catch {
    return [];
  }
}

function rowToJob(r: JobRow): JobInfo {
  return {
    id: r.id,
    kind: r.kind as JobKind,
    title: r.title,
    state: r.state as JobState,
    params: JSON.parse(r.params) as unknown,
    progress: JSON.parse(r.progress) as JobProgress,
    result: r.result === null ? null : (JSON.parse(r.result) as unknown),
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/**
 * Persisted jobs. State changes (queued, running, final) are written to SQLite at once;
 * progress lives in memory and goes out as throttled events, so a job that holds a write
 * transaction on its own connection never waits on this one. A job found running or queued
 * at open was interrupted by a crash or kill, and is marked failed with that reason.
 */
/** Whether a process exists (EPERM: it does, but belongs to someone else). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return false; // a previous process that had our pid: it is gone
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Jobs left queued or running by a process that no longer exists were interrupted (a crash, a
 * kill, a power cut): mark them failed with that reason. Another live process's jobs are its own.
 */
function markInterrupted(db: Db, at: string): void {
  const open = db
    .prepare<[], { id: number; owner_pid: number | null }>(
      "SELECT id, owner_pid FROM jobs WHERE state IN ('queued', 'running')",
    )
    .all();
  const fail = db.prepare(
    `UPDATE jobs SET state = 'failed', error = 'interrupted: srlab stopped while this job was ' || state, finished_at = ? WHERE id = ?`,
  );
  for (const job of open) if (job.owner_pid === null || !processAlive(job.owner_pid)) fail.run(at, job.id);
}

export function createJobService(deps: { db: Db; events: EventBus; now?: () => Date }): JobService {
  const { db, events } = deps;
  const now = deps.now ?? (() => new Date());
  interface LiveLog {
    lines: JobLogLine[];
    nextSeq: number;
    /** Lines not yet sent as an event. */
    unsent: JobLogLine[];
    /** The tail changed since it was last written. */
    dirty: boolean;
    timer: NodeJS.Timeout | null;
  }
  const live = new Map<
    number,
    { info: JobInfo; abort: AbortController; lastEmit: number; startMs: number; log: LiveLog }
  >();
  const queues = new Map<string, Promise<unknown>>();
  const pending = new Set<Promise<unknown>>();
  /**
   * Each job this process started settles here with its error body (null: succeeded), so a
   * `wait` that comes after the job ended still learns its error kind (the database keeps only
   * the message). Bounded: the oldest are dropped.
   */
  const outcomes = new Map<number, Promise<ApiErrorBody | null>>();

  markInterrupted(db, now().toISOString());

  const insert = db.prepare(
    `INSERT INTO jobs (kind, title, state, params, progress, created_at, owner_pid) VALUES (?, ?, 'queued', ?, ?, ?, ${process.pid})`,
  );
  const update = db.prepare(
    `UPDATE jobs SET state = @state, progress = @progress, result = @result, error = @error,
       started_at = @startedAt, finished_at = @finishedAt WHERE id = @id`,
  );
  const byId = db.prepare<[number], JobRow>('SELECT * FROM jobs WHERE id = ?');
  const latest = db.prepare<[number], JobRow>('SELECT * FROM jobs ORDER BY id DESC LIMIT ?');
  const writeLog = db.prepare<[string, number]>('UPDATE jobs SET log_tail = ? WHERE id = ?');
  const readLog = db.prepare<[number], { log_tail: string | null }>('SELECT log_tail FROM jobs WHERE id = ?');

  /** Send unsent lines as one event and write the tail if it changed; a busy database retries later. */
  function flushLog(id: number, log: LiveLog): void {
    if (log.timer) {
      clearTimeout(log.timer);
      log.timer = null;
    }
    if (log.unsent.length > 0) {
      events.emit({ type: 'job-log', jobId: id, lines: log.unsent });
      log.unsent = [];
    }
    if (!log.dirty) return;
    try {
      writeLog.run(JSON.stringify(log.lines), id);
      log.dirty = false;
    } catch (err) {
      // The log is best effort: it never fails the job. Busy (another process writing): retry.
      if (err instanceof Error && /busy|locked/i.test(err.message)) {
        log.timer = setTimeout(() => flushLog(id, log), 1000);
        log.timer.unref();
      }
    }
  }

  function appendLog(id: number, log: LiveLog, text: string, level: JobLogLine['level']): void {
    const at = now().toISOString();
    for (const raw of text.split('\n')) {
      const line = raw.replace(/\r$/, '');
      if (!line.trim()) continue;
      const entry: JobLogLine = {
        seq: log.nextSeq++,
        at,
        level,
        text: line.length > LOG_LINE_MAX ? `${line.slice(0, LOG_LINE_MAX)}…` : line,
      };
      log.lines.push(entry);
      log.unsent.push(entry);
      log.dirty = true;
    }
    if (log.lines.length > JOB_LOG_LIMIT) log.lines.splice(0, log.lines.length - JOB_LOG_LIMIT);
    if (log.unsent.length > JOB_LOG_LIMIT) log.unsent.splice(0, log.unsent.length - JOB_LOG_LIMIT);
    if (log.dirty && !log.timer) {
      log.timer = setTimeout(() => flushLog(id, log), LOG_FLUSH_MS);
      log.timer.unref();
    }
  }

  function persist(info: JobInfo): void {
    update.run({
      id: info.id,
      state: info.state,
      progress: JSON.stringify(info.progress),
      result: info.result === null ? null : JSON.stringify(info.result),
      error: info.error,
      startedAt: info.startedAt,
      finishedAt: info.finishedAt,
    });
  }

  function publish(info: JobInfo): void {
    events.emit({ type: 'job', job: structuredClone(info) });
  }

  function setState(id: number, patch: Partial<JobInfo>): JobInfo {
    const entry = live.get(id);
    if (!entry) throw new Error(`job ${id} is not live`);
    Object.assign(entry.info, patch);
    // A busy database (another process importing) must not lose the final state: retry on the next tick.
    try {
      persist(entry.info);
    } catch (err) {
      setTimeout(() => {
        try {
          persist(entry.info);
        } catch {
          /* the next state change writes it */
        }
      }, 1000).unref();
      if (!(err instanceof Error && /busy|locked/i.test(err.message))) throw err;
    }
    publish(entry.info);
    return entry.info;
  }

  return {
    start({ kind, title, params, unit, total, queue, run }) {
      const progress: JobProgress = { done: 0, total: total ?? null, unit, rate: null, etaSeconds: null };
      const createdAt = now().toISOString();
      const id = Number(
        insert.run(kind, title, JSON.stringify(params ?? null), JSON.stringify(progress), createdAt).lastInsertRowid,
      );
      const info: JobInfo = {
        id,
        kind,
        title,
        state: 'queued',
        params: params ?? null,
        progress,
        result: null,
        error: null,
        createdAt,
        startedAt: null,
        finishedAt: null,
      };
      const abort = new AbortController();
      const log: LiveLog = { lines: [], nextSeq: 1, unsent: [], dirty: false, timer: null };
      const entry = { info, abort, lastEmit: 0, startMs: 0, log };
      live.set(id, entry);
      publish(info);

      const ctx: JobContext = {
        jobId: id,
        signal: abort.signal,
        progress(done, total) {
          const p = entry.info.progress;
          p.done = done;
          if (total !== undefined) p.total = total;
          const elapsed = (performance.now() - entry.startMs) / 1000;
          p.rate = elapsed > 0.2 ? done / elapsed : null;
          p.etaSeconds = p.rate && p.total !== null && p.rate > 0 ? Math.max(0, (p.total - done) / p.rate) : null;
          const t = performance.now();
          if (t - entry.lastEmit >= PROGRESS_EVENT_INTERVAL_MS) {
            entry.lastEmit = t;
            publish(entry.info);
          }
        },
        setUnit(unit, total = null) {
          entry.info.progress = { done: 0, total, unit, rate: null, etaSeconds: null };
          entry.startMs = performance.now();
          entry.lastEmit = performance.now();
          publish(entry.info);
        },
        log(line, level = 'info') {
          if (live.get(id) !== entry) return; // the job has ended: nothing more goes in its log
          appendLog(id, log, line, level);
        },
      };

      const execute = async (): Promise<unknown> => {
        if (abort.signal.aborted) throw new ApiError('cancelled', `job ${id} was cancelled`);
        entry.startMs = performance.now();
        setState(id, { state: 'running', startedAt: now().toISOString() });
        return run(ctx);
      };
      const previous = queue ? (queues.get(queue) ?? Promise.resolve()) : Promise.resolve();
      const done = previous.catch(() => undefined).then(execute);
      if (queue)
        queues.set(
          queue,
          done.catch(() => undefined),
        );

      const settled = done.then(
        (result) => {
          flushLog(id, log);
          setState(id, { state: 'succeeded', result: (result ?? null) as unknown, finishedAt: now().toISOString() });
          live.delete(id);
        },
        (err: unknown) => {
          const cancelled = abort.signal.aborted || (err instanceof ApiError && err.kind === 'cancelled');
          const message = err instanceof Error ? err.message : String(err);
          if (!cancelled) appendLog(id, log, `failed: ${message}`, 'error');
          flushLog(id, log);
          setState(id, {
            state: cancelled ? 'cancelled' : 'failed',
            error: cancelled ? 'cancelled by the user' : message,
            finishedAt: now().toISOString(),
          });
          live.delete(id);
        },
      );
      pending.add(settled);
      void settled.finally(() => pending.delete(settled));
      outcomes.set(
        id,
        settled
          .catch(() => undefined)
          .then(() =>
            done.then(
              () => null,
              (err: unknown): ApiErrorBody => {
                // As the job's state says: an aborted job was cancelled, whatever its work threw.
                if (err instanceof ApiError && (err.kind === 'cancelled' || !abort.signal.aborted)) return err.toBody();
                if (abort.signal.aborted) return { kind: 'cancelled', message: 'cancelled by the user' };
                return { kind: 'failed', message: err instanceof Error ? err.message : String(err) };
              },
            ),
          ),
      );
      if (outcomes.size > OUTCOMES_KEPT) outcomes.delete(outcomes.keys().next().value!);
      return { job: structuredClone(info), done: done as Promise<never> };
    },

    get(id) {
      const entry = live.get(id);
      if (entry) return structuredClone(entry.info);
      const row = byId.get(id);
      if (!row) throw new ApiError('not-found', `no job ${id}`);
      return rowToJob(row);
    },

    list(limit) {
      return latest.all(limit).map((r) => (live.has(r.id) ? structuredClone(live.get(r.id)!.info) : rowToJob(r)));
    },

    cancel(id) {
      const entry = live.get(id);
      if (!entry) {
        const job = this.get(id);
        if (job.state === 'running' || job.state === 'queued') {
          throw new ApiError(
            'conflict',
            `job ${id} belongs to another srlab process (serve mode, desktop or CLI); cancel it there`,
          );
        }
        throw new ApiError('conflict', `job ${id} has already finished (${job.state})`);
      }
      entry.abort.abort();
      return structuredClone(entry.info);
    },

    log(id, after) {
      const entry = live.get(id);
      if (entry) return sliceLog(structuredClone(entry.log.lines), after);
      const row = readLog.get(id);
      if (!row) throw new ApiError('not-found', `no job ${id}`);
      return sliceLog(parseLogTail(row.log_tail), after);
    },

    async wait(id, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const outcome = outcomes.get(id);
      if (outcome) {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        });
        const error = await Promise.race([outcome, timedOut]).finally(() => clearTimeout(timer));
        return { job: this.get(id), error: error === 'timeout' ? null : error };
      }
      // Another process's job (or one this process started before its outcome was dropped): poll.
      for (;;) {
        const job = this.get(id);
        if (FINAL_STATES.includes(job.state) || Date.now() >= deadline) {
          const error: ApiErrorBody | null =
            job.state === 'failed'
              ? { kind: 'failed', message: job.error ?? 'failed' }
              : job.state === 'cancelled'
                ? { kind: 'cancelled', message: job.error ?? 'cancelled' }
                : null;
          return { job, error };
        }
        await new Promise((r) => setTimeout(r, Math.min(WAIT_POLL_MS, Math.max(0, deadline - Date.now()))));
      }
    },

    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
