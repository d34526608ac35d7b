// CMD annotation rounds on the wire (issue 13): a round over the demo dataset for three
// annotators, two per record. Every byte an annotator's token receives is scanned for record ids,
// the records' stored labels, and the other annotators' names, notes and benign variations; lab
// methods answer 403; the answers sent are saved and rounds.status's Fleiss' kappa equals the
// kappa computed here, by hand, from the very labels sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import type { RunningServer } from '../../src/main/transports/http';
import { tempDir } from '../helpers';
import { assertRendererBuilt, type Json, Recorder, RENDERER, scanAll, type Secrets, serveLab } from './wire-scan';

const LAB = 'rounds-wire-lab-token-0123456789';
const ANNOTATORS = ['annot-heron', 'annot-plover', 'annot-egret'] as const;
const CATEGORIES = ['bias', 'toxicity', 'sentiment', 'harm'] as const;
type Category = (typeof CATEGORIES)[number];
/** Keys that would give away a record (its id, stored labels, provenance) or another annotator. */
const SECRET_KEYS = [
  'record',
  'recordId',
  'record_id',
  'records',
  'labels',
  'annotation',
  'annotationGold',
  'annotationDerived',
  'targetDemographic',
  'sourceId',
  'sourceLine',
  'contentHash',
  'datasetId',
  'split',
  'votes',
  'majority',
  'annotators',
  'gold',
];

/** Fleiss' kappa from each unit's list of values (equal raters per unit), computed plainly. */
function fleiss(units: string[][]): number {
  const values = [...new Set(units.flat())];
  const n = units[0]!.length;
  const N = units.length;
  let pBar = 0;
  const totals = new Map<string, number>(values.map((v) => [v, 0]));
  for (const u of units) {
    expect(u.length).toBe(n);
    let sq = 0;
    for (const v of values) {
      const c = u.filter((x) => x === v).length;
      sq += c * c;
      totals.set(v, totals.get(v)! + c);
    }
    pBar += (sq - n) / (n * (n - 1)) / N;
  }
  const pE = values.reduce((s, v) => s + (totals.get(v)! / (N * n)) ** 2, 0);
  return (pBar - pE) / (1 - pE);
}

