// CMD annotation rounds through the real core (SQLite in a temporary data home, the demo CMD
// dataset): creating a round, who may see and change what, majority vote with ties and flags,
// adjudication, writing gold labels back as label edits, and Fleiss' kappa.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import type { Method, Output } from '../../../src/shared/api';
import type { CallResult, Caller } from '../../../src/shared/contract';
import type { AnnotationItem, RoundAnswer } from '../../../src/shared/contracts/rounds';
import { LABEL_VALUES } from '../../../src/shared/domain';
import { fleissKappa } from '../../../src/shared/metrics/agreement';
import { tempDir } from '../../helpers';

let core: Core;
const LAB: Caller = { scope: 'lab' };

beforeAll(async () => {
  core = await createCore({ home: tempDir(), checkOutputs: true, runtime: { gpu: false } });
});
afterAll(async () => {
  await core?.close();
});

async function ok<M extends Method>(method: M, input: unknown, caller: Caller = LAB): Promise<Output<M>> {
  const r = await core.call(method, input, caller);
  if (!r.ok) throw new Error(`${method}: ${r.error.kind}: ${r.error.message}`);
  return r.result as Output<M>;
}
async function fails(method: string, input: unknown, caller: Caller = LAB) {
  const r: CallResult<unknown> = await core.call(method, input, caller);
  if (r.ok) throw new Error(`${method} succeeded: ${JSON.stringify(r.result)}`);
  return r.error;
}

const answer = (a: Partial<RoundAnswer>): Partial<RoundAnswer> => ({
  bias: 'No',
  toxicity: 'No',
  sentiment: 'Neutral',
  harm: 'Low',
  ...a,
});

async function createRound(input: Record<string, unknown>) {
  return ok('rounds.create', { dataset: 'cmd-demo', ...input });
}

const items = async (round: number, annotator: string): Promise<AnnotationItem[]> =>
  (await ok('rounds.assignment', { as: { round, annotator } })).items;

/** The round's records by text (what an annotator sees), sorted so tests can address them by index. */
async function textsOf(round: number, annotators: string[]): Promise<string[]> {
  const all = new Set<string>();
  for (const a of annotators) for (const i of await items(round, a)) all.add(i.text);
  return [...all].sort();
}

/** Label as `annotator` every record whose text `pick` answers for. */
async function label(round: number, annotator: string, pick: (text: string) => Partial<RoundAnswer> | null) {
  for (const it of await items(round, annotator)) {
    const a = pick(it.text);
    if (a) await ok('rounds.annotate', { as: { round, annotator }, key: it.key, answer: a });
  }
}

const recordIdOf = (text: string) =>
  (core.db.prepare('SELECT id FROM records WHERE text = ?').get(text) as { id: number }).id;
const roundRecords = (round: number) =>
  core.db.prepare('SELECT record_id FROM round_records WHERE round_id = ? ORDER BY idx').pluck().all(round) as number[];

