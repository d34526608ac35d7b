// One supervised worker process: JSON lines over stdio (python-worker/srlab_worker/protocol.py).
// Readiness comes from an explicit `ready` message, liveness from heartbeats; cancel is a
// message first, then SIGTERM, then SIGKILL.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export interface WorkerEvent {
  id: number | string;
  event: 'progress' | 'log' | 'metric' | 'checkpoint';
  [key: string]: unknown;
}

/** A typed failure of a worker job (or of the worker itself: code "crashed", "never-ready", "unresponsive"). */
export class WorkerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string = '',
    readonly stderrTail: string = '',
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}

export interface WorkerOptions {
  python: string;
  /** Folder holding the srlab_worker package (PYTHONPATH). */
  root: string;
  /** Python arguments; default `-u -m srlab_worker` (the stdio worker). `accelerate launch` for DDP. */
  args?: string[];
  /** Run in its own process group and signal the whole group (a launcher and its ranks). */
  processGroup?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Where the pid file goes, so a later launch can clean up an orphan. */
  pidDir?: string;
  readyTimeoutMs?: number;
  /** Kill the worker after this long without a line on stdout; 0: never (default 120 s). */
  heartbeatTimeoutMs?: number;
  /** After a cancel message: wait this long, then SIGTERM; as long again, then SIGKILL. */
  cancelGraceMs?: number;
}

interface Pending {
  method: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onEvent?: ((e: WorkerEvent) => void) | undefined;
}

const STDERR_TAIL_LINES = 40;

export class WorkerProcess {
  readonly pid: number;
  readyInfo: Record<string, unknown> = {};
  private nextId = 1;
  private pending = new Map<number | string, Pending>();
  private unclaimed: Record<string, unknown>[] = [];
  private stderrLines: string[] = [];
  private lastSeen = Date.now();
  private exited = false;
  private exitPromise: Promise<void>;
  private watchdog: NodeJS.Timeout | undefined;
  private pidFile: string | undefined;

