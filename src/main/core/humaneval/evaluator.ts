// The evaluator's own door: who the caller is (a token names its session and evaluator; the lab
// and the desktop's evaluator mode say whom they act as), their assignment, saving an answer and
// submitting. Nothing here reads runs, models, slots or record ids: only keys, prompts, responses.
import { ApiError, type Caller } from '../../../shared/contract';
import type { Answer, Assignment } from '../../../shared/contracts/humaneval';
import { HUMANEVAL_SCALE, humanEvalSessionName } from '../../../shared/contracts/humaneval';
import type { Db } from '../db';
import { actingFor, notThisDoor, type Door } from '../people/acting-as';
import {
  assignments,
  countAnswers,
  evaluatorRow,
  findSession,
  isComplete,
  readAnswer,
  type ItemRow,
  type SessionRow,
} from './store';

export interface Actor {
  session: SessionRow;
  evaluator: string;
}

/** Human-evaluation sessions' door for the identity rule (people/acting-as.ts). */
const DOOR: Door = {
  sessionName: humanEvalSessionName,
  place: 'a human-evaluation session',
  person: 'evaluator',
  asFields: '{session, evaluator}',
};

/**
 * Who the caller acts as (the shared identity rule), then: a token's session must exist and hold
 * its evaluator (else `forbidden`, saying nothing about other sessions); an `as` must name an
 * evaluator of an existing session (else `not-found`).
 */
export function resolveActor(db: Db, as: { session: number; evaluator: string } | undefined, caller: Caller): Actor {
  const who = actingFor(caller, as, DOOR);
  if (who.by === 'token') {
    const session = findSession(db, who.id);
    if (!session || !evaluatorRow(db, session.id, who.evaluator)) throw notThisDoor(DOOR);
    return { session, evaluator: who.evaluator };
  }
  const session = findSession(db, who.as.session);
  if (!session) throw new ApiError('not-found', `no human-evaluation session ${who.as.session}`);
  if (!evaluatorRow(db, session.id, who.as.evaluator))
    throw new ApiError('not-found', `"${who.as.evaluator}" is not an evaluator of session ${who.as.session}`);
  return { session, evaluator: who.as.evaluator };
}

function itemsById(db: Db, session: number): Map<number, ItemRow> {
  const rows = db.prepare<[number], ItemRow>('SELECT * FROM humaneval_items WHERE session_id = ?').all(session);
  return new Map(rows.map((r) => [r.id, r]));
}

/** The caller's items in their own order, with their own answers, and nothing else. */
export function assignmentOf(db: Db, actor: Actor): Assignment {
  const { session, evaluator } = actor;
  const byId = itemsById(db, session.id);
  const pairs = session.mode === 'pairs';
  return {
    title: session.title,
    evaluator,
    mode: session.mode,
    scale: [HUMANEVAL_SCALE[0], HUMANEVAL_SCALE[1]],
    items: assignments(db, session.id, evaluator).map((a) => {
      const it = byId.get(a.item_id)!;
      return {
        key: it.key,
        position: a.position,
        prompt: it.prompt,
        response: pairs ? null : it.response,
        responseA: pairs ? it.response : null,
        responseB: pairs ? it.response_b : null,
        answer: readAnswer(a.answer),
        answeredAt: a.answered_at,
      };
    }),
    submittedAt: evaluatorRow(db, session.id, evaluator)!.submitted_at,
  };
}

export function refuseIfSubmitted(db: Db, actor: Actor): void {
  const at = evaluatorRow(db, actor.session.id, actor.evaluator)?.submitted_at;
  if (at) throw new ApiError('conflict', `you submitted your scores at ${at}; they can no longer be changed`);
}

/** Save one answer (the last one wins) and log it. Call inside a write transaction. */
export function saveAnswer(
  db: Db,
  actor: Actor,
  key: string,
  answer: Answer,
  at: string,
): { savedAt: string; answered: number; total: number } {
  refuseIfSubmitted(db, actor);
  const row = db
    .prepare<[number, string, string], { item_id: number }>(
      `SELECT a.item_id FROM humaneval_assignments a JOIN humaneval_items i ON i.id = a.item_id
        WHERE a.session_id = ? AND a.evaluator = ? AND i.key = ?`,
    )
    .get(actor.session.id, actor.evaluator, key);
  // The same answer whether the key is another evaluator's or no one's: keys are not probeable.
  if (!row) throw new ApiError('not-found', `no item ${key} in your assignment`);
  writeAnswer(db, actor, row.item_id, answer, at, 'browser');
  const counts = countAnswers(assignments(db, actor.session.id, actor.evaluator), actor.session.mode);
  return { savedAt: at, answered: counts.answered, total: counts.total };
}

export function writeAnswer(
  db: Db,
  actor: Actor,
  itemId: number,
  answer: Answer,
  at: string,
  source: 'browser' | 'import',
): void {
  const json = JSON.stringify(answer);
  db.prepare(
    'UPDATE humaneval_assignments SET answer = ?, answered_at = ? WHERE session_id = ? AND evaluator = ? AND item_id = ?',
  ).run(json, at, actor.session.id, actor.evaluator, itemId);
  db.prepare(
    'INSERT INTO humaneval_answer_log (session_id, evaluator, item_id, answer, at, source) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(actor.session.id, actor.evaluator, itemId, json, at, source);
}

/** Submit: every item complete or skipped, else a conflict saying how many are not. Call inside a write transaction. */
export function submitAnswers(
  db: Db,
  actor: Actor,
  at: string,
): { submittedAt: string; answered: number; skipped: number; total: number } {
  refuseIfSubmitted(db, actor);
  const rows = assignments(db, actor.session.id, actor.evaluator);
  const open = rows.filter((r) => {
    const a = readAnswer(r.answer);
    return !a?.skipped && !isComplete(a, actor.session.mode);
  }).length;
  if (open > 0)
    throw new ApiError(
      'conflict',
      `${open} item${open === 1 ? ' has' : 's have'} neither scores nor a skip; score or skip ${open === 1 ? 'it' : 'them'} before submitting`,
    );
  db.prepare('UPDATE humaneval_evaluators SET submitted_at = ? WHERE session_id = ? AND evaluator = ?').run(
    at,
    actor.session.id,
    actor.evaluator,
  );
  const c = countAnswers(rows, actor.session.mode);
  return { submittedAt: at, answered: c.answered, skipped: c.skipped, total: c.total };
}