describe('creating a round', () => {
  it('draws the records with the seed and gives each to perRecord annotators, balanced', async () => {
    const made = await createRound({ records: 10, annotators: ['a', 'b', 'c', 'd'], perRecord: 3, seed: 7 });
    expect(made.records).toBe(10);
    expect(made.invites.map((i) => i.evaluator)).toEqual(['a', 'b', 'c', 'd']);
    for (const inv of made.invites) expect(inv.path).toBe(`/evaluate?invite=${inv.token}`);
    const status = await ok('rounds.status', { id: made.round.id });
    expect(status.round.title).toBe(`Annotation round ${made.round.id}`);
    expect(status.progress).toEqual({ done: 0, total: 30 });
    const loads = status.annotators.map((a) => a.assigned);
    expect(loads.reduce((s, v) => s + v, 0)).toBe(30);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(status.annotators[0]!.invites).toHaveLength(1);

    // Same seed, same records; another seed, others.
    const again = await createRound({ records: 10, annotators: ['x', 'y', 'z'], perRecord: 2, seed: 7 });
    expect(roundRecords(again.round.id)).toEqual(roundRecords(made.round.id));
    const other = await createRound({ records: 10, annotators: ['x', 'y', 'z'], perRecord: 2, seed: 8 });
    expect(roundRecords(other.round.id)).not.toEqual(roundRecords(made.round.id));
    // Each annotator's order is their own.
    const orderA = (await items(made.round.id, 'a')).map((i) => i.position);
    expect(orderA).toEqual(orderA.map((_, i) => i + 1));
  });

  it('draws from one split only when asked', async () => {
    const made = await createRound({ records: 5, split: 'test', annotators: ['a', 'b'], perRecord: 2 });
    const splits = core.db
      .prepare(
        `SELECT DISTINCT r.split FROM round_records rr JOIN records r ON r.id = rr.record_id WHERE rr.round_id = ?`,
      )
      .pluck()
      .all(made.round.id);
    expect(splits).toEqual(['test']);
  });

  it('refuses bad requests naming the field', async () => {
    const total = core.datasets.list().datasets.find((d) => d.name === 'cmd-demo')!.records;
    const tooMany = await fails('rounds.create', {
      dataset: 'cmd-demo',
      records: total + 1,
      annotators: ['a'],
      perRecord: 1,
    });
    expect(tooMany.kind).toBe('invalid-input');
    expect(tooMany.message).toContain(`has ${total} records`);
    expect(tooMany.issues?.[0]?.path).toBe('records');
    const dup = await fails('rounds.create', { dataset: 'cmd-demo', records: 2, annotators: ['a', 'b', 'a'] });
    expect(dup.issues?.[0]?.path).toBe('annotators.2');
    const per = await fails('rounds.create', { dataset: 'cmd-demo', records: 2, annotators: ['a', 'b'], perRecord: 3 });
    expect(per.kind).toBe('invalid-input');
    expect(per.issues?.[0]?.path).toBe('perRecord');
    expect((await fails('rounds.create', { dataset: 'nope', records: 2, annotators: ['a'], perRecord: 1 })).kind).toBe(
      'not-found',
    );
  });
});