  private constructor(
    private child: ChildProcessWithoutNullStreams,
    private opts: WorkerOptions,
  ) {
    this.pid = child.pid!;
    this.exitPromise = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Spawn and wait for `ready`; a worker that never says it is ready is killed. */
  static async start(opts: WorkerOptions): Promise<WorkerProcess> {
    const child = spawn(opts.python, opts.args ?? ['-u', '-m', 'srlab_worker'], {
      cwd: opts.root,
      env: { ...process.env, ...opts.env, PYTHONPATH: opts.root, PYTHONUNBUFFERED: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: opts.processGroup === true,
    });
    const w = new WorkerProcess(child, opts);
    return w.init();
  }

  private init(): Promise<WorkerProcess> {
    const { child, opts } = this;
    if (opts.pidDir && this.pid) {
      fs.mkdirSync(opts.pidDir, { recursive: true });
      this.pidFile = path.join(opts.pidDir, `${this.pid}.json`);
      fs.writeFileSync(
        this.pidFile,
        JSON.stringify({ pid: this.pid, parent: process.pid, python: opts.python, group: opts.processGroup === true }),
      );
    }
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      this.stderrLines.push(line);
      if (this.stderrLines.length > STDERR_TAIL_LINES) this.stderrLines.shift();
    });
    return new Promise((resolve, reject) => {
      let ready = false;
      const readyTimer = setTimeout(() => {
        if (ready) return;
        this.kill('SIGKILL');
        reject(
          new WorkerError(
            'never-ready',
            `the worker did not report ready within ${(opts.readyTimeoutMs ?? 120_000) / 1000} s`,
            'run srlab worker doctor',
            this.stderrTail(),
          ),
        );
      }, opts.readyTimeoutMs ?? 120_000);
      child.once('error', (err) => {
        clearTimeout(readyTimer);
        reject(
          new WorkerError(
            'spawn-failed',
            `cannot start the worker (${opts.python}): ${err.message}`,
            'run srlab worker setup',
          ),
        );
      });
      child.once('exit', (code, signal) => {
        this.exited = true;
        clearTimeout(readyTimer);
        if (this.watchdog) clearInterval(this.watchdog);
        if (this.pidFile) fs.rmSync(this.pidFile, { force: true });
        const why = `the worker exited (${signal ? `signal ${signal}` : `code ${code}`})`;
        const tail = this.stderrTail();
        const last = tail.trim().split('\n').at(-1) ?? '';
        if (!ready)
          reject(
            new WorkerError(
              'never-ready',
              `${why} before it was ready${last ? `: ${last}` : ''}`,
              'run srlab worker doctor',
              tail,
            ),
          );
        for (const p of this.pending.values())
          p.reject(
            new WorkerError(
              'crashed',
              `${why} during "${p.method}"${last ? `: ${last}` : ''}`,
              'the stderr tail is kept with the job',
              tail,
            ),
          );
        this.pending.clear();
      });
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        this.lastSeen = Date.now();
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          this.stderrLines.push(`(stdout, not protocol) ${line}`);
          return;
        }
        if (msg.ready && !ready) {
          ready = true;
          clearTimeout(readyTimer);
          this.readyInfo = msg.ready as Record<string, unknown>;
          this.startWatchdog();
          resolve(this);
          return;
        }
        if ('heartbeat' in msg) return;
        const id = msg.id as number | string;
        const p = this.pending.get(id);
        if (!p) {
          // A launched rank 0 may speak before `expect` is called (same stdout chunk as `ready`).
          if (typeof id === 'string') this.unclaimed.push(msg);
          return;
        }
        this.deliver(p, msg);
      });
    });
  }

  private deliver(p: Pending, msg: Record<string, unknown>): void {
    const id = msg.id as number | string;
    if (typeof msg.event === 'string') p.onEvent?.(msg as unknown as WorkerEvent);
    else if (msg.error) {
      this.pending.delete(id);
      const e = msg.error as { code: string; message: string; hint?: string };
      p.reject(new WorkerError(e.code, e.message, e.hint ?? '', this.stderrTail()));
    } else if ('result' in msg) {
      this.pending.delete(id);
      p.resolve(msg.result);
    }
  }

  private startWatchdog(): void {
    // Generous: a heartbeat can wait on the GIL while a C extension loads a large checkpoint.
    const limit = this.opts.heartbeatTimeoutMs ?? 120_000;
    if (limit <= 0) return;
    this.watchdog = setInterval(
      () => {
        if (Date.now() - this.lastSeen > limit) {
          this.stderrLines.push(`(srlab) no heartbeat for ${limit / 1000} s: killing the worker`);
          this.kill('SIGKILL');
        }
      },
      Math.min(limit, 1000),
    );
    this.watchdog.unref();
  }

  get alive(): boolean {
    return !this.exited;
  }

  stderrTail(): string {
    return this.stderrLines.join('\n');
  }

  private send(message: unknown): void {
    if (!this.exited) this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  /** Send raw text (protocol tests: malformed lines). */
  sendRaw(line: string): void {
    if (!this.exited) this.child.stdin.write(`${line}\n`);
  }

  /**
   * One job. On abort: a cancel message; if the job has not ended after the grace period,
   * SIGTERM, then SIGKILL — the promise then rejects as a crash with code "cancelled".
   */
  request(
    method: string,
    params: unknown,
    opts: { onEvent?: (e: WorkerEvent) => void; signal?: AbortSignal } = {},
  ): Promise<unknown> {
    if (this.exited) return Promise.reject(new WorkerError('crashed', 'the worker is not running'));
    const id = this.nextId++;
    const done = this.awaitReply(id, method, opts.onEvent);
    this.send({ id, method, params });
    return this.cancellable(done, method, opts.signal, () =>
      this.send({ id: this.nextId++, method: 'cancel', params: { id } }),
    );
  }

  /**
   * The reply to a job this process started on its own (a launched `train_entry` rank 0 runs
   * the request given on its command line, under a fixed id). `cancel` asks it to stop (a cancel
   * file); after the grace period the process group gets SIGTERM, then SIGKILL.
   */
  expect(
    id: string,
    method: string,
    opts: { onEvent?: (e: WorkerEvent) => void; signal?: AbortSignal; cancel: () => void },
  ): Promise<unknown> {
    if (this.exited) return Promise.reject(new WorkerError('crashed', 'the worker is not running'));
    return this.cancellable(this.awaitReply(id, method, opts.onEvent), method, opts.signal, opts.cancel);
  }

  private awaitReply(
    id: number | string,
    method: string,
    onEvent: ((e: WorkerEvent) => void) | undefined,
  ): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const p: Pending = { method, resolve, reject, onEvent };
      this.pending.set(id, p);
      const early = this.unclaimed.filter((m) => m.id === id);
      this.unclaimed = this.unclaimed.filter((m) => m.id !== id);
      for (const m of early) this.deliver(p, m);
    });
  }

  private cancellable(
    done: Promise<unknown>,
    method: string,
    signal: AbortSignal | undefined,
    askToCancel: () => void,
  ): Promise<unknown> {
    if (signal) {
      const onAbort = () => {
        askToCancel();
        const grace = this.opts.cancelGraceMs ?? 10_000;
        const term = setTimeout(() => {
          this.kill('SIGTERM');
          setTimeout(() => this.kill('SIGKILL'), grace).unref();
        }, grace);
        term.unref();
        void done.finally(() => clearTimeout(term)).catch(() => undefined);
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      void done.finally(() => signal.removeEventListener('abort', onAbort)).catch(() => undefined);
    }
    return done.catch((err: unknown) => {
      if (signal?.aborted && err instanceof WorkerError && err.code === 'crashed')
        throw new WorkerError('cancelled', `"${method}" was cancelled (the worker was stopped)`, '', err.stderrTail);
      throw err;
    });
  }

  kill(signal: NodeJS.Signals): void {
    if (this.exited) return;
    if (this.opts.processGroup) {
      try {
        process.kill(-this.pid, signal); // the launcher and every rank it started
        return;
      } catch {
        /* group already gone: fall through to the child itself */
      }
    }
    this.child.kill(signal);
  }

  /** Ask it to shut down; SIGTERM then SIGKILL if it does not. */
  async close(graceMs = 3000): Promise<void> {
    if (this.exited) return;
    this.send({ id: this.nextId++, method: 'shutdown', params: {} });
    this.child.stdin.end();
    const timeout = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
    await Promise.race([this.exitPromise, timeout(graceMs)]);
    if (!this.exited) {
      this.kill('SIGTERM');
      await Promise.race([this.exitPromise, timeout(graceMs)]);
    }
    if (!this.exited) {
      this.kill('SIGKILL');
      await this.exitPromise;
    }
  }

  exited_(): Promise<void> {
    return this.exitPromise;
  }
}