describe('annotation rounds: what an annotator token receives (real HTTP, the demo dataset)', () => {
  let core: Core;
  let server: RunningServer;
  let origin = '';
  let roundId = 0;
  const tokens: Record<string, string> = {};
  const recorders: Record<string, Recorder> = {};
  const items: Record<string, { key: string; text: string }[]> = {};
  /** Everything sent, by record text: annotator → labels. */
  const sent = new Map<string, Map<string, Record<Category, string>>>();
  let recordIds: number[] = [];
  let textIndex = new Map<string, number>();

  let lab: Recorder;
  const labPost = (method: string, body: unknown): Promise<Json> => lab.post(method, body);
  const privateOf = (a: string) => [a, `note-by-${a}`, `benign-by-${a}`];
  const secretsFor = (annotator: string): Secrets => ({
    literals: ANNOTATORS.filter((a) => a !== annotator).flatMap(privateOf),
    keys: SECRET_KEYS,
  });

  beforeAll(async () => {
    assertRendererBuilt();
    core = await createCore({ home: tempDir('srlab-rounds-wire-'), checkOutputs: true, secretTool: null });
    ({ server, origin, lab } = await serveLab(core, LAB));
  });
  afterAll(async () => {
    await server?.close();
    await core?.close();
  });

  it('the lab creates a round of 6 records, 2 annotators each, with one link per annotator', async () => {
    const made = await labPost('rounds.create', {
      dataset: 'cmd-demo',
      records: 6,
      annotators: [...ANNOTATORS],
      perRecord: 2,
      seed: 3,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    roundId = made.body.result.round.id;
    expect(made.body.result.records).toBe(6);
    for (const inv of made.body.result.invites) {
      expect(inv.path).toBe(`/evaluate?invite=${inv.token}`);
      expect(inv.info.session).toBe(`round:${roundId}`);
      tokens[inv.evaluator] = inv.token;
    }
    expect(Object.keys(tokens).sort()).toEqual([...ANNOTATORS].sort());
  });

  it('each annotator sees only their records: the text, never its id, labels or anyone else', async () => {
    const all = await core.invoke('datasets.records', { dataset: 'cmd-demo', filter: {}, limit: 2000 });
    const byText = new Map(all.rows.map((r) => [r.text, r]));
    const seenTexts = new Set<string>();
    for (const a of ANNOTATORS) {
      const r = new Recorder(origin, { authorization: `Bearer ${tokens[a]}` });
      recorders[a] = r;
      expect((await r.post('access.whoami', {})).body.result).toEqual({
        scope: 'evaluator',
        evaluator: a,
        session: `round:${roundId}`,
      });
      const got = await r.post('rounds.assignment', {});
      expect(got.status, JSON.stringify(got.body)).toBe(200);
      expect(got.body.result).toMatchObject({ annotator: a, submittedAt: null });
      // Nothing answered yet, so any label field would be the record's stored labels (anchoring).
      expect(JSON.stringify(got.body)).not.toMatch(/"(bias|toxicity|sentiment|harm)"\s*:/);
      items[a] = got.body.result.items;
      expect(items[a]!.length).toBe(4); // 6 records × 2 / 3 annotators
      for (const item of got.body.result.items) {
        const rec = byText.get(item.text);
        expect(rec, item.text).toBeDefined();
        expect(item.answer).toBeNull();
        expect(item.benignSuggestion).toBe(rec!.benignVariation);
        seenTexts.add(item.text);
      }
      // The page too, as this token loads it.
      await r.page(RENDERER, '/evaluate');
    }
    expect(seenTexts.size).toBe(6);
    const texts = [...seenTexts].sort();
    textIndex = new Map(texts.map((t, i) => [t, i]));
    recordIds = texts.map((t) => byText.get(t)!.id);
    for (const a of ANNOTATORS) expect(scanAll(recorders[a]!.seen, secretsFor(a))).toEqual([]);
  });

  it('saves every change; another annotator’s record key is unknown (404)', async () => {
    for (const [ai, a] of ANNOTATORS.entries()) {
      const r = recorders[a]!;
      for (const [n, item] of items[a]!.entries()) {
        const i = textIndex.get(item.text)!;
        // Bias: everyone agrees (κ = 1). The rest: deliberate, known disagreement.
        const labels: Record<Category, string> = {
          bias: i % 2 ? 'Yes' : 'No',
          toxicity: ai === 2 && i % 2 ? 'High' : i % 3 === 0 ? 'Mild' : 'No',
          sentiment: ['Negative', 'Neutral', 'Positive'][(i + (ai === 1 ? 1 : 0)) % 3]!,
          harm: ai === 0 && i === 0 ? 'Medium' : i % 2 ? 'High' : 'Low',
        };
        const firstWord = item.text
          .split(/\s+/)
          .find((w) => /\w/.test(w))!
          .replace(/[^\w'-]/g, '');
        const answer = {
          ...labels,
          biasedWords: [firstWord],
          benign: `benign-by-${a} ${i}`,
          note: `note-by-${a}`,
          flagged: ai === 0 && n === 0,
        };
        // A half-done answer first (saved on every change), then the whole.
        expect((await r.post('rounds.annotate', { key: item.key, answer: { bias: labels.bias } })).status).toBe(200);
        const saved = await r.post('rounds.annotate', { key: item.key, answer });
        expect(saved.status, JSON.stringify(saved.body)).toBe(200);
        expect(saved.body.result).toMatchObject({ done: n + 1, total: 4 });
        if (!sent.has(item.text)) sent.set(item.text, new Map());
        sent.get(item.text)!.set(a, labels);
      }
      const mine = new Set(items[a]!.map((i) => i.key));
      const foreign = ANNOTATORS.filter((o) => o !== a)
        .flatMap((o) => items[o]!.map((i) => i.key))
        .filter((k) => !mine.has(k));
      expect(foreign.length).toBeGreaterThan(0);
      const refused = await r.post('rounds.annotate', { key: foreign[0], answer: { bias: 'No' } });
      expect(refused.status).toBe(404);
      expect(refused.body.error!.kind).toBe('not-found');
      const madeUp = await r.post('rounds.annotate', { key: 'qqqqqqqqqqqqqqqq', answer: { bias: 'No' } });
      expect(refused.body.error!.message.replace(foreign[0]!, 'KEY')).toBe(
        madeUp.body.error!.message.replace('qqqqqqqqqqqqqqqq', 'KEY'),
      );
      // Re-reading: the answers came back as sent.
      const again = await r.post('rounds.assignment', {});
      for (const item of again.body.result.items) {
        expect(item.answer).toMatchObject(sent.get(item.text)!.get(a)!);
        expect(item.answer.note).toBe(`note-by-${a}`);
      }
    }
  });

  it('refuses lab methods, lab routes and `as` with 403', async () => {
    for (const a of ANNOTATORS) {
      const r = recorders[a]!;
      expect(
        await r.notRefused([
          ['rounds.status', { id: roundId }],
          ['rounds.queue', { id: roundId }],
          ['rounds.list', {}],
          ['rounds.apply', { id: roundId, by: a }],
          ['rounds.adjudicate', { id: roundId, record: recordIds[0], labels: {}, by: a }],
          ['rounds.invite', { id: roundId, annotator: a }],
          ['datasets.record', { id: recordIds[0] }],
          ['datasets.records', { dataset: 'cmd-demo', filter: {} }],
          ['datasets.list', {}],
          ['humaneval.assignment', {}],
        ] as const),
      ).toEqual([]);
      for (const annotator of ANNOTATORS) {
        const as = { round: roundId, annotator };
        expect((await r.post('rounds.assignment', { as })).status).toBe(403);
        expect((await r.post('rounds.annotate', { as, key: items[a]![0]!.key, answer: { bias: 'No' } })).status).toBe(
          403,
        );
      }
      for (const route of ['/api/events', '/api/exports/x.jsonl'])
        expect((await r.fetch(`GET ${route}`, route)).status, route).toBe(403);
    }
  });

  it('submits; rounds.status shows the progress and the kappa of the labels sent', async () => {
    for (const a of ANNOTATORS) {
      const done = await recorders[a]!.post('rounds.submit', {});
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.result).toMatchObject({ done: 4, total: 4 });
    }
    const status = await labPost('rounds.status', { id: roundId });
    expect(status.status, JSON.stringify(status.body)).toBe(200);
    const s = status.body.result;
    expect(s.progress).toEqual({ done: 12, total: 12 });
    for (const a of s.annotators) expect(a).toMatchObject({ assigned: 4, done: 4, submittedAt: expect.any(String) });
    expect(s.annotators.find((a: { annotator: string }) => a.annotator === ANNOTATORS[0]).flagged).toBe(1);
    // Kappa by hand from what was sent: one unit per record (per category), two ratings each.
    const perLabel = Object.fromEntries(
      CATEGORIES.map((c) => [c, fleiss([...sent.values()].map((by) => [...by.values()].map((l) => l[c])))]),
    );
    expect(perLabel.bias).toBeCloseTo(1, 12);
    for (const c of CATEGORIES) expect(s.kappa.perLabel[c], c).toBeCloseTo(perLabel[c]!, 10);
    const pooled = fleiss(
      CATEGORIES.flatMap((c) => [...sent.values()].map((by) => [...by.values()].map((l) => `${c}:${l[c]}`))),
    );
    expect(s.kappa.overall).toBeCloseTo(pooled, 10);
    expect(s.units).toMatchObject({ bias: 6, toxicity: 6, sentiment: 6, harm: 6 });
    expect(s.band.perLabel.bias).toBe('almost perfect');
  });

  it('nothing an annotator received names a record, its labels or another annotator', () => {
    let count = 0;
    for (const a of ANNOTATORS) {
      count += recorders[a]!.seen.length;
      expect(scanAll(recorders[a]!.seen, secretsFor(a))).toEqual([]);
    }
    expect(count).toBeGreaterThan(90);
    // Negative control: the lab's queue carries record ids and the annotators' notes.
    return labPost('rounds.queue', { id: roundId, includeResolved: true }).then((q) => {
      const text = JSON.stringify(q.body);
      expect(text).toMatch(/"record"\s*:/);
      expect(text).toContain(`note-by-${ANNOTATORS[0]}`);
    });
  });
});