describe("an annotator's side", () => {
  let round: number;
  let tokenA: string;
  beforeAll(async () => {
    const made = await createRound({ records: 6, annotators: ['a', 'b', 'c'], perRecord: 2, seed: 3 });
    round = made.round.id;
    tokenA = made.invites.find((i) => i.evaluator === 'a')!.token;
  });

  it("shows an invitation's holder only their own records: no record id, no labels, no one else's answers", async () => {
    const caller = core.access.resolve(tokenA)!;
    expect(caller).toMatchObject({ scope: 'evaluator', evaluator: 'a', session: `round:${round}` });
    const mine = await ok('rounds.assignment', {}, caller);
    expect(mine.annotator).toBe('a');
    expect(mine.items).toHaveLength(4);
    // b answers one of the records a shares with them: a must not see it.
    const bItems = await items(round, 'b');
    const shared = bItems.find((i) => mine.items.some((m: AnnotationItem) => m.text === i.text))!;
    await ok('rounds.annotate', {
      as: { round, annotator: 'b' },
      key: shared.key,
      answer: answer({ note: 'B-SECRET' }),
    });
    const again = await ok('rounds.assignment', {}, caller);
    const json = JSON.stringify(again);
    expect(json).not.toContain('B-SECRET');
    for (const it of again.items)
      expect(Object.keys(it).sort()).toEqual(
        ['answer', 'answeredAt', 'benignSuggestion', 'key', 'position', 'text'].sort(),
      );
    const ids = roundRecords(round);
    expect(json).not.toMatch(/"(record|recordId|id|labels|bias)"/);
    for (const id of ids) expect(json).not.toContain(`"${id}"`);
  });

  it("offers the record's current benign variation to start from, and tells the lab of every save", async () => {
    const [first] = await items(round, 'c');
    expect(first!.benignSuggestion).toBe(core.datasets.record({ id: recordIdOf(first!.text) }).record.benignVariation);
    const seen: unknown[] = [];
    const stop = core.onEvent((e) => seen.push(e));
    await ok('rounds.annotate', { as: { round, annotator: 'c' }, key: first!.key, answer: answer({ note: 'n' }) });
    stop();
    expect(seen).toContainEqual({ type: 'rounds-changed', round });
  });

  it('refuses "as" from a token, a token of another session, and a lab call without "as"', async () => {
    const caller = core.access.resolve(tokenA)!;
    expect((await fails('rounds.assignment', { as: { round, annotator: 'b' } }, caller)).kind).toBe('forbidden');
    const other: Caller = { scope: 'evaluator', tokenId: 1, evaluator: 'a', session: 'humaneval:1' };
    expect((await fails('rounds.assignment', {}, other)).kind).toBe('forbidden');
    const noAs = await fails('rounds.assignment', {});
    expect(noAs.kind).toBe('invalid-input');
    expect(noAs.message).toContain('say whom you act as');
    expect((await fails('rounds.assignment', { as: { round, annotator: 'zed' } })).kind).toBe('not-found');
    // A token is one round's: a lab method stays closed to it.
    expect((await fails('rounds.status', { id: round }, caller)).kind).toBe('forbidden');
  });

  it("answers not-found for someone else's key exactly as for a key that does not exist", async () => {
    const caller = core.access.resolve(tokenA)!;
    const mineTexts = new Set((await items(round, 'a')).map((i) => i.text));
    const foreign = (await items(round, 'b')).find((i) => !mineTexts.has(i.text)) ?? (await items(round, 'b'))[0]!;
    const stolen = await fails('rounds.annotate', { key: foreign.key, answer: answer({}) }, caller);
    const madeUp = await fails('rounds.annotate', { key: 'AAAAAAAAAAAAAAAAAAAAAA', answer: answer({}) }, caller);
    expect(stolen.kind).toBe('not-found');
    expect(madeUp.kind).toBe('not-found');
    expect(stolen.message.replace(foreign.key, 'K')).toBe(madeUp.message.replace('AAAAAAAAAAAAAAAAAAAAAA', 'K'));
  });

  it('refuses a biased word that is not in the text, naming it; accepts one that is (any case)', async () => {
    const [it0] = await items(round, 'c');
    const word = it0!.text.split(/\s+/)[1]!.replace(/[^\p{L}]/gu, '') || it0!.text.slice(0, 3);
    const bad = await fails('rounds.annotate', {
      as: { round, annotator: 'c' },
      key: it0!.key,
      answer: answer({ biasedWords: [word.toUpperCase(), 'zzqx-not-there'] }),
    });
    expect(bad.kind).toBe('invalid-input');
    expect(bad.message).toContain('zzqx-not-there');
    expect(bad.issues).toEqual([{ path: 'answer.biasedWords.1', message: expect.stringContaining('zzqx-not-there') }]);
    const saved = await ok('rounds.annotate', {
      as: { round, annotator: 'c' },
      key: it0!.key,
      answer: answer({ biasedWords: [word.toUpperCase()] }),
    });
    expect(saved.done).toBe(1);
    expect((await items(round, 'c'))[0]!.answer!.biasedWords).toEqual([word.toUpperCase()]);
  });

  it('keeps every save, refuses submitting with work left, and refuses changes after submitting', async () => {
    const who = { round, annotator: 'a' };
    const mine = await items(round, 'a');
    await ok('rounds.annotate', { as: who, key: mine[0]!.key, answer: answer({ bias: 'Yes' }) });
    await ok('rounds.annotate', { as: who, key: mine[0]!.key, answer: answer({ bias: 'No' }) });
    // Half done (two labels unset) does not count as done.
    await ok('rounds.annotate', { as: who, key: mine[1]!.key, answer: { bias: 'No', toxicity: 'No' } });
    const early = await fails('rounds.submit', { as: who });
    expect(early.kind).toBe('conflict');
    expect(early.message).toContain(`${mine.length - 1} of ${mine.length} records`);
    const log = core.rounds.answerLog(round).filter((l) => l.annotator === 'a');
    expect(log.map((l) => JSON.parse(l.answer).bias)).toEqual(['Yes', 'No', 'No']);
    for (const it of mine) await ok('rounds.annotate', { as: who, key: it.key, answer: answer({}) });
    const sent = await ok('rounds.submit', { as: who });
    expect(sent.done).toBe(mine.length);
    expect((await ok('rounds.assignment', { as: who })).submittedAt).toBe(sent.submittedAt);
    const late = await fails('rounds.annotate', { as: who, key: mine[0]!.key, answer: answer({ bias: 'Yes' }) });
    expect(late.kind).toBe('conflict');
  });
});