/** Kill workers whose parent srlab process is gone (left by a crash); remove stale pid files. */
export function cleanupOrphans(pidDir: string, isAlive: (pid: number) => boolean): number[] {
  if (!fs.existsSync(pidDir)) return [];
  const killed: number[] = [];
  for (const name of fs.readdirSync(pidDir)) {
    const file = path.join(pidDir, name);
    try {
      const { pid, parent, group } = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        pid: number;
        parent: number;
        group?: boolean;
      };
      if (isAlive(parent)) continue; // another live srlab's worker
      if (isAlive(pid) && isOurWorker(pid)) {
        process.kill(group ? -pid : pid, 'SIGKILL');
        waitUntilDead(pid, 5000);
        killed.push(pid);
      }
    } catch {
      /* unreadable: stale */
    }
    fs.rmSync(file, { force: true });
  }
  return killed;
}

/**
 * SIGKILL is delivered at once, but a busy (or stopped) process takes a moment to exit and free
 * its memory — on a GPU, the VRAM the next training needs. Wait (synchronously: this runs while
 * the core opens) until it is gone or a zombie its dead parent cannot reap, at most `ms`.
 */
function waitUntilDead(pid: number, ms: number): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (const until = Date.now() + ms; Date.now() < until; Atomics.wait(pause, 0, 0, 10)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return;
    } catch {
      if (process.platform === 'linux' || !processExists(pid)) return;
    }
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Only kill a process that is really a srlab worker (pids are reused). */
function isOurWorker(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('srlab_worker');
  } catch {
    return process.platform !== 'linux'; // no /proc: trust the pid file
  }
}
