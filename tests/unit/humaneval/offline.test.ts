// The offline round trip between two srlabs: the lab exports one evaluator's session file (with
// nothing about runs or models in it), a second core imports it and scores it through `as` (the
// desktop's evaluator mode), exports the answers, and the lab imports them. Tampered, foreign and
// repeated files are refused with a reason.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { canonicalJson } from '../../../src/main/core/humaneval/session-file';
import { tempDir } from '../../helpers';
import {
  fails,
  makeCore,
  ok,
  RECORD_ID_BASE,
  SECRET_HASH,
  SECRET_MODEL,
  seedRuns,
  tokenCaller,
  type SeededRun,
} from './fixtures';

describe('humaneval offline files', () => {
  let lab: Core;
  let away: Core;
  let runs: SeededRun[];
  let session: { id: number };
  let invites: { evaluator: string; token: string }[];
  const dir = tempDir('srlab-he-files-');

  beforeAll(async () => {
    [lab, away] = await Promise.all([makeCore(), makeCore()]);
    runs = seedRuns(lab, { runs: 2, prompts: 6 });
    const out = await ok(lab, 'humaneval.create', {
      runs: runs.map((r) => r.id),
      sample: 4,
      evaluators: ['ann', 'bob'],
      perItem: 2,
      seed: 2,
    });
    session = out.session;
    invites = out.invites;
  });
  afterAll(async () => {
    await lab.close();
    await away.close();
  });

  it('exports a signed session file that says nothing about runs, models or records', async () => {
    const out = await ok(lab, 'humaneval.export', { id: session.id, evaluator: 'ann' });
    expect(out.kind).toBe('session');
    expect(path.dirname(out.path)).toBe(lab.paths.exports);
    expect(out.fileName).toMatch(/^humaneval-[A-Za-z0-9_-]{8}-ann\.session\.json$/);
    expect(out.items).toBe(8);
    const text = fs.readFileSync(out.path, 'utf8');
    for (const secret of [
      ...runs.map((r) => r.name),
      SECRET_MODEL,
      SECRET_HASH,
      'temperature',
      'slot',
      'record',
      '"run',
    ])
      expect(text).not.toContain(secret);
    for (const id of [...runs.map((r) => r.id), RECORD_ID_BASE, RECORD_ID_BASE + 1])
      expect(text).not.toContain(String(id));
    const file = JSON.parse(text);
    expect(file).toMatchObject({ format: 'srlab-humaneval-session', version: 1, evaluator: 'ann', mode: 'single' });
    expect(file.sessionUid).not.toBe(String(session.id));
    // The same items, in the same order, as ann's assignment (which is what her link shows).
    const a = await ok(lab, 'humaneval.assignment', {}, tokenCaller(lab, invites[0]!.token));
    expect(file.items.map((i: { key: string }) => i.key)).toEqual(a.items.map((i: { key: string }) => i.key));
    // A second default export gets a new name; an explicit existing one is refused.
    const again = await ok(lab, 'humaneval.export', { id: session.id, evaluator: 'ann' });
    expect(again.path).not.toBe(out.path);
    const clash = await fails(lab, 'humaneval.export', { id: session.id, evaluator: 'ann', out: out.path });
    expect(clash.kind).toBe('conflict');
    expect(fs.readFileSync(out.path, 'utf8')).toBe(text);
    expect((await fails(lab, 'humaneval.export', { id: session.id, evaluator: 'zed' })).kind).toBe('not-found');
  });

  it('round-trips: import the session file elsewhere, score offline, bring the answers back', async () => {
    const sessionFile = path.join(dir, 'ann.session.json');
    await ok(lab, 'humaneval.export', { id: session.id, evaluator: 'ann', out: sessionFile });
    const imported = await ok(away, 'humaneval.import', { source: { kind: 'path', path: sessionFile } });
    expect(imported).toMatchObject({ kind: 'session', evaluator: 'ann', items: 8 });
    expect(imported.session).toMatchObject({ origin: 'offline', models: [], evaluators: ['ann'] });
    const repeat = await fails(away, 'humaneval.import', { source: { kind: 'path', path: sessionFile } });
    expect(repeat.kind).toBe('conflict');
    expect(repeat.message).toContain(`session ${imported.session.id}`);

    // Scored offline through `as`, as the desktop's evaluator mode does.
    const as = { session: imported.session.id, evaluator: 'ann' };
    const mine = await ok(away, 'humaneval.assignment', { as });
    expect(mine.items).toHaveLength(8);
    for (const [i, it] of (mine.items as { key: string }[]).entries())
      await ok(away, 'humaneval.answer', {
        as,
        key: it.key,
        answer: i === 0 ? { skipped: true } : { s: 1 + (i % 5), l: 3, note: `n${i}` },
      });
    const submitted = await ok(away, 'humaneval.submit', { as });

    const answersFile = path.join(dir, 'ann.answers.json');
    const exp = await ok(away, 'humaneval.export', { id: imported.session.id, evaluator: 'ann', out: answersFile });
    expect(exp).toMatchObject({ kind: 'answers', items: 8 });
    const answers = JSON.parse(fs.readFileSync(answersFile, 'utf8'));

    // Tampered: one score changed, the signature kept.
    const tampered = structuredClone(answers);
    tampered.items[1].answer.s = tampered.items[1].answer.s === 5 ? 4 : 5;
    const tamperedFile = path.join(dir, 'tampered.answers.json');
    fs.writeFileSync(tamperedFile, JSON.stringify(tampered));
    const refused = await fails(lab, 'humaneval.import', { source: { kind: 'path', path: tamperedFile } });
    expect(refused.kind).toBe('invalid-input');
    expect(refused.message).toMatch(/changed after it was exported \(its signature does not match\)/);

    // A file of another session (a uid this lab does not have).
    const foreign = path.join(dir, 'foreign.answers.json');
    fs.writeFileSync(foreign, JSON.stringify({ ...answers, sessionUid: 'SomeOtherSession123' }));
    const notOurs = await fails(lab, 'humaneval.import', { source: { kind: 'path', path: foreign } });
    expect(notOurs.kind).toBe('not-found');
    expect(notOurs.message).toBe('this answers file belongs to a session this srlab does not have');
    // Nothing was applied by the refused files.
    expect(lab.db.prepare('SELECT COUNT(*) FROM humaneval_answer_log').pluck().get()).toBe(0);

    const merged = await ok(lab, 'humaneval.import', { source: { kind: 'path', path: answersFile } });
    expect(merged).toEqual({
      kind: 'answers',
      session: session.id,
      evaluator: 'ann',
      answers: 8,
      submittedAt: submitted.submittedAt,
    });
    const back = await ok(lab, 'humaneval.assignment', { as: { session: session.id, evaluator: 'ann' } });
    expect(back.submittedAt).toBe(submitted.submittedAt);
    expect(back.items.map((i: { answer: unknown }) => i.answer)).toEqual(
      mine.items.map((_: unknown, i: number) =>
        i === 0
          ? expect.objectContaining({ skipped: true })
          : expect.objectContaining({ s: 1 + (i % 5), l: 3, note: `n${i}` }),
      ),
    );
    const status = await ok(lab, 'humaneval.status', { id: session.id });
    expect(status.evaluators[0]).toMatchObject({
      evaluator: 'ann',
      answered: 7,
      skipped: 1,
      submittedAt: submitted.submittedAt,
    });
    // Already submitted in the lab: a second import is a conflict.
    expect((await fails(lab, 'humaneval.import', { source: { kind: 'path', path: answersFile } })).kind).toBe(
      'conflict',
    );
  });

  it('refuses answers for keys outside the evaluator’s assignment, even when signed with the right key', async () => {
    const sessionFile = path.join(dir, 'bob.session.json');
    await ok(lab, 'humaneval.export', { id: session.id, evaluator: 'bob', out: sessionFile });
    const secret = JSON.parse(fs.readFileSync(sessionFile, 'utf8')).secret as string;
    const { createHmac } = await import('node:crypto');
    const body = {
      format: 'srlab-humaneval-answers',
      version: 1,
      sessionUid: JSON.parse(fs.readFileSync(sessionFile, 'utf8')).sessionUid,
      evaluator: 'bob',
      items: [
        {
          key: 'NotBobsKey123456',
          answer: { s: 1, l: 1, sB: null, lB: null, preference: null, skipped: false, flagged: false, note: '' },
          answeredAt: null,
        },
      ],
      submittedAt: null,
      exportedAt: new Date().toISOString(),
    };
    const file = path.join(dir, 'bob-mismatch.answers.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ ...body, signature: createHmac('sha256', secret).update(canonicalJson(body)).digest('hex') }),
    );
    const e = await fails(lab, 'humaneval.import', { source: { kind: 'path', path: file } });
    expect(e.kind).toBe('invalid-input');
    expect(e.message).toMatch(/^mismatched: 1 item is not in bob's assignment/);
  });

  it.each([
    ['not JSON', '{"format": ', /bad\.json is not valid JSON/],
    ['another format', '{"format":"something-else","version":1}', /is not a srlab human-evaluation file/],
    [
      'a newer version',
      '{"format":"srlab-humaneval-answers","version":2}',
      /version 2 of srlab-humaneval-answers; this srlab reads version 1/,
    ],
    ['a wrong shape', '{"format":"srlab-humaneval-answers","version":1,"items":[]}', /sessionUid/],
  ])('refuses a file that is %s, naming the file', async (_what, text, message) => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, text);
    const e = await fails(away, 'humaneval.import', { source: { kind: 'path', path: file } });
    expect(e.kind).toBe('invalid-input');
    expect(e.message).toMatch(message);
    expect(e.message).toContain('bad.json');
  });

  it('refuses an edited session file and reads an uploaded one (removing the upload)', async () => {
    const sessionFile = path.join(dir, 'bob2.session.json');
    await ok(lab, 'humaneval.export', { id: session.id, evaluator: 'bob', out: sessionFile });
    const edited = JSON.parse(fs.readFileSync(sessionFile, 'utf8'));
    edited.items[0].response = 'an edited response';
    const editedFile = path.join(dir, 'edited.session.json');
    fs.writeFileSync(editedFile, JSON.stringify(edited));
    const e = await fails(away, 'humaneval.import', { source: { kind: 'path', path: editedFile } });
    expect(e.message).toMatch(/signature does not match/);

    const uploadDir = path.join(away.paths.uploads, 'up-1');
    fs.mkdirSync(uploadDir, { recursive: true });
    fs.copyFileSync(sessionFile, path.join(uploadDir, 'bob.session.json'));
    const r = await ok(away, 'humaneval.import', { source: { kind: 'upload', uploadId: 'up-1' } });
    expect(r).toMatchObject({ kind: 'session', evaluator: 'bob' });
    expect(fs.existsSync(uploadDir)).toBe(false);
  });
});
