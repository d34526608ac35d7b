// The evaluation tables' reads and writes: evaluations and their stages, the item snapshot, the
// generation runs used, the scorers used and the item scores. Everything the tables show is
// read back through here, so a table is always recomputable from the database alone.
import { ApiError } from '../../../shared/contract';
import {
  EvaluationConfig,
  type EvaluationStage,
  type EvaluationState,
  type EvaluationSummary,
} from '../../../shared/contracts/evaluation';
import type { Db } from '../db';
import type { SnapshotItem } from './resolve';
import { OWNER, ownerAlive } from '../owner';

interface EvaluationRow {
  id: number;
  name: string;
  config: string;
  config_hash: string;
  state: string;
  stages: string;
  job_id: number | null;
  owner: string | null;
  heartbeat_at: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface ScorerRecord {
  id: string;
  version: string;
  measure: string;
  threshold: number;
  description: string;
  spec: unknown;
  position: number;
}

export interface ScoreRecord {
  generator: string;
  testset: string;
  index: number;
  scorer: string;
  version: string;
  score: number | null;
  verdict: boolean | null;
  label: string | null;
  probs: Record<string, number> | null;
  error: string | null;
}

export type EvaluationStore = ReturnType<typeof createEvaluationStore>;

export function createEvaluationStore(db: Db, now: () => Date, live: ReadonlySet<number>) {
  const byId = db.prepare<[number], EvaluationRow>('SELECT * FROM evaluations WHERE id = ?');
  const byName = db.prepare<[string], EvaluationRow>('SELECT * FROM evaluations WHERE name = ? ORDER BY id DESC');
  const setState = db.prepare('UPDATE evaluations SET state = ?, error = ?, finished_at = ? WHERE id = ?');

  /** Recorded as running, but its process is gone: interrupted (said once, in the database). */
  function effectiveState(r: EvaluationRow): EvaluationState {
    if (
      (r.state === 'running' || r.state === 'queued') &&
      !live.has(r.id) &&
      !ownerAlive(r.owner, r.heartbeat_at, now())
    ) {
      const reason = `interrupted: srlab stopped while this evaluation was ${r.state}; resume it (srlab eval run --config … again, or evaluation.resume ${r.id}) to finish`;
      setState.run('interrupted', reason, r.finished_at, r.id);
      r.state = 'interrupted';
      r.error = reason;
    }
    return r.state as EvaluationState;
  }

  function summary(r: EvaluationRow): EvaluationSummary {
    return {
      id: r.id,
      name: r.name,
      state: effectiveState(r),
      config: EvaluationConfig.parse(JSON.parse(r.config)),
      stages: JSON.parse(r.stages) as EvaluationStage[],
      jobId: r.job_id,
      error: r.error,
      createdAt: r.created_at,
      finishedAt: r.finished_at,
    };
  }

  function get(id: number): EvaluationSummary {
    const r = byId.get(id);
    if (!r) throw new ApiError('not-found', `no evaluation ${id}`);
    return summary(r);
  }

  /** By id, or by name (the newest of that name). */
  function find(key: number | string): EvaluationSummary {
    if (typeof key === 'number' || /^\d+$/.test(key)) {
      const r = byId.get(Number(key));
      if (r) return summary(r);
      if (typeof key === 'number') throw new ApiError('not-found', `no evaluation ${key}`);
    }
    const r = byName.get(String(key));
    if (!r) {
      const names = db.prepare<[], string>('SELECT name FROM evaluations ORDER BY id DESC LIMIT 20').pluck().all();
      throw new ApiError(
        'not-found',
        `no evaluation "${key}"${names.length ? ` (have: ${names.join(', ')})` : ' (none run yet: srlab eval run --config FILE.json)'}`,
      );
    }
    return summary(r);
  }

  const insertItem = db.prepare(
    'INSERT INTO evaluation_items (evaluation_id, testset, idx, grp, subgroup, text, fields) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );

  return {
    get,
    find,
    list(limit: number): EvaluationSummary[] {
      return db
        .prepare<[number], EvaluationRow>('SELECT * FROM evaluations ORDER BY id DESC LIMIT ?')
        .all(limit)
        .map(summary);
    },

    create(
      name: string,
      config: EvaluationConfig,
      configHash: string,
      testsets: { key: string; label: string; kind: string; items: SnapshotItem[] }[],
    ): number {
      return db
        .transaction(() => {
          const id = Number(
            db
              .prepare(
                "INSERT INTO evaluations (name, config, config_hash, state, created_at) VALUES (?, ?, ?, 'queued', ?)",
              )
              .run(name, JSON.stringify(config), configHash, now().toISOString()).lastInsertRowid,
          );
          testsets.forEach((ts, position) =>
            db
              .prepare(
                'INSERT INTO evaluation_testsets (evaluation_id, key, label, kind, position, items) VALUES (?, ?, ?, ?, ?, ?)',
              )
              .run(id, ts.key, ts.label, ts.kind, position, ts.items.length),
          );
          for (const ts of testsets)
            for (const it of ts.items)
              insertItem.run(id, ts.key, it.index, it.group, it.subgroup, it.text, JSON.stringify(it.fields));
          return id;
        })
        .immediate();
    },

    /** The newest unfinished evaluation with exactly this config, if any. */
    findUnfinished(configHash: string): EvaluationSummary | null {
      for (const r of db
        .prepare<[string], EvaluationRow>('SELECT * FROM evaluations WHERE config_hash = ? ORDER BY id DESC')
        .all(configHash)) {
        const s = summary(r);
        if (s.state === 'interrupted' || s.state === 'cancelled' || s.state === 'failed') return s;
        if (s.state === 'succeeded') return null;
      }
      return null;
    },

    markQueued(id: number, jobId: number) {
      db.prepare(
        "UPDATE evaluations SET state = 'queued', job_id = ?, owner = ?, heartbeat_at = ?, error = NULL, finished_at = NULL WHERE id = ?",
      ).run(jobId, OWNER, now().toISOString(), id);
    },
    markRunning(id: number) {
      db.prepare("UPDATE evaluations SET state = 'running', heartbeat_at = ? WHERE id = ?").run(
        now().toISOString(),
        id,
      );
    },
    heartbeat(id: number) {
      db.prepare('UPDATE evaluations SET heartbeat_at = ? WHERE id = ?').run(now().toISOString(), id);
    },
    finish(id: number, state: EvaluationState, error: string | null) {
      setState.run(state, error, now().toISOString(), id);
    },
    saveStages(id: number, stages: EvaluationStage[]) {
      db.prepare('UPDATE evaluations SET stages = ?, heartbeat_at = ? WHERE id = ?').run(
        JSON.stringify(stages),
        now().toISOString(),
        id,
      );
    },
    remove(id: number) {
      db.prepare('DELETE FROM evaluations WHERE id = ?').run(id);
    },

    testsets(id: number): { key: string; label: string; kind: string; items: number }[] {
      return db
        .prepare<[number], { key: string; label: string; kind: string; items: number }>(
          'SELECT key, label, kind, items FROM evaluation_testsets WHERE evaluation_id = ? ORDER BY position',
        )
        .all(id);
    },

    items(id: number, testset: string): SnapshotItem[] {
      return db
        .prepare<
          [number, string],
          { idx: number; grp: string | null; subgroup: string | null; text: string; fields: string }
        >(
          'SELECT idx, grp, subgroup, text, fields FROM evaluation_items WHERE evaluation_id = ? AND testset = ? ORDER BY idx',
        )
        .all(id, testset)
        .map((r) => ({
          index: r.idx,
          group: r.grp,
          subgroup: r.subgroup,
          text: r.text,
          fields: JSON.parse(r.fields) as Record<string, unknown>,
        }));
    },

    runFor(id: number, generator: string, testset: string): number | null {
      return (
        db
          .prepare<[number, string, string], number>(
            'SELECT run_id FROM evaluation_runs WHERE evaluation_id = ? AND generator = ? AND testset = ?',
          )
          .pluck()
          .get(id, generator, testset) ?? null
      );
    },
    setRun(id: number, generator: string, testset: string, runId: number) {
      db.prepare(
        'INSERT OR REPLACE INTO evaluation_runs (evaluation_id, generator, testset, run_id) VALUES (?, ?, ?, ?)',
      ).run(id, generator, testset, runId);
    },
    runs(id: number): { generator: string; testset: string; runId: number }[] {
      return db
        .prepare<[number], { generator: string; testset: string; runId: number }>(
          'SELECT generator, testset, run_id AS runId FROM evaluation_runs WHERE evaluation_id = ?',
        )
        .all(id);
    },

    /** Record the scorers as built now; scores of an older version of one are dropped (rescored). */
    setScorers(id: number, scorers: ScorerRecord[]) {
      db.transaction(() => {
        for (const s of scorers) {
          db.prepare(
            'DELETE FROM evaluation_scores WHERE evaluation_id = ? AND scorer_id = ? AND scorer_version <> ?',
          ).run(id, s.id, s.version);
          db.prepare(
            `INSERT OR REPLACE INTO evaluation_scorers (evaluation_id, scorer_id, version, measure, threshold, description, spec, position)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(id, s.id, s.version, s.measure, s.threshold, s.description, JSON.stringify(s.spec), s.position);
        }
      })();
    },
    scorers(id: number): ScorerRecord[] {
      return db
        .prepare<
          [number],
          {
            scorer_id: string;
            version: string;
            measure: string;
            threshold: number;
            description: string;
            spec: string;
            position: number;
          }
        >('SELECT * FROM evaluation_scorers WHERE evaluation_id = ? ORDER BY position')
        .all(id)
        .map((r) => ({
          id: r.scorer_id,
          version: r.version,
          measure: r.measure,
          threshold: r.threshold,
          description: r.description,
          spec: JSON.parse(r.spec) as unknown,
          position: r.position,
        }));
    },

    /** Item indexes of a row × test set × scorer that have a stored score without error. */
    scoredIndexes(id: number, generator: string, testset: string, scorer: string): Set<number> {
      return new Set(
        db
          .prepare<[number, string, string, string], number>(
            'SELECT idx FROM evaluation_scores WHERE evaluation_id = ? AND generator = ? AND testset = ? AND scorer_id = ? AND error IS NULL',
          )
          .pluck()
          .all(id, generator, testset, scorer),
      );
    },
    saveScores(id: number, rows: ScoreRecord[]) {
      const stmt = db.prepare(
        `INSERT OR REPLACE INTO evaluation_scores
           (evaluation_id, generator, testset, idx, scorer_id, scorer_version, score, verdict, label, probs, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      db.transaction(() => {
        for (const r of rows)
          stmt.run(
            id,
            r.generator,
            r.testset,
            r.index,
            r.scorer,
            r.version,
            r.score,
            r.verdict === null ? null : r.verdict ? 1 : 0,
            r.label,
            r.probs === null ? null : JSON.stringify(r.probs),
            r.error,
          );
      }).immediate();
    },
    scores(id: number, filter: { generator?: string; testset?: string; scorer?: string } = {}): ScoreRecord[] {
      const where = ['evaluation_id = ?'];
      const args: unknown[] = [id];
      if (filter.generator !== undefined) {
        where.push('generator = ?');
        args.push(filter.generator);
      }
      if (filter.testset !== undefined) {
        where.push('testset = ?');
        args.push(filter.testset);
      }
      if (filter.scorer !== undefined) {
        where.push('scorer_id = ?');
        args.push(filter.scorer);
      }
      return db
        .prepare<
          unknown[],
          {
            generator: string;
            testset: string;
            idx: number;
            scorer_id: string;
            scorer_version: string;
            score: number | null;
            verdict: number | null;
            label: string | null;
            probs: string | null;
            error: string | null;
          }
        >(`SELECT * FROM evaluation_scores WHERE ${where.join(' AND ')} ORDER BY generator, testset, scorer_id, idx`)
        .all(...args)
        .map((r) => ({
          generator: r.generator,
          testset: r.testset,
          index: r.idx,
          scorer: r.scorer_id,
          version: r.scorer_version,
          score: r.score,
          verdict: r.verdict === null ? null : r.verdict === 1,
          label: r.label,
          probs: r.probs === null ? null : (JSON.parse(r.probs) as Record<string, number>),
          error: r.error,
        }));
    },

    setLikelihood(id: number, generator: string, kind: string, testset: string, result: unknown) {
      db.prepare(
        'INSERT OR REPLACE INTO evaluation_likelihood (evaluation_id, generator, kind, testset, result) VALUES (?, ?, ?, ?, ?)',
      ).run(id, generator, kind, testset, JSON.stringify(result));
    },
    likelihood(id: number): { generator: string; kind: string; testset: string; result: unknown }[] {
      return db
        .prepare<[number], { generator: string; kind: string; testset: string; result: string }>(
          'SELECT generator, kind, testset, result FROM evaluation_likelihood WHERE evaluation_id = ?',
        )
        .all(id)
        .map((r) => ({ ...r, result: JSON.parse(r.result) as unknown }));
    },
  };
}
