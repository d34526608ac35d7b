// Issue 13 from the CLI, through the real built `srlab`: a blind session over two generation runs
// of the tiny GGUF model (create → status → answers → results → figure), invitations revoked and
// renewed, the offline round trip through a second data home (a tampered answers file refused),
// and a CMD annotation round on the demo dataset (status with Fleiss' kappa, the expert's queue,
// adjudication, gold labels written back). Answers come in through the evaluator door of an
// in-process core opened on the same home between CLI runs (spawnSync: the CLI has exited and
// closed the database before the core opens it; the core is closed before the next CLI run).
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTinyModel } from '../../scripts/make-tiny-gguf.js';
import { createCore, type Core } from '../../src/main/core';
import { LOCAL_CALLER } from '../../src/shared/contract';
import { tempDir } from '../helpers';
import { assertBuilt, srlab } from './cli-helpers';

const home = tempDir();
const files = tempDir();
const run = (args: string[], h = home) => srlab(args, { home: h });
const EVALUATORS = ['ann', 'bob', 'cy'];

/** Run `body` against a core opened on `h`, closed afterwards (so the next CLI run has the database). */
async function withCore<T>(h: string, body: (core: Core) => Promise<T>): Promise<T> {
  const core = await createCore({ home: h });
  try {
    return await body(core);
  } finally {
    await core.close();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- results read freely
async function ok(core: Core, method: string, input: unknown): Promise<any> {
  const r = await core.call(method as never, input, LOCAL_CALLER);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.result;
}

let runNames: string[] = [];

beforeAll(() => {
  assertBuilt();
  const model = path.join(files, 'tiny.gguf');
  writeTinyModel(model);
  expect(run(['models', 'add', model, '--name', 'tiny']).code).toBe(0);
  // Two runs over the same 4 prompts (different seeds and temperature), 8 tokens each: quick on CPU.
  for (const extra of [[], ['--temperature', '0.7', '--seed', '3']]) {
    const g = run([
      'generate',
      '--model',
      'tiny',
      '--dataset',
      'cmd-demo',
      '--limit',
      '4',
      '--max-tokens',
      '8',
      ...extra,
    ]);
    expect(g.code, g.stderr).toBe(0);
  }
  runNames = run(['runs', '--json']).json.runs.map((r: { name: string }) => r.name);
  expect(runNames).toHaveLength(2);
}, 60_000);

describe('srlab humaneval', () => {
  let session: number;
  /** What each evaluator entered, by item key: the criterion's scores per key. */
  const entered = { s: new Map<string, number[]>(), l: new Map<string, number[]>() };

  it('creates a blind session: {session, items, invites} with one /evaluate?invite= link per evaluator', () => {
    const r = run([
      'humaneval',
      'create',
      '--runs',
      ' 1, 2,',
      '--sample',
      '4',
      '--evaluators',
      'ann, bob,,cy',
      '--per-item',
      '2',
      '--seed',
      '5',
      '--title',
      'Pilot',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(r.json).sort()).toEqual(['invites', 'items', 'session']);
    session = r.json.session.id;
    expect(r.json.items).toBe(8);
    expect(r.json.session).toMatchObject({
      title: 'Pilot',
      mode: 'single',
      prompts: 4,
      perItem: 2,
      evaluators: EVALUATORS,
    });
    // The lab's labels are the run names (made unique: both runs are "tiny × cmd-demo/test").
    expect(r.json.session.models.map((m: { run: number; label: string }) => [m.run, m.label])).toEqual([
      [1, `${runNames[0]} #1`],
      [2, `${runNames[1]} #2`],
    ]);
    expect(r.json.invites.map((i: { evaluator: string }) => i.evaluator)).toEqual(EVALUATORS);
    for (const i of r.json.invites) expect(i.path).toBe(`/evaluate?invite=${i.token}`);
  });

  it('says where to open the links in its human output, and refuses a run that does not exist', () => {
    const r = run(['humaneval', 'create', '--runs', '1,2', '--sample', '2', '--evaluators', 'dee', '--per-item', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {2}dee: \/evaluate\?invite=srev_\S+$/m);
    expect(r.stdout).toMatch(/serve origin \(`srlab serve` prints it\)/);
    expect(r.stdout).toMatch(/shown only now/);
    const id = Number(/^session (\d+)/.exec(r.stdout)![1]);
    expect(run(['humaneval', 'remove', String(id), '--json']).json).toEqual({ removed: true });
    expect(run(['humaneval', 'list', '--json']).json.sessions.map((s: { id: number }) => s.id)).toEqual([session]);

    const missing = run([
      'humaneval',
      'create',
      '--runs',
      '1,99',
      '--sample',
      '2',
      '--evaluators',
      'dee',
      '--per-item',
      '1',
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/99/);
  });

  it('shows progress: nothing answered yet, every link active', () => {
    const r = run(['humaneval', 'status', String(session), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.evaluators.map((e: { evaluator: string }) => e.evaluator)).toEqual(EVALUATORS);
    for (const e of r.json.evaluators) {
      expect(e.answered).toBe(0);
      expect(e.invites).toHaveLength(1);
      expect(e.invites[0].revokedAt).toBeNull();
    }
    const results = run(['humaneval', 'results', String(session), '--json']).json;
    for (const m of results.models) expect(m).toMatchObject({ s: { mean: null }, l: { mean: null }, n: 0 });
  });

  it('reports the results in the issue shape after the evaluators answered', async () => {
    // The evaluators agree on L (a score from the prompt) and not on S (a score from who they are).
    await withCore(home, async (core) => {
      for (const [e, evaluator] of EVALUATORS.entries()) {
        const as = { session, evaluator };
        const a = await ok(core, 'humaneval.assignment', { as });
        for (const item of a.items) {
          const answer = { s: e + 2, l: 1 + (item.prompt.length % 5) };
          await ok(core, 'humaneval.answer', { as, key: item.key, answer });
          for (const c of ['s', 'l'] as const)
            entered[c].set(item.key, [...(entered[c].get(item.key) ?? []), answer[c]]);
        }
      }
    });
    const r = run(['humaneval', 'results', String(session), '--json', '--resamples', '500', '--seed', '7']);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json;
    expect(out.models.map((m: { run: number }) => m.run)).toEqual([1, 2]);
    for (const m of out.models) {
      expect(m).toMatchObject({ run: expect.any(Number), n: 4, slot: expect.any(Number), label: expect.any(String) });
      for (const c of ['s', 'l'] as const) {
        expect(m[c].mean).toEqual(expect.any(Number));
        expect(m[c].ci[0]).toBeLessThanOrEqual(m[c].mean);
        expect(m[c].ci[1]).toBeGreaterThanOrEqual(m[c].mean);
      }
    }
    // alpha: the numbers, with the contract's detail beside them.
    expect(out.alpha).toEqual({ s: out.alphaDetail.s.alpha, l: out.alphaDetail.l.alpha });
    expect(out.alpha.l).toBe(1);
    expect(out.alpha.s).toBeLessThan(0.5);
    expect(out.alphaDetail.l).toMatchObject({ band: 'reliable', units: 8 });
    expect(out.bootstrap).toEqual({ resamples: 500, confidence: 0.95, seed: 7 });
    // The lab-side spread per unit holds exactly what was entered through the evaluator door.
    expect(out.items).toHaveLength(16);
    for (const u of out.items)
      expect([...u.ratings].sort()).toEqual([...entered[u.criterion as 's' | 'l'].get(u.key)!].sort());

    const human = run(['humaneval', 'results', String(session)]);
    expect(human.stdout).toMatch(/^model +S mean \[95% CI\] +L mean \[95% CI\] +n$/m);
    for (const name of runNames) expect(human.stdout).toContain(name);
    expect(human.stdout).toMatch(/alpha \(ordinal\), language L: 1\.000 \(reliable\), 8 units/);
    expect(human.stdout).toMatch(/Most disagreement/);
  });

  it('draws the Figure 4 figure from the session with `srlab figure --humaneval`', () => {
    const out = path.join(files, 'fig', 'human.svg');
    const r = run(['figure', '--kind', 'human', '--humaneval', String(session), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`srlab session ${session}, 3 raters, 4 prompts sampled`));
    expect(JSON.parse(fs.readFileSync(path.join(files, 'fig', 'human.spec.json'), 'utf8')).source).toEqual({
      kind: 'humaneval',
      session,
    });
    const csv = fs.readFileSync(path.join(files, 'fig', 'human.csv'), 'utf8');
    for (const name of runNames) expect(csv).toContain(name);
  });

  it('revokes and renews an evaluator link', () => {
    const revoked = run(['humaneval', 'invite', String(session), 'ann', '--revoke', '--json']).json;
    expect(revoked.invite).toBeNull();
    expect(revoked.revoked).toHaveLength(1);
    const renewed = run(['humaneval', 'invite', String(session), 'ann', '--expires', '2']);
    expect(renewed.stdout).toMatch(/^ {2}ann: \/evaluate\?invite=srev_/m);
    const ann = run(['humaneval', 'status', String(session), '--json']).json.evaluators[0];
    expect(ann.invites.map((t: { revokedAt: string | null }) => t.revokedAt !== null)).toEqual([true, false]);
  });

  it('moves a session to a second srlab and its answers back; a tampered answers file is refused', async () => {
    const sessionFile = path.join(files, 'cy-session.json');
    const exported = run(['humaneval', 'export', String(session), 'cy', '--out', sessionFile, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.json).toMatchObject({ kind: 'session', path: sessionFile });
    const text = fs.readFileSync(sessionFile, 'utf8');
    for (const secret of ['tiny', ...runNames]) expect(text).not.toContain(secret);

    const away = tempDir();
    const opened = run(['humaneval', 'import', sessionFile], away);
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toMatch(/for cy to score offline/);
    expect(opened.stdout).toMatch(/srlab serve.*Score here.*evaluator mode/);
    const copy = run(['humaneval', 'list', '--json'], away).json.sessions[0];
    expect(copy).toMatchObject({ origin: 'offline', evaluators: ['cy'], models: [] });

    // cy scores S 5 everywhere on the offline copy.
    const keys = await withCore(away, async (core) => {
      const as = { session: copy.id, evaluator: 'cy' };
      const a = await ok(core, 'humaneval.assignment', { as });
      for (const item of a.items) await ok(core, 'humaneval.answer', { as, key: item.key, answer: { s: 5, l: 3 } });
      return a.items.map((i: { key: string }) => i.key) as string[];
    });
    const answersFile = path.join(files, 'cy-answers.json');
    const back = run(['humaneval', 'export', String(copy.id), 'cy', '--out', answersFile, '--json'], away);
    expect(back.json).toMatchObject({ kind: 'answers', items: keys.length });

    const tampered = path.join(files, 'cy-answers-tampered.json');
    const original = fs.readFileSync(answersFile, 'utf8');
    const changed = original.replace(/"s": 5/, '"s": 1');
    expect(changed).not.toBe(original);
    fs.writeFileSync(tampered, changed);
    const refused = run(['humaneval', 'import', tampered]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/srlab: .*signature/);

    const merged = run(['humaneval', 'import', answersFile]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(new RegExp(`merged ${keys.length} answers of cy into session ${session}`));
    const items = run(['humaneval', 'results', String(session), '--json', '--resamples', '100']).json.items;
    for (const key of keys) {
      const s = items.find((u: { key: string; criterion: string }) => u.key === key && u.criterion === 's');
      expect(s.ratings).toContain(5);
    }
  });
});

describe('srlab rounds', () => {
  let round: number;

  it('creates a round on the demo dataset with one link per annotator', () => {
    const r = run([
      'rounds',
      'create',
      '--dataset',
      'cmd-demo',
      '--records',
      '3',
      '--annotators',
      'a, b,,c',
      '--per-record',
      '3',
      '--seed',
      '2',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.records).toBe(3);
    expect(r.json.round).toMatchObject({ dataset: 'cmd-demo', annotators: ['a', 'b', 'c'], perRecord: 3 });
    expect(r.json.invites.map((i: { path: string }) => i.path)).toEqual(
      r.json.invites.map((i: { token: string }) => `/evaluate?invite=${i.token}`),
    );
    round = r.json.round.id;
    expect(run(['rounds', 'list', '--json']).json.rounds.map((x: { id: number }) => x.id)).toEqual([round]);
  });

  it('reports kappa, queues the tie, takes the expert’s label and writes gold labels back', async () => {
    // All agree, except on the toxicity of one record (the first text in order): No, Mild, High.
    const tie = ['No', 'Mild', 'High'] as const;
    const tiedText = await withCore(home, async (core) => {
      let first = '';
      for (const [n, annotator] of ['a', 'b', 'c'].entries()) {
        const as = { round, annotator };
        const a = await ok(core, 'rounds.assignment', { as });
        const texts = a.items.map((i: { text: string }) => i.text).sort();
        first = texts[0];
        for (const item of a.items) {
          const toxicity = item.text === first ? tie[n] : 'No';
          const answer = { bias: 'Yes', toxicity, sentiment: 'Negative', harm: 'Low' };
          await ok(core, 'rounds.annotate', { as, key: item.key, answer });
        }
      }
      return first;
    });

    const status = run(['rounds', 'status', String(round), '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.json.progress).toEqual({ done: 9, total: 9 });
    expect(status.json.gold).toMatchObject({ agreed: 2, queued: 1, incomplete: 0 });
    expect(Object.keys(status.json.kappa.perLabel).sort()).toEqual(['bias', 'harm', 'sentiment', 'toxicity']);
    expect(status.json.kappa.overall).toEqual(expect.any(Number));
    const human = run(['rounds', 'status', String(round)]);
    expect(human.stdout).toMatch(/Fleiss' kappa overall \(srlab's pooled\): -?\d\.\d{3}/);

    const queue = run(['rounds', 'adjudicate', String(round)]);
    expect(queue.code, queue.stderr).toBe(0);
    const record = Number(/^record (\d+) {2}\(tie\)/m.exec(queue.stdout)![1]);
    expect(queue.stdout).toMatch(/^ {2}tied toxicity: .*High 1.*$/m);
    expect(queue.stdout).toContain(JSON.stringify(tiedText.slice(0, 77)).slice(0, 40));

    const refused = run(['rounds', 'adjudicate', String(round), '--record', String(record), '--toxicity', 'Very']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/labels\.toxicity/);
    const done = run([
      'rounds',
      'adjudicate',
      String(round),
      '--record',
      String(record),
      '--toxicity',
      'Mild',
      '--by',
      'expert',
      '--json',
    ]);
    expect(done.code, done.stderr).toBe(0);
    expect(done.json.item.adjudication).toMatchObject({ by: 'expert', labels: { toxicity: 'Mild' } });

    const applied = run(['rounds', 'adjudicate', String(round), '--apply', '--by', 'expert']);
    expect(applied.code, applied.stderr).toBe(0);
    const edits = Number(/wrote gold labels of 3 records back \((\d+) label edits by expert/.exec(applied.stdout)![1]);
    expect(edits).toBeGreaterThan(0);
    expect(applied.stdout).toMatch(/0 records still pending/);
    await withCore(home, async (core) => {
      const r = await ok(core, 'datasets.record', { id: record });
      expect(r.record.labels.toxicity).toBe('Mild');
    });
    expect(run(['rounds', 'status', String(round), '--json']).json.round.appliedAt).toEqual(expect.any(String));
  });

  it('revokes an annotator’s link and removes the round', () => {
    const revoked = run(['rounds', 'invite', String(round), 'a', '--revoke', '--json']).json;
    expect(revoked).toMatchObject({ invite: null, revoked: [{ evaluator: 'a' }] });
    expect(run(['rounds', 'remove', String(round)]).stdout).toMatch(`removed round ${round}`);
    expect(run(['rounds', 'list', '--json']).json.rounds).toEqual([]);
  });
});
