// The human-evaluation service: sessions built from generation runs (sampled prompts, blinded
// items under random keys, balanced assignments, per-evaluator orders), invitation links, the
// evaluator's own door, results, and the offline session/answers files.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type Caller } from '../../../shared/contract';
import type { ParsedInput, Output } from '../../../shared/api';
import { humanEvalSessionName, type Answer } from '../../../shared/contracts/humaneval';
import { seededRandom } from '../../../shared/metrics/bootstrap';
import type { AccessService } from '../access';
import type { Db } from '../db';
import { whenWritable } from '../db/busy';
import type { EventBus } from '../events';
import type { HomePaths } from '../paths';
import { removeUpload, resolveUpload } from '../datasets/uploads';
import { newInvite, revokeAll } from '../people/invites';
import { randomId } from '../people/random-id';
import { checkRoster } from '../people/roster';
import { assignmentOf, resolveActor, saveAnswer, submitAnswers, writeAnswer, type Actor } from './evaluator';
import { computeResults } from './results';
import { assign, buildItems, evaluatorOrder, samplePrompts, type Candidate } from './sample';
import {
  ANSWERS_FORMAT,
  FILE_VERSION,
  SESSION_FORMAT,
  parseOfflineFile,
  sign,
  slug,
  verify,
  type AnswersFile,
  type SessionFile,
} from './session-file';
import {
  assignments,
  countAnswers,
  evaluatorRow,
  evaluatorRows,
  getSession,
  readAnswer,
  toSession,
  type ItemRow,
  type SessionRow,
} from './store';

export interface HumanEvalDeps {
  db: Db;
  paths: HomePaths;
  events: EventBus;
  now: () => Date;
  access: AccessService;
}

/** Offline files larger than this are not ours (100 000 items of long text stay well below). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** Seeds of the plan's later draws, derived from the session's seed so each draw is independent. */
const SIDES_SALT = 0x9e3779b9;
const ASSIGN_SALT = 0x85ebca6b;

function dedupe(xs: readonly number[]): number[] {
  return xs.filter((x, i) => xs.indexOf(x) !== i);
}

/** In single mode an answer has no B side and no preference: refusing them keeps the stored data meaningful. */
function checkAnswerShape(answer: Answer, mode: 'single' | 'pairs', where: string): void {
  if (mode === 'pairs') return;
  for (const f of ['sB', 'lB', 'preference'] as const) {
    if (answer[f] !== null)
      throw new ApiError(
        'invalid-input',
        `${where}${f} is only for A/B pairs; this session shows one response at a time`,
        [{ path: `${where}${f}`, message: 'only for A/B pairs' }],
      );
  }
}