describe('gold labels: majority, queue, adjudication and writing back', () => {
  let round: number;
  let texts: string[];
  const by = (i: number) => (t: string) => t === texts[i];
  beforeAll(async () => {
    const made = await createRound({ records: 4, annotators: ['a', 'b', 'c'], perRecord: 3, seed: 21 });
    round = made.round.id;
    texts = await textsOf(round, ['a', 'b', 'c']);
    expect(texts).toHaveLength(4);
  });

  it('queues a tie and a flag, agrees on a clear majority, waits for incomplete records', async () => {
    // Record 0: toxicity No / Mild / High: no strict majority. Record 1: clear votes but b flags it.
    // Record 2: 2 of 3 agree everywhere. Record 3: c never answers.
    const current2 = core.datasets.record({ id: recordIdOf(texts[2]!) }).record;
    const flip = current2.labels.bias === 'Yes' ? 'No' : 'Yes';
    const plan: Record<string, (t: string) => Partial<RoundAnswer> | null> = {
      a: (t) =>
        by(0)(t) ? answer({ toxicity: 'No' }) : by(2)(t) ? answer({ bias: flip, harm: 'Medium' }) : answer({}),
      b: (t) =>
        by(0)(t)
          ? answer({ toxicity: 'Mild' })
          : by(1)(t)
            ? answer({ flagged: true, note: 'coded phrase?' })
            : by(2)(t)
              ? answer({ bias: flip, harm: 'Medium' })
              : answer({}),
      c: (t) => (by(0)(t) ? answer({ toxicity: 'High' }) : by(3)(t) ? null : answer({})),
    };
    for (const a of ['a', 'b', 'c']) await label(round, a, plan[a]!);

    const status = await ok('rounds.status', { id: round });
    expect(status.gold).toEqual({ agreed: 1, queued: 2, adjudicated: 0, incomplete: 1 });
    const { items: queue } = await ok('rounds.queue', { id: round });
    const byText = new Map(queue.map((q) => [q.text, q]));
    const tie = byText.get(texts[0]!)!;
    expect(tie.reasons).toEqual(['tie']);
    expect(tie.tied).toEqual(['toxicity']);
    expect(tie.votes.toxicity).toEqual({ No: 1, Mild: 1, High: 1 });
    expect(tie.majority).toEqual({ bias: 'No', toxicity: null, sentiment: 'Neutral', harm: 'Low' });
    const flagged = byText.get(texts[1]!)!;
    expect(flagged.reasons).toEqual(['flagged']);
    expect(flagged.notes).toEqual([{ annotator: 'b', note: 'coded phrase?', flagged: true }]);
    expect(byText.has(texts[2]!)).toBe(false);
    expect(byText.has(texts[3]!)).toBe(false);
  });

  it('refuses adjudicating a record that is not queued, and a tie without the expert label', async () => {
    const agreed = await fails('rounds.adjudicate', {
      id: round,
      record: recordIdOf(texts[2]!),
      labels: {},
      by: 'expert',
    });
    expect(agreed.kind).toBe('conflict');
    expect(agreed.message).toBe(`record ${recordIdOf(texts[2]!)} is not waiting for adjudication`);
    const missing = await fails('rounds.adjudicate', {
      id: round,
      record: recordIdOf(texts[0]!),
      labels: { bias: 'Yes' },
      by: 'expert',
    });
    expect(missing.kind).toBe('invalid-input');
    expect(missing.message).toBe("toxicity is tied (No 1, Mild 1, High 1): give the expert's label");
    expect(missing.issues?.[0]?.path).toBe('labels.toxicity');
  });

  it('writes agreed records as label edits naming the editor and round, and leaves pending ones alone', async () => {
    const id0 = recordIdOf(texts[0]!);
    const id2 = recordIdOf(texts[2]!);
    const before0 = core.datasets.record({ id: id0 });
    const before2 = core.datasets.record({ id: id2 });
    const out = await ok('rounds.apply', { id: round, by: 'lead' });
    expect(out.pending).toBe(3);
    const after2 = core.datasets.record({ id: id2 });
    expect(after2.record.labels).toMatchObject({
      bias: before2.record.labels.bias === 'Yes' ? 'No' : 'Yes',
      harm: 'Medium',
    });
    const newEdits = after2.edits.slice(before2.edits.length);
    expect(newEdits.length).toBe(out.edits);
    expect(newEdits.map((e) => e.field)).toContain('bias');
    for (const e of newEdits) {
      expect(e.editor).toBe('lead');
      expect(e.note).toBe(`round ${round}: majority of a, b, c`);
    }
    // The negative control: the tied record, not yet adjudicated, is untouched.
    expect(core.datasets.record({ id: id0 })).toEqual(before0);
    expect((await ok('rounds.status', { id: round })).round.appliedAt).toBe(out.appliedAt);
  });

  it("writes an adjudicated record with the expert's labels, benign variation, name and time", async () => {
    const id0 = recordIdOf(texts[0]!);
    const first = await ok('rounds.adjudicate', {
      id: round,
      record: id0,
      labels: { toxicity: 'Mild', harm: 'High' },
      benign: 'A calm rewrite.',
      by: 'expert',
      note: 'mockery, not threat',
    });
    expect(first.item.adjudication).toMatchObject({ by: 'expert', labels: { toxicity: 'Mild', harm: 'High' } });
    expect((await ok('rounds.queue', { id: round })).items.map((q) => q.record)).not.toContain(id0);
    expect((await ok('rounds.queue', { id: round, includeResolved: true })).items.map((q) => q.record)).toContain(id0);
    const before = core.datasets.record({ id: id0 });
    await ok('rounds.apply', { id: round, by: 'lead' });
    const after = core.datasets.record({ id: id0 });
    expect(after.record.labels).toEqual({ bias: 'No', toxicity: 'Mild', sentiment: 'Neutral', harm: 'High' });
    expect(after.record.benignVariation).toBe('A calm rewrite.');
    const edits = after.edits.slice(before.edits.length);
    expect(edits.length).toBeGreaterThan(0);
    for (const e of edits) {
      expect(e.editor).toBe('lead');
      expect(e.note).toMatch(new RegExp(`^round ${round}: adjudicated by expert at \\d{4}-`));
    }
    // Re-applying changes nothing more.
    const again = await ok('rounds.apply', { id: round, by: 'lead' });
    expect(again.edits).toBe(0);
  });

  it('revokes invitations and keeps written labels when the round is removed', async () => {
    const made = await createRound({ records: 2, annotators: ['p', 'q'], perRecord: 2 });
    const token = made.invites[0]!.token;
    expect(core.access.resolve(token)).not.toBeNull();
    expect(await ok('rounds.remove', { id: made.round.id })).toEqual({ removed: true });
    expect(core.access.resolve(token)).toBeNull();
    expect((await fails('rounds.status', { id: made.round.id })).kind).toBe('not-found');
    const id2 = recordIdOf(texts[2]!);
    expect(core.datasets.record({ id: id2 }).record.labels.harm).toBe('Medium');
  });
});

