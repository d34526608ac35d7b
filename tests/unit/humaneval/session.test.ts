// Sessions on the real core: built from runs (common finished prompts, seeded and stratified),
// the evaluator's door (who may act as whom, only their own items, complete and submit), and
// invitation links (new, revoked, listed, gone with the session).
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { BUSY_TIMEOUT_ENV } from '../../../src/main/core/db/busy';
import type { Caller } from '../../../src/shared/contract';
import {
  fails,
  groupOf,
  makeCore,
  ok,
  promptText,
  SECRET_HASH,
  SECRET_MODEL,
  seedRuns,
  tokenCaller,
  type SeededRun,
} from './fixtures';

const lab: Caller = { scope: 'lab' };

describe('humaneval sessions', () => {
  let core: Core;
  let runs: SeededRun[];

  beforeAll(async () => {
    core = await makeCore();
    // 30 prompts; run b misses prompt 0 and failed on prompt 1: 28 prompts are common.
    runs = seedRuns(core, {
      runs: 3,
      prompts: 30,
      missing: (r, i) => r === 1 && i === 0,
      failed: (r, i) => r === 1 && i === 1,
    });
  });
  afterAll(() => core.close());

  const create = (over: Record<string, unknown> = {}) =>
    ok(core, 'humaneval.create', {
      runs: runs.slice(0, 2).map((r) => r.id),
      sample: 6,
      evaluators: ['ann', 'bob', 'cy'],
      perItem: 2,
      seed: 11,
      ...over,
    });

  it('builds items from prompts every run answered, with a neutral title and run-named models', async () => {
    const out = await create();
    expect(out.items).toBe(12);
    expect(out.session).toMatchObject({
      title: `Blind evaluation ${out.session.id}`,
      origin: 'lab',
      mode: 'single',
      sample: 6,
      prompts: 6,
      items: 12,
      perItem: 2,
      evaluators: ['ann', 'bob', 'cy'],
      models: [
        { slot: 1, run: runs[0]!.id, label: runs[0]!.name },
        { slot: 2, run: runs[1]!.id, label: runs[1]!.name },
      ],
    });
    expect(out.invites.map((i: { evaluator: string }) => i.evaluator)).toEqual(['ann', 'bob', 'cy']);
    expect(out.invites[0].path).toBe(`/evaluate?invite=${out.invites[0].token}`);
    expect(out.invites[0].info.session).toBe(`humaneval:${out.session.id}`);
    expect(out.invites[0].info.expiresAt).not.toBeNull();
    const rows = core.humaneval.items(out.session.id);
    // Prompts 0 and 1 lack a finished answer from run b: never sampled.
    for (const r of rows) expect([promptText(0), promptText(1)]).not.toContain(r.prompt);
    // Keys are random: 16 bytes base64url, all distinct.
    expect(new Set(rows.map((r) => r.key)).size).toBe(12);
    for (const r of rows) expect(r.key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(rows.find((r) => r.slot === 2)!.response).toMatch(/^answer r=1 /);
  });

  it('samples the same prompts for the same seed, with new keys, and other prompts for another seed', async () => {
    const prompts = async (seed: number) => {
      const s = await create({ seed });
      const rows = core.humaneval.items(s.session.id);
      return { set: [...new Set(rows.map((r) => r.prompt))].sort(), keys: rows.map((r) => r.key) };
    };
    const [a, b, c] = [await prompts(5), await prompts(5), await prompts(6)];
    expect(b.set).toEqual(a.set);
    expect(b.keys.some((k) => a.keys.includes(k))).toBe(false);
    expect(c.set).not.toEqual(a.set);
  });

  it('stratifies by the records’ target groups', async () => {
    // The 28 common prompts (2..29) fall 9 / 9 / 10 into the three groups: 9 drawn → 3 / 3 / 3
    // for every seed. An unstratified draw would not hit exactly that for five seeds running.
    const group = (p: string) => groupOf(Number(/number (\d+)/.exec(p)![1]));
    for (const seed of [1, 2, 3, 4, 5]) {
      const s = await create({ sample: 9, stratify: true, seed });
      expect(s.session.stratified).toBe(true);
      const picked = [...new Set(core.humaneval.items(s.session.id).map((r) => r.prompt))];
      const counts = ['elderly', 'migrants', 'women'].map((g) => picked.filter((p) => group(p) === g).length);
      expect(counts).toEqual([3, 3, 3]);
    }
    // The negative control: the same seeds without stratification miss it at least once.
    const plain = await Promise.all(
      [1, 2, 3, 4, 5].map(async (seed) => {
        const s = await create({ sample: 9, seed });
        const picked = [...new Set(core.humaneval.items(s.session.id).map((r) => r.prompt))];
        return ['elderly', 'migrants', 'women'].map((g) => picked.filter((p) => group(p) === g).length).join('/');
      }),
    );
    expect(plain.some((c) => c !== '3/3/3')).toBe(true);
  });

  it('makes A/B pair items for every pair of models', async () => {
    const s = await create({ runs: runs.map((r) => r.id), pairs: true, sample: 4 });
    expect(s.session.mode).toBe('pairs');
    expect(s.items).toBe(12); // 4 prompts × 3 model pairs
    const rows = core.humaneval.items(s.session.id);
    for (const r of rows) {
      expect(r.slot_b).not.toBeNull();
      expect(r.slot).not.toBe(r.slot_b);
      expect(r.response_b).toMatch(new RegExp(`^answer r=${r.slot_b! - 1} `));
    }
  });

  it.each([
    [
      'too few common prompts',
      { sample: 29 },
      'invalid-input',
      /only 28 prompts have an answer from every run \(runs \d+, \d+\); ask for at most 28/,
    ],
    ['a run listed twice', { runs: [73900, 73900] }, 'invalid-input', /run 73900 is listed twice/],
    ['pairs of one run', { runs: [73900], pairs: true }, 'invalid-input', /A\/B pairs need at least two runs/],
    [
      'more raters per item than evaluators',
      { perItem: 4 },
      'invalid-input',
      /perItem: 4 evaluators per item, but only 3/,
    ],
    ['an evaluator twice', { evaluators: ['ann', 'ann'], perItem: 1 }, 'invalid-input', /"ann" is listed twice/],
    ['an unknown run', { runs: [73900, 12345] }, 'not-found', /no run 12345/],
  ])('refuses %s', async (_what, over, kind, message) => {
    const e = await fails(core, 'humaneval.create', {
      runs: [runs[0]!.id, runs[1]!.id],
      sample: 5,
      evaluators: ['ann', 'bob', 'cy'],
      ...over,
    });
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(message);
  });

  describe('the evaluator door', () => {
    let session: { id: number };
    let ann: Caller;
    let bob: Caller;
    let tokens: string[];

    beforeAll(async () => {
      const out = await create({ sample: 5, perItem: 2, seed: 21 });
      session = out.session;
      tokens = out.invites.map((i: { token: string }) => i.token);
      ann = tokenCaller(core, out.invites[0].token);
      bob = tokenCaller(core, out.invites[1].token);
    });

    it('shows each evaluator only their items, in their own order, with nothing about models', async () => {
      const a = await ok(core, 'humaneval.assignment', {}, ann);
      const b = await ok(core, 'humaneval.assignment', {}, bob);
      // 10 items × 2 raters over 3 evaluators: 7/7/6.
      expect([a.items.length, b.items.length].every((n: number) => n === 6 || n === 7)).toBe(true);
      expect(a.items.map((i: { position: number }) => i.position)).toEqual(
        a.items.map((_: unknown, i: number) => i + 1),
      );
      const text = JSON.stringify(a);
      for (const secret of [...runs.map((r) => r.name), SECRET_MODEL, SECRET_HASH, 'slot', 'record', '"run'])
        expect(text).not.toContain(secret);
      for (const r of runs) expect(text).not.toContain(String(r.id));
      expect(Object.keys(a.items[0]).sort()).toEqual([
        'answer',
        'answeredAt',
        'key',
        'position',
        'prompt',
        'response',
        'responseA',
        'responseB',
      ]);
      // The same via `as` from the lab; a different order for another evaluator over shared items.
      expect(await ok(core, 'humaneval.assignment', { as: { session: session.id, evaluator: 'ann' } }, lab)).toEqual(a);
      const shared = a.items
        .map((i: { key: string }) => i.key)
        .filter((k: string) => b.items.some((j: { key: string }) => j.key === k));
      const order = (x: { items: { key: string }[] }) => x.items.map((i) => i.key).filter((k) => shared.includes(k));
      if (shared.length > 2) expect(order(a)).not.toEqual(order(b));
    });

    it('enforces who acts as whom', async () => {
      expect(
        (await fails(core, 'humaneval.assignment', { as: { session: session.id, evaluator: 'bob' } }, ann)).kind,
      ).toBe('forbidden');
      const e = await fails(core, 'humaneval.assignment', {}, lab);
      expect(e.kind).toBe('invalid-input');
      expect(e.message).toMatch(/say whom you act as/);
      expect((await fails(core, 'humaneval.assignment', {})).kind).toBe('invalid-input');
      // A token for another kind of session, or for an evaluator the session does not have.
      const round = core.access.create({ evaluator: 'ann', session: 'round:1' });
      expect((await fails(core, 'humaneval.assignment', {}, tokenCaller(core, round.token))).kind).toBe('forbidden');
      const stranger = core.access.create({ evaluator: 'zed', session: `humaneval:${session.id}` });
      expect((await fails(core, 'humaneval.assignment', {}, tokenCaller(core, stranger.token))).kind).toBe('forbidden');
      const gone = core.access.create({ evaluator: 'ann', session: 'humaneval:99999' });
      expect((await fails(core, 'humaneval.assignment', {}, tokenCaller(core, gone.token))).kind).toBe('forbidden');
      expect(
        (await fails(core, 'humaneval.assignment', { as: { session: session.id, evaluator: 'zed' } }, lab)).kind,
      ).toBe('not-found');
    });

    it("refuses another evaluator's key exactly as a key that does not exist", async () => {
      const a = await ok(core, 'humaneval.assignment', {}, ann);
      const b = await ok(core, 'humaneval.assignment', {}, bob);
      const mine = new Set(a.items.map((i: { key: string }) => i.key));
      const theirs = b.items.find((i: { key: string }) => !mine.has(i.key))!.key;
      const answer = { s: 3, l: 3 };
      const e1 = await fails(core, 'humaneval.answer', { key: theirs, answer }, ann);
      const e2 = await fails(core, 'humaneval.answer', { key: 'NoSuchKey12345', answer }, ann);
      expect(e1.kind).toBe('not-found');
      expect(e2.kind).toBe('not-found');
      expect(e1.message.replace(theirs, 'K')).toBe(e2.message.replace('NoSuchKey12345', 'K'));
      // Bob's answer is untouched.
      expect(core.humaneval.answerOf(session.id, 'bob', theirs)).toBeNull();
    });

    it('saves every keypress, counts complete answers, submits once and then refuses changes', async () => {
      const a = await ok(core, 'humaneval.assignment', {}, ann);
      const [first, ...rest] = a.items as { key: string }[];
      let saved = await ok(core, 'humaneval.answer', { key: first!.key, answer: { s: 4 } }, ann);
      expect(saved).toMatchObject({ answered: 0, total: a.items.length });
      saved = await ok(core, 'humaneval.answer', { key: first!.key, answer: { s: 4, l: 2, note: 'fine' } }, ann);
      expect(saved.answered).toBe(1);
      // Refused while items are open: says how many.
      const open = await fails(core, 'humaneval.submit', {}, ann);
      expect(open.kind).toBe('conflict');
      expect(open.message).toMatch(new RegExp(`^${rest.length} items have neither scores nor a skip`));
      // A pair-only field in single mode is refused, naming it.
      const bad = await fails(
        core,
        'humaneval.answer',
        { key: first!.key, answer: { s: 1, l: 1, preference: 'a' } },
        ann,
      );
      expect(bad.kind).toBe('invalid-input');
      expect(bad.message).toMatch(/preference/);
      for (const [i, it] of rest.entries())
        await ok(
          core,
          'humaneval.answer',
          { key: it.key, answer: i === 0 ? { skipped: true } : { s: 5, l: 5, flagged: i === 1 } },
          ann,
        );
      // Reopening continues where it stopped: answers come back.
      const again = await ok(core, 'humaneval.assignment', {}, ann);
      expect(again.items[0].answer).toMatchObject({ s: 4, l: 2, note: 'fine' });
      expect(again.items[0].answeredAt).not.toBeNull();
      const done = await ok(core, 'humaneval.submit', {}, ann);
      expect(done).toMatchObject({ answered: a.items.length - 1, skipped: 1, total: a.items.length });
      const late = await fails(core, 'humaneval.answer', { key: first!.key, answer: { s: 1, l: 1 } }, ann);
      expect(late.kind).toBe('conflict');
      expect(late.message).toBe(`you submitted your scores at ${done.submittedAt}; they can no longer be changed`);
      expect((await fails(core, 'humaneval.submit', {}, ann)).kind).toBe('conflict');
      // Every save is in the log (3 for the first item, counting the refused one: none).
      const logged = core.db
        .prepare("SELECT COUNT(*) FROM humaneval_answer_log WHERE session_id = ? AND evaluator = 'ann'")
        .pluck()
        .get(session.id);
      expect(logged).toBe(2 + rest.length);
      const status = await ok(core, 'humaneval.status', { id: session.id });
      const annStatus = status.evaluators.find((e: { evaluator: string }) => e.evaluator === 'ann');
      expect(annStatus).toMatchObject({
        answered: a.items.length - 1,
        skipped: 1,
        flagged: 1,
        submittedAt: done.submittedAt,
      });
    });

    it('answers busy while another connection holds the write lock, and saves once it is free', async () => {
      const a = await ok(core, 'humaneval.assignment', {}, bob);
      const other = new Database(core.paths.db);
      process.env[BUSY_TIMEOUT_ENV] = '200';
      try {
        other.exec('BEGIN IMMEDIATE');
        const e = await fails(core, 'humaneval.answer', { key: a.items[0].key, answer: { s: 2 } }, bob);
        expect(e.kind).toBe('busy');
        other.exec('ROLLBACK');
        await ok(core, 'humaneval.answer', { key: a.items[0].key, answer: { s: 2 } }, bob);
      } finally {
        delete process.env[BUSY_TIMEOUT_ENV];
        other.close();
      }
    });

    it('makes and revokes links, lists them in status, and revokes them all when the session goes', async () => {
      const fresh = await ok(core, 'humaneval.invite', { id: session.id, evaluator: 'cy' });
      expect(fresh.invite.info.evaluator).toBe('cy');
      expect((await fails(core, 'humaneval.invite', { id: session.id, evaluator: 'zed' })).kind).toBe('not-found');
      const revoked = await ok(core, 'humaneval.invite', { id: session.id, evaluator: 'cy', revoke: true });
      expect(revoked.invite).toBeNull();
      expect(revoked.revoked).toHaveLength(2); // the one from create and the new one
      expect(core.access.resolve(fresh.invite.token)).toBeNull();
      const status = await ok(core, 'humaneval.status', { id: session.id });
      const cy = status.evaluators.find((e: { evaluator: string }) => e.evaluator === 'cy');
      expect(cy.invites).toHaveLength(2);
      expect(cy.invites.every((t: { revokedAt: string | null }) => t.revokedAt !== null)).toBe(true);

      expect(await ok(core, 'humaneval.remove', { id: session.id })).toEqual({ removed: true });
      for (const t of tokens) expect(core.access.resolve(t)).toBeNull();
      expect((await fails(core, 'humaneval.assignment', {}, bob)).kind).toBe('forbidden');
      expect((await fails(core, 'humaneval.status', { id: session.id })).kind).toBe('not-found');
      expect(core.db.prepare('SELECT COUNT(*) FROM humaneval_items WHERE session_id = ?').pluck().get(session.id)).toBe(
        0,
      );
    });
  });
});