export function createHumanEvalService(deps: HumanEvalDeps) {
  const { db, paths, events, now, access } = deps;
  /** One all-or-nothing write that waits for a busy database instead of stalling (db/busy.ts). */
  const write = <T>(fn: () => T): Promise<T> => whenWritable(db, () => db.transaction(fn).immediate());
  const changed = (session: number | null) => events.emit({ type: 'humaneval-changed', session });

  function create(input: ParsedInput<'humaneval.create'>): Promise<Output<'humaneval.create'>> {
    const dupRuns = dedupe(input.runs);
    if (dupRuns.length > 0)
      throw new ApiError('invalid-input', `runs: run ${dupRuns[0]} is listed twice`, [
        { path: 'runs', message: 'each run once' },
      ]);
    if (input.pairs && input.runs.length < 2)
      throw new ApiError('invalid-input', 'runs: A/B pairs need at least two runs', [
        { path: 'runs', message: 'at least two runs for pairs' },
      ]);
    checkRoster(input.evaluators, input.perItem, {
      list: 'evaluators',
      per: 'perItem',
      person: 'evaluator',
      unit: 'item',
    });

    const runs = input.runs.map((id) => {
      const r = db.prepare<[number], { id: number; name: string }>('SELECT id, name FROM runs WHERE id = ?').get(id);
      if (!r) throw new ApiError('not-found', `no run ${id}`);
      return r;
    });
    // Each run's finished answers by prompt (the first, should a run hold one input twice).
    const answers = runs.map((r) => {
      const byInput = new Map<string, { output: string; record: number | null }>();
      const rows = db
        .prepare<[number], { input: string; output: string; record_id: number | null }>(
          'SELECT input, output, record_id FROM run_items WHERE run_id = ? AND output IS NOT NULL AND error IS NULL ORDER BY idx',
        )
        .all(r.id);
      for (const row of rows)
        if (!byInput.has(row.input)) byInput.set(row.input, { output: row.output, record: row.record_id });
      return byInput;
    });
    const common = [...answers[0]!.keys()].filter((p) => answers.every((a) => a.has(p)));
    if (common.length < input.sample) {
      const which =
        runs.length === 1 ? `in run ${runs[0]!.id}` : `from every run (runs ${runs.map((r) => r.id).join(', ')})`;
      throw new ApiError(
        'invalid-input',
        `sample: only ${common.length} prompt${common.length === 1 ? ' has' : 's have'} an answer ${which}; ask for at most ${common.length}`,
        [{ path: 'sample', message: `at most ${common.length}` }],
      );
    }
    const targetOf = db.prepare<[number], string | null>('SELECT target FROM records WHERE id = ?').pluck();
    const candidates: Candidate[] = common.map((prompt) => {
      const record = answers[0]!.get(prompt)!.record;
      return { prompt, group: input.stratify && record !== null ? (targetOf.get(record) ?? null) : null };
    });
    const prompts = samplePrompts(candidates, input.sample, input.seed, input.stratify);
    const plan = buildItems(prompts.length, runs.length, input.pairs, seededRandom((input.seed ^ SIDES_SALT) >>> 0));
    const perEvaluator = assign(
      plan.length,
      input.evaluators.length,
      input.perItem,
      seededRandom((input.seed ^ ASSIGN_SALT) >>> 0),
    );
    // Labels are the runs' names for the lab; a name two runs share gets the run id to tell them apart.
    const labels = runs.map((r) => (runs.filter((o) => o.name === r.name).length > 1 ? `${r.name} #${r.id}` : r.name));

    return write(() => {
      const at = now().toISOString();
      const id = Number(
        db
          .prepare(
            `INSERT INTO humaneval_sessions (uid, title, origin, mode, seed, sample, per_item, stratified, prompts, created_at)
             VALUES (?, '', 'lab', ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            randomId(),
            input.pairs ? 'pairs' : 'single',
            input.seed,
            input.sample,
            input.perItem,
            input.stratify ? 1 : 0,
            prompts.length,
            at,
          ).lastInsertRowid,
      );
      // Never from the runs' names: the title is shown to evaluators.
      db.prepare('UPDATE humaneval_sessions SET title = ? WHERE id = ?').run(
        input.title ?? `Blind evaluation ${id}`,
        id,
      );
      const addModel = db.prepare('INSERT INTO humaneval_models (session_id, slot, run_id, label) VALUES (?, ?, ?, ?)');
      runs.forEach((r, i) => addModel.run(id, i + 1, r.id, labels[i]!));
      const addEvaluator = db.prepare(
        'INSERT INTO humaneval_evaluators (session_id, evaluator, secret) VALUES (?, ?, ?)',
      );
      for (const e of input.evaluators) addEvaluator.run(id, e, randomId(32));
      const addItem = db.prepare(
        `INSERT INTO humaneval_items (session_id, key, prompt, prompt_index, record_id, slot, slot_b, response, response_b)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const itemIds = plan.map((it) => {
        const prompt = prompts[it.prompt]!.prompt;
        const a = answers[it.slot - 1]!.get(prompt)!;
        const b = it.slotB === null ? null : answers[it.slotB - 1]!.get(prompt)!;
        return Number(
          addItem.run(id, randomId(), prompt, it.prompt, a.record, it.slot, it.slotB, a.output, b?.output ?? null)
            .lastInsertRowid,
        );
      });
      const addAssignment = db.prepare(
        'INSERT INTO humaneval_assignments (session_id, evaluator, item_id, position) VALUES (?, ?, ?, ?)',
      );
      input.evaluators.forEach((e, ei) => {
        evaluatorOrder(perEvaluator[ei]!, input.seed, e).forEach((item, pos) =>
          addAssignment.run(id, e, itemIds[item]!, pos + 1),
        );
      });
      const invites = input.evaluators.map((e) => newInvite(access, humanEvalSessionName(id), e, input.expiresInDays));
      return { session: toSession(db, getSession(db, id)), items: plan.length, invites };
    }).then((out) => {
      changed(out.session.id);
      return out;
    });
  }

  function sessionEvaluator(session: SessionRow, evaluator: string) {
    const row = evaluatorRow(db, session.id, evaluator);
    if (!row) throw new ApiError('not-found', `"${evaluator}" is not an evaluator of session ${session.id}`);
    return row;
  }

  function status(id: number): Output<'humaneval.status'> {
    const row = getSession(db, id);
    return {
      session: toSession(db, row),
      evaluators: evaluatorRows(db, id).map((e) => {
        const c = countAnswers(assignments(db, id, e.evaluator), row.mode);
        return {
          evaluator: e.evaluator,
          assigned: c.total,
          answered: c.answered,
          skipped: c.skipped,
          flagged: c.flagged,
          lastActivityAt: c.lastActivityAt,
          submittedAt: e.submitted_at,
          invites: access.forSession(humanEvalSessionName(id), e.evaluator),
        };
      }),
    };
  }

  async function invite(input: ParsedInput<'humaneval.invite'>): Promise<Output<'humaneval.invite'>> {
    const row = getSession(db, input.id);
    sessionEvaluator(row, input.evaluator);
    const name = humanEvalSessionName(row.id);
    if (input.revoke) return { invite: null, revoked: await write(() => access.revokeFor(name, input.evaluator)) };
    if (row.origin !== 'lab')
      throw new ApiError(
        'conflict',
        `session ${row.id} is an offline copy; invitation links are made by the lab that built it`,
      );
    const invite = await write(() => newInvite(access, name, input.evaluator, input.expiresInDays));
    return { invite, revoked: [] };
  }

  async function remove(id: number): Promise<Output<'humaneval.remove'>> {
    const row = getSession(db, id);
    await write(() => {
      revokeAll(
        access,
        humanEvalSessionName(row.id),
        evaluatorRows(db, row.id).map((e) => e.evaluator),
      );
      db.prepare('DELETE FROM humaneval_sessions WHERE id = ?').run(row.id);
    });
    changed(id);
    return { removed: true };
  }

  // ---- offline files ----

  /**
   * One evaluator's offline file, signed with their key: from the lab, the session file (their
   * items, to score elsewhere); from an offline copy, the answers file (what they scored).
   */
  function offlineFileOf(row: SessionRow, evaluator: string, kind: 'session' | 'answers'): SessionFile | AnswersFile {
    const e = sessionEvaluator(row, evaluator);
    const a = assignmentOf(db, { session: row, evaluator });
    const head = { version: FILE_VERSION, sessionUid: row.uid, evaluator } as const;
    const exportedAt = now().toISOString();
    const body: Omit<SessionFile, 'signature'> | Omit<AnswersFile, 'signature'> =
      kind === 'session'
        ? {
            format: SESSION_FORMAT,
            ...head,
            title: row.title,
            mode: row.mode,
            scale: [a.scale[0], a.scale[1]] as SessionFile['scale'],
            items: a.items.map((it) => ({
              key: it.key,
              position: it.position,
              prompt: it.prompt,
              response: it.response,
              responseA: it.responseA,
              responseB: it.responseB,
            })),
            exportedAt,
            // The key travels with the file so the offline srlab can sign the answers it sends back.
            secret: e.secret,
          }
        : {
            format: ANSWERS_FORMAT,
            ...head,
            items: a.items.flatMap((it) =>
              it.answer ? [{ key: it.key, answer: it.answer, answeredAt: it.answeredAt }] : [],
            ),
            submittedAt: e.submitted_at,
            exportedAt,
          };
    return { ...body, signature: sign(e.secret, body) };
  }

  /** Write `text` to `out` without ever replacing a file there (link is atomic and refuses an existing name). */
  function writeNew(out: string, text: string): void {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    if (fs.existsSync(out)) throw new ApiError('conflict', `${out} already exists; choose another file name`);
    const tmp = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.${Date.now().toString(36)}.tmp`);
    fs.writeFileSync(tmp, text, { flag: 'wx' });
    try {
      try {
        fs.linkSync(tmp, out);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new ApiError('conflict', `${out} already exists; choose another file name`);
        // A file system without hard links: an exclusive copy still never overwrites.
        fs.copyFileSync(tmp, out, fs.constants.COPYFILE_EXCL);
      }
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }

  function exportFile(input: ParsedInput<'humaneval.export'>): Output<'humaneval.export'> {
    const row = getSession(db, input.id);
    const kind = row.origin === 'lab' ? 'session' : 'answers';
    const file = offlineFileOf(row, input.evaluator, kind);
    const text = `${JSON.stringify(file, null, 2)}\n`;
    let out: string;
    if (input.out !== undefined) out = path.resolve(input.out);
    else {
      const base = `humaneval-${row.uid.slice(0, 8)}-${slug(input.evaluator)}`;
      out = path.join(paths.exports, `${base}.${kind}.json`);
      for (let n = 2; fs.existsSync(out); n++) out = path.join(paths.exports, `${base}-${n}.${kind}.json`);
    }
    writeNew(out, text);
    return { kind, path: out, fileName: path.basename(out), items: file.items.length };
  }

  function readSource(source: ParsedInput<'humaneval.import'>['source']): { text: string; displayName: string } {
    const { file, displayName } =
      source.kind === 'path'
        ? { file: path.resolve(source.path), displayName: source.path }
        : resolveUpload(paths, source.uploadId);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      throw new ApiError('invalid-input', `${displayName}: no such file`);
    }
    if (!stat.isFile()) throw new ApiError('invalid-input', `${displayName} is not a file`);
    if (stat.size > MAX_FILE_BYTES)
      throw new ApiError(
        'invalid-input',
        `${displayName} is larger than ${MAX_FILE_BYTES} bytes: not a human-evaluation file`,
      );
    return { text: fs.readFileSync(file, 'utf8'), displayName };
  }

  async function importFile(input: ParsedInput<'humaneval.import'>): Promise<Output<'humaneval.import'>> {
    try {
      const { text, displayName } = readSource(input.source);
      const parsed = parseOfflineFile(text, displayName);
      return parsed.kind === 'session'
        ? await importSession(parsed.file, parsed.raw, displayName)
        : await importAnswers(parsed.file, parsed.raw, displayName);
    } finally {
      // An uploaded file is a copy the browser sent for this one import.
      if (input.source.kind === 'upload') removeUpload(paths, input.source.uploadId);
    }
  }

  async function importSession(
    file: SessionFile,
    raw: { signature: string },
    displayName: string,
  ): Promise<Output<'humaneval.import'>> {
    // The session file carries its own key, so this check catches corruption and edits made by
    // tools that do not re-sign; someone who recomputes the HMAC with that key is not stopped here.
    // What protects the lab is the answers file, checked against the key the lab kept.
    if (!verify(file.secret, raw))
      throw new ApiError(
        'invalid-input',
        `${displayName} was changed after it was exported (its signature does not match)`,
      );
    const keys = new Set(file.items.map((i) => i.key));
    if (keys.size !== file.items.length)
      throw new ApiError('invalid-input', `${displayName}: an item key appears twice`);
    file.items.forEach((it, i) => {
      const ok = file.mode === 'single' ? it.response !== null : it.responseA !== null && it.responseB !== null;
      if (!ok)
        throw new ApiError(
          'invalid-input',
          `${displayName}: items.${i} has no ${file.mode === 'single' ? 'response' : 'responseA/responseB'}`,
        );
    });
    const distinct = [...new Set(file.items.map((i) => i.prompt))];
    const out = await write(() => {
      const existing = db
        .prepare<[string, string], number>(
          `SELECT s.id FROM humaneval_sessions s JOIN humaneval_evaluators e ON e.session_id = s.id
            WHERE s.uid = ? AND s.origin = 'offline' AND e.evaluator = ?`,
        )
        .pluck()
        .get(file.sessionUid, file.evaluator);
      if (existing !== undefined)
        throw new ApiError(
          'conflict',
          `this session file was imported already, as session ${existing}; continue there (or remove it first)`,
        );
      const id = Number(
        db
          .prepare(
            `INSERT INTO humaneval_sessions (uid, title, origin, mode, seed, sample, per_item, stratified, prompts, created_at)
             VALUES (?, ?, 'offline', ?, 0, ?, 1, 0, ?, ?)`,
          )
          .run(file.sessionUid, file.title, file.mode, distinct.length, distinct.length, now().toISOString())
          .lastInsertRowid,
      );
      db.prepare('INSERT INTO humaneval_evaluators (session_id, evaluator, secret) VALUES (?, ?, ?)').run(
        id,
        file.evaluator,
        file.secret,
      );
      const addItem = db.prepare(
        `INSERT INTO humaneval_items (session_id, key, prompt, prompt_index, record_id, slot, slot_b, response, response_b)
         VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, ?)`,
      );
      const addAssignment = db.prepare(
        'INSERT INTO humaneval_assignments (session_id, evaluator, item_id, position) VALUES (?, ?, ?, ?)',
      );
      for (const it of file.items) {
        const single = file.mode === 'single';
        const itemId = Number(
          addItem.run(
            id,
            it.key,
            it.prompt,
            distinct.indexOf(it.prompt),
            single ? it.response : it.responseA,
            single ? null : it.responseB,
          ).lastInsertRowid,
        );
        addAssignment.run(id, file.evaluator, itemId, it.position);
      }
      return {
        kind: 'session' as const,
        session: toSession(db, getSession(db, id)),
        evaluator: file.evaluator,
        items: file.items.length,
      };
    });
    changed(out.session.id);
    return out;
  }

  async function importAnswers(
    file: AnswersFile,
    raw: { signature: string },
    displayName: string,
  ): Promise<Output<'humaneval.import'>> {
    const session = db
      .prepare<[string], SessionRow>("SELECT * FROM humaneval_sessions WHERE uid = ? AND origin = 'lab'")
      .get(file.sessionUid);
    if (!session) throw new ApiError('not-found', `this answers file belongs to a session this srlab does not have`);
    const e = evaluatorRow(db, session.id, file.evaluator);
    if (!e)
      throw new ApiError(
        'invalid-input',
        `mismatched: "${file.evaluator}" is not an evaluator of session ${session.id}`,
      );
    // Checked with the key the lab kept: an edited score cannot be re-signed without it.
    if (!verify(e.secret, raw))
      throw new ApiError(
        'invalid-input',
        `${displayName}: the answers file was changed after it was exported (its signature does not match)`,
      );
    const keyToItem = new Map(
      db
        .prepare<[number, string], { key: string; item_id: number }>(
          `SELECT i.key, a.item_id FROM humaneval_assignments a JOIN humaneval_items i ON i.id = a.item_id
            WHERE a.session_id = ? AND a.evaluator = ?`,
        )
        .all(session.id, file.evaluator)
        .map((r) => [r.key, r.item_id]),
    );
    const unknown = file.items.filter((i) => !keyToItem.has(i.key)).map((i) => i.key);
    if (unknown.length > 0)
      throw new ApiError(
        'invalid-input',
        `mismatched: ${unknown.length} item${unknown.length === 1 ? ' is' : 's are'} not in ${file.evaluator}'s assignment (${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ', …' : ''})`,
      );
    file.items.forEach((it, i) => checkAnswerShape(it.answer, session.mode, `items.${i}.answer.`));
    const actor: Actor = { session, evaluator: file.evaluator };
    const out = await write(() => {
      const submitted = evaluatorRow(db, session.id, file.evaluator)!.submitted_at;
      if (submitted)
        throw new ApiError(
          'conflict',
          `${file.evaluator} submitted their scores for session ${session.id} at ${submitted}; they can no longer be changed`,
        );
      const at = now().toISOString();
      for (const it of file.items)
        writeAnswer(db, actor, keyToItem.get(it.key)!, it.answer, it.answeredAt ?? at, 'import');
      if (file.submittedAt !== null)
        db.prepare('UPDATE humaneval_evaluators SET submitted_at = ? WHERE session_id = ? AND evaluator = ?').run(
          file.submittedAt,
          session.id,
          file.evaluator,
        );
      return {
        kind: 'answers' as const,
        session: session.id,
        evaluator: file.evaluator,
        answers: file.items.length,
        submittedAt: file.submittedAt,
      };
    });
    changed(session.id);
    return out;
  }

  // ---- the evaluator's door ----

  async function answer(input: ParsedInput<'humaneval.answer'>, caller: Caller): Promise<Output<'humaneval.answer'>> {
    const actor = resolveActor(db, input.as, caller);
    checkAnswerShape(input.answer, actor.session.mode, 'answer.');
    const out = await write(() => saveAnswer(db, actor, input.key, input.answer, now().toISOString()));
    changed(actor.session.id);
    return out;
  }

  async function submit(input: ParsedInput<'humaneval.submit'>, caller: Caller): Promise<Output<'humaneval.submit'>> {
    const actor = resolveActor(db, input.as, caller);
    const out = await write(() => submitAnswers(db, actor, now().toISOString()));
    changed(actor.session.id);
    return out;
  }

  return {
    create,
    list: (): Output<'humaneval.list'> => ({
      sessions: db
        .prepare<[], SessionRow>('SELECT * FROM humaneval_sessions ORDER BY id DESC')
        .all()
        .map((r) => toSession(db, r)),
    }),
    status,
    invite,
    results: (input: ParsedInput<'humaneval.results'>): Output<'humaneval.results'> =>
      computeResults(db, getSession(db, input.id), input),
    exportFile,
    importFile,
    remove,
    assignment: (input: ParsedInput<'humaneval.assignment'>, caller: Caller): Output<'humaneval.assignment'> =>
      assignmentOf(db, resolveActor(db, input.as, caller)),
    answer,
    submit,
    /** The items of a session as stored (tests and the lab's own views; never for evaluators). */
    items: (id: number): ItemRow[] =>
      db.prepare<[number], ItemRow>('SELECT * FROM humaneval_items WHERE session_id = ? ORDER BY id').all(id),
    answerOf: (id: number, evaluator: string, key: string): Answer | null =>
      readAnswer(
        db
          .prepare<[number, string, string], string | null>(
            `SELECT a.answer FROM humaneval_assignments a JOIN humaneval_items i ON i.id = a.item_id
              WHERE a.session_id = ? AND a.evaluator = ? AND i.key = ?`,
          )
          .pluck()
          .get(id, evaluator, key) ?? null,
      ),
  };
}

export type HumanEvalService = ReturnType<typeof createHumanEvalService>;
