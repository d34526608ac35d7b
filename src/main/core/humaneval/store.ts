// Reading the session tables: rows to the contract's shapes, and the few rules every part shares
// (when an answer is complete, how a stored answer is read back).
import { ApiError } from '../../../shared/contract';
import { Answer, type HumanEvalSession } from '../../../shared/contracts/humaneval';
import type { Db } from '../db';

export interface SessionRow {
  id: number;
  uid: string;
  title: string;
  origin: 'lab' | 'offline';
  mode: 'single' | 'pairs';
  seed: number;
  sample: number;
  per_item: number;
  stratified: number;
  prompts: number;
  created_at: string;
}

export interface ItemRow {
  id: number;
  session_id: number;
  key: string;
  prompt: string;
  prompt_index: number;
  record_id: number | null;
  slot: number | null;
  slot_b: number | null;
  response: string | null;
  response_b: string | null;
}

export interface AssignmentRow {
  session_id: number;
  evaluator: string;
  item_id: number;
  position: number;
  answer: string | null;
  answered_at: string | null;
}

export interface EvaluatorRow {
  session_id: number;
  evaluator: string;
  secret: string;
  submitted_at: string | null;
}

export function findSession(db: Db, id: number): SessionRow | undefined {
  return db.prepare<[number], SessionRow>('SELECT * FROM humaneval_sessions WHERE id = ?').get(id);
}

export function getSession(db: Db, id: number): SessionRow {
  const row = findSession(db, id);
  if (!row) throw new ApiError('not-found', `no human-evaluation session ${id}`);
  return row;
}

export function evaluatorRows(db: Db, session: number): EvaluatorRow[] {
  return db
    .prepare<[number], EvaluatorRow>('SELECT * FROM humaneval_evaluators WHERE session_id = ? ORDER BY rowid')
    .all(session);
}

export function evaluatorRow(db: Db, session: number, evaluator: string): EvaluatorRow | undefined {
  return db
    .prepare<[number, string], EvaluatorRow>(
      'SELECT * FROM humaneval_evaluators WHERE session_id = ? AND evaluator = ?',
    )
    .get(session, evaluator);
}

export function toSession(db: Db, row: SessionRow): HumanEvalSession {
  const models = db
    .prepare<[number], { slot: number; run_id: number | null; label: string }>(
      'SELECT slot, run_id, label FROM humaneval_models WHERE session_id = ? ORDER BY slot',
    )
    .all(row.id)
    .map((m) => ({ slot: m.slot, run: m.run_id, label: m.label }));
  const items = db
    .prepare<[number], number>('SELECT COUNT(*) FROM humaneval_items WHERE session_id = ?')
    .pluck()
    .get(row.id)!;
  return {
    id: row.id,
    title: row.title,
    origin: row.origin,
    mode: row.mode,
    seed: row.seed,
    sample: row.sample,
    perItem: row.per_item,
    stratified: row.stratified === 1,
    evaluators: evaluatorRows(db, row.id).map((e) => e.evaluator),
    models,
    prompts: row.prompts,
    items,
    createdAt: row.created_at,
  };
}

export function items(db: Db, session: number): ItemRow[] {
  return db.prepare<[number], ItemRow>('SELECT * FROM humaneval_items WHERE session_id = ? ORDER BY id').all(session);
}

export function assignments(db: Db, session: number, evaluator?: string): AssignmentRow[] {
  return evaluator === undefined
    ? db
        .prepare<[number], AssignmentRow>(
          'SELECT * FROM humaneval_assignments WHERE session_id = ? ORDER BY evaluator, position',
        )
        .all(session)
    : db
        .prepare<[number, string], AssignmentRow>(
          'SELECT * FROM humaneval_assignments WHERE session_id = ? AND evaluator = ? ORDER BY position',
        )
        .all(session, evaluator);
}

/** A stored answer, read back through the contract's schema (null: none yet). */
export function readAnswer(json: string | null): Answer | null {
  if (json === null) return null;
  const parsed = Answer.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

/** Complete: both scores (both sides' and a preference, for a pair). A skip is not complete. */
export function isComplete(a: Answer | null, mode: 'single' | 'pairs'): boolean {
  if (!a || a.skipped) return false;
  if (a.s === null || a.l === null) return false;
  return mode === 'single' || (a.sB !== null && a.lB !== null && a.preference !== null);
}

export interface Counts {
  total: number;
  answered: number;
  skipped: number;
  flagged: number;
  lastActivityAt: string | null;
}

/** An evaluator's (or everyone's) counts from their assignment rows. */
export function countAnswers(rows: readonly AssignmentRow[], mode: 'single' | 'pairs'): Counts {
  const c: Counts = { total: rows.length, answered: 0, skipped: 0, flagged: 0, lastActivityAt: null };
  for (const r of rows) {
    const a = readAnswer(r.answer);
    if (isComplete(a, mode)) c.answered++;
    if (a?.skipped) c.skipped++;
    if (a?.flagged) c.flagged++;
    if (r.answered_at !== null && (c.lastActivityAt === null || r.answered_at > c.lastActivityAt))
      c.lastActivityAt = r.answered_at;
  }
  return c;
}
