// Saving every change as it happens. Each item's whole answer is sent; an item's requests go one
// at a time, so they reach the server in order and the last one wins; while one is in flight,
// newer changes wait and only the newest is sent next. A failed save keeps the answer here and
// tries again with backoff (when trying again can help), newer changes superseding it.

export type SaveStatus =
  { kind: 'saved' } | { kind: 'saving' } | { kind: 'retrying'; message: string } | { kind: 'failed'; message: string };

export interface AutosaveOptions<A> {
  send: (key: string, answer: A) => Promise<unknown>;
  /** Whether sending again can help (network, 5xx); a refusal stops until the next change. */
  retryable: (err: unknown) => boolean;
  describe: (err: unknown) => string;
  /** Wait before attempt `n` (0-based) after a failure. */
  backoffMs?: (attempt: number) => number;
}

const defaultBackoff = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt);

export class AutosaveQueue<A> {
  private readonly pending = new Map<string, A>();
  private readonly inflight = new Set<string>();
  private readonly debounces = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly failures = new Map<string, { retrying: boolean; message: string }>();
  private readonly listeners = new Set<() => void>();
  private waiters: (() => void)[] = [];
  private current: SaveStatus = { kind: 'saved' };

  constructor(private readonly options: AutosaveOptions<A>) {}

  /** Record `answer` as the item's latest and send it now, or after `debounceMs` of quiet. */
  save(key: string, answer: A, debounceMs = 0): void {
    this.pending.set(key, answer);
    const timer = this.debounces.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.debounces.delete(key);
    if (debounceMs > 0 && !this.inflight.has(key)) {
      this.debounces.set(
        key,
        setTimeout(() => {
          this.debounces.delete(key);
          void this.pump(key);
        }, debounceMs),
      );
      this.changed();
    } else {
      void this.pump(key);
    }
  }

  /** Send what waits on a debounce now (a text field lost focus, the page is submitting). */
  flushDebounced(key?: string): void {
    for (const [k, timer] of [...this.debounces]) {
      if (key !== undefined && k !== key) continue;
      clearTimeout(timer);
      this.debounces.delete(k);
      void this.pump(k);
    }
  }

  /** Resolves true once everything reached the server, false as soon as some save fails. */
  flush(): Promise<boolean> {
    this.flushDebounced();
    // A refused save waits for a new change; trying it once more is what "submit" asks for.
    for (const [key, f] of [...this.failures]) {
      if (f.retrying) continue;
      this.failures.delete(key);
      void this.pump(key);
    }
    return new Promise((resolve) => {
      const check = () => {
        const done = this.failures.size > 0 ? false : this.hasUnsaved() ? null : true;
        if (done !== null) resolve(done);
        return done !== null;
      };
      if (check()) return;
      const waiter = () => {
        if (check()) this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      this.waiters.push(waiter);
    });
  }

  hasUnsaved(): boolean {
    return this.pending.size > 0 || this.inflight.size > 0 || this.debounces.size > 0;
  }

  status(): SaveStatus {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async pump(key: string): Promise<void> {
    if (this.inflight.has(key) || !this.pending.has(key)) return;
    this.inflight.add(key);
    this.changed();
    let attempt = 0;
    while (this.pending.has(key)) {
      const answer = this.pending.get(key) as A;
      this.pending.delete(key);
      try {
        await this.options.send(key, answer);
        this.failures.delete(key);
        attempt = 0;
      } catch (err) {
        // Keep the answer unless a newer one arrived meanwhile (that one is sent instead).
        if (!this.pending.has(key)) this.pending.set(key, answer);
        const retrying = this.options.retryable(err);
        this.failures.set(key, { retrying, message: this.options.describe(err) });
        this.changed();
        if (!retrying) break;
        await new Promise((r) => setTimeout(r, (this.options.backoffMs ?? defaultBackoff)(attempt++)));
      }
      this.changed();
    }
    this.inflight.delete(key);
    this.changed();
  }

  private changed(): void {
    const failures = [...this.failures.values()];
    const refused = failures.find((f) => !f.retrying);
    const retrying = failures.find((f) => f.retrying);
    const next: SaveStatus = refused
      ? { kind: 'failed', message: refused.message }
      : retrying
        ? { kind: 'retrying', message: retrying.message }
        : this.hasUnsaved()
          ? { kind: 'saving' }
          : { kind: 'saved' };
    const same =
      next.kind === this.current.kind &&
      ('message' in next ? next.message : '') === ('message' in this.current ? this.current.message : '');
    if (!same) this.current = next;
    for (const w of [...this.waiters]) w();
    if (!same) for (const l of this.listeners) l();
  }
}

/** The words the save-state element shows (the e2e tests read them). */
export function saveStateText(status: SaveStatus): string {
  switch (status.kind) {
    case 'saved':
      return 'Saved';
    case 'saving':
      return 'Saving…';
    case 'retrying':
      return 'Not saved — retrying';
    case 'failed':
      return `Not saved — ${status.message}`;
  }
}
