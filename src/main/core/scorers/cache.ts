// The score cache: a text scored once by a scorer (its id and version) is never scored again —
// re-running an evaluation, adding a generator or resuming after a crash only scores what is new.
// Keyed by (scorer id, scorer version, sha256 of the text). Errors are not cached (a timeout or a
// rate limit should be retried next time); the table's `error` column stays NULL for that reason
// and exists so the row shape matches ScoreResult.
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db';
import type { Scorer, ScoreResult } from './types';

export interface CachedScores {
  results: ScoreResult[];
  /** Texts answered from the cache. */
  cached: number;
  /** Distinct texts the scorer was asked for. */
  scored: number;
}

export interface ScoreCachedOptions {
  signal?: AbortSignal;
  /** Texts done so far (cached ones count at once), out of texts.length. */
  onProgress?: (done: number) => void;
  /** Texts per call of the scorer; each batch's results are stored before the next starts. Default 512. */
  batchSize?: number;
}

export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** SQLite's default limit is 32 766 variables; stay far below it. */
const LOOKUP_CHUNK = 500;

interface CacheRow {
  text_hash: string;
  score: number | null;
  label: string | null;
  probs: string | null;
}

export function createScoreCache(db: Db) {
  const insert = db.prepare(
    `INSERT OR REPLACE INTO score_cache (scorer_id, scorer_version, text_hash, score, label, probs, error, created_at)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
  );
  const lookups = new Map<number, Statement<unknown[], CacheRow>>();
  function lookup(n: number): Statement<unknown[], CacheRow> {
    let s = lookups.get(n);
    if (!s) {
      s = db.prepare<unknown[], CacheRow>(
        `SELECT text_hash, score, label, probs FROM score_cache
         WHERE scorer_id = ? AND scorer_version = ? AND text_hash IN (${new Array(n).fill('?').join(',')})`,
      );
      lookups.set(n, s);
    }
    return s;
  }

  /** Cached results for these hashes (only the ones present). */
  function get(scorerId: string, version: string, hashes: readonly string[]): Map<string, ScoreResult> {
    const found = new Map<string, ScoreResult>();
    for (let i = 0; i < hashes.length; i += LOOKUP_CHUNK) {
      const chunk = hashes.slice(i, i + LOOKUP_CHUNK);
      const rows = lookup(chunk.length).all(scorerId, version, ...chunk);
      for (const r of rows)
        found.set(r.text_hash, {
          score: r.score,
          label: r.label,
          probs: r.probs === null ? null : (JSON.parse(r.probs) as Record<string, number>),
          error: null,
        });
    }
    return found;
  }

  const putMany = db.transaction((scorerId: string, version: string, entries: [string, ScoreResult][], at: string) => {
    for (const [hash, r] of entries) {
      if (r.error !== null) continue;
      insert.run(scorerId, version, hash, r.score, r.label, r.probs === null ? null : JSON.stringify(r.probs), at);
    }
  });

  /**
   * Results for `texts` in order: cached ones from the table, the rest from `scorer` (each
   * distinct text once, in batches, every batch stored as it finishes so a cancel or crash keeps
   * what was done).
   */
  async function scoreCached(
    scorer: Scorer,
    texts: readonly string[],
    opts: ScoreCachedOptions = {},
  ): Promise<CachedScores> {
    const { id, version } = scorer.info;
    const hashes = texts.map(textHash);
    const known = get(id, version, [...new Set(hashes)]);
    const results: (ScoreResult | undefined)[] = hashes.map((h) => known.get(h));
    let cached = 0;
    // Distinct misses, with every position they fill.
    const missing = new Map<string, { text: string; at: number[] }>();
    hashes.forEach((h, i) => {
      if (results[i]) {
        cached++;
        return;
      }
      const m = missing.get(h);
      if (m) m.at.push(i);
      else missing.set(h, { text: texts[i]!, at: [i] });
    });
    let done = cached;
    opts.onProgress?.(done);
    const todo = [...missing.entries()];
    const batch = Math.max(1, opts.batchSize ?? 512);
    for (let from = 0; from < todo.length; from += batch) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('cancelled');
      const part = todo.slice(from, from + batch);
      const scored = await scorer.score(
        part.map(([, m]) => m.text),
        opts.signal ? { signal: opts.signal } : {},
      );
      if (scored.length !== part.length)
        throw new Error(`scorer ${id} returned ${scored.length} results for ${part.length} texts`);
      putMany(
        id,
        version,
        part.map(([h], k) => [h, scored[k]!]),
        new Date().toISOString(),
      );
      part.forEach(([, m], k) => {
        for (const i of m.at) results[i] = scored[k]!;
        done += m.at.length;
      });
      opts.onProgress?.(done);
    }
    return { results: results as ScoreResult[], cached, scored: todo.length };
  }

  /** Drop a scorer's cached scores (all versions); the number of rows removed. */
  function forget(scorerId: string): number {
    return db.prepare('DELETE FROM score_cache WHERE scorer_id = ?').run(scorerId).changes;
  }

  return { scoreCached, get, forget };
}

export type ScoreCache = ReturnType<typeof createScoreCache>;