describe("Fleiss' kappa", () => {
  // Five records, three annotators. Bias votes per record (No/Yes counts): 0/3, 1/2, 3/0, 2/1, 2/1.
  // By hand: P_i = 1, 1/3, 1, 1/3, 1/3 → P̄ = 3/5; p = (8/15, 7/15) → P_e = 113/225;
  // κ = (3/5 − 113/225) / (1 − 113/225) = 22/112 = 11/56.
  const BIAS: string[][] = [
    ['Yes', 'Yes', 'Yes'],
    ['Yes', 'Yes', 'No'],
    ['No', 'No', 'No'],
    ['No', 'No', 'Yes'],
    ['Yes', 'No', 'No'],
  ];
  const TOX = ['No', 'Mild', 'High', 'No', 'Mild'];
  const SENT = ['Negative', 'Neutral', 'Positive', 'Neutral', 'Negative'];
  const HARM = ['Low', 'Medium', 'High', 'Low', 'Low'];

  async function run(biasVotes: string[][]) {
    const made = await createRound({ records: 5, annotators: ['a', 'b', 'c'], perRecord: 3, seed: 99 });
    const texts = await textsOf(made.round.id, ['a', 'b', 'c']);
    for (const [k, a] of ['a', 'b', 'c'].entries())
      await label(made.round.id, a, (t) => {
        const i = texts.indexOf(t);
        return answer({
          bias: biasVotes[i]![k] as 'Yes',
          toxicity: TOX[i] as 'No',
          sentiment: SENT[i] as 'Neutral',
          harm: HARM[i] as 'Low',
        });
      });
    return ok('rounds.status', { id: made.round.id });
  }

  it("equals Fleiss' kappa by hand for a constructed round, per category and pooled", async () => {
    const status = await run(BIAS);
    expect(status.kappa.perLabel.bias).toBeCloseTo(11 / 56, 12);
    const matrix = BIAS.map((vs) => LABEL_VALUES.bias.map((c) => vs.filter((v) => v === c).length));
    expect(status.kappa.perLabel.bias).toBeCloseTo(fleissKappa(matrix).kappa, 12);
    expect(status.band.perLabel.bias).toBe('slight');
    for (const l of ['toxicity', 'sentiment', 'harm'] as const) {
      expect(status.kappa.perLabel[l]).toBe(1);
      expect(status.band.perLabel[l]).toBe('almost perfect');
    }
    expect(status.units).toEqual({ overall: 20, bias: 5, toxicity: 5, sentiment: 5, harm: 5 });
    // Pooled: the four categories side by side, 20 units of 3 ratings over 11 columns.
    const pooled = [
      ...matrix.map((r) => [...r, ...Array(9).fill(0)]),
      ...TOX.map((v) => [0, 0, ...LABEL_VALUES.toxicity.map((c) => (c === v ? 3 : 0)), ...Array(6).fill(0)]),
      ...SENT.map((v) => [...Array(5).fill(0), ...LABEL_VALUES.sentiment.map((c) => (c === v ? 3 : 0)), 0, 0, 0]),
      ...HARM.map((v) => [...Array(8).fill(0), ...LABEL_VALUES.harm.map((c) => (c === v ? 3 : 0))]),
    ];
    expect(status.kappa.overall).toBeCloseTo(fleissKappa(pooled).kappa, 12);
    expect(status.kappa.overall).toBeLessThan(1);
  });

  it('is 1 for a round where everyone agrees', async () => {
    const status = await run(BIAS.map((vs) => [vs[0]!, vs[0]!, vs[0]!]));
    expect(status.kappa.perLabel).toEqual({ bias: 1, toxicity: 1, sentiment: 1, harm: 1 });
    expect(status.kappa.overall).toBeCloseTo(1, 12);
    expect(status.band.overall).toBe('almost perfect');
  });

  it('is null before any record is complete', async () => {
    const made = await createRound({ records: 3, annotators: ['a', 'b'], perRecord: 2 });
    const status = await ok('rounds.status', { id: made.round.id });
    expect(status.kappa).toEqual({
      overall: null,
      perLabel: { bias: null, toxicity: null, sentiment: null, harm: null },
    });
    expect(status.units.overall).toBe(0);
  });
});
