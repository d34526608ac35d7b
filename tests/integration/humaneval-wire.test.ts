// Blinding proven on the wire (issue 13): two real generation runs of two distinctively named
// tiny GGUF models, a blind human-evaluation session for two evaluators, and then every byte
// each evaluator token receives over real HTTP — whoami, the assignment, answers, refusals, the
// evaluator page and every JS/CSS file it loads, by bearer and by the invitation cookie — is
// scanned for the model names and hashes, run names, run/slot/record id fields, generation
// settings and the other evaluator's name. So is the session file exported for one evaluator.
// The negative control: the same scan over the lab's own results finds the run names.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyModel } from '../../scripts/make-tiny-gguf.js';
import { createCore, type Core } from '../../src/main/core';
import { tokenCookieName } from '../../src/main/transports/auth';
import type { RunningServer } from '../../src/main/transports/http';
import { tempDir } from '../helpers';
import {
  assertRendererBuilt,
  type Json,
  leaks,
  Recorder,
  RENDERER,
  scanAll,
  type Secrets,
  serveLab,
} from './wire-scan';

process.env.SRLAB_THREADS = '1';
const LAB = 'humaneval-wire-lab-token-0123456789';
const MODELS = ['secret-model-Q7', 'secret-model-Z9'] as const;
const RUNS = ['secret-run-ALPHA', 'secret-run-BRAVO'] as const;
const EVALUATORS = ['rater-kestrel', 'rater-osprey'] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Fields that would identify a run, a model, a record or the settings (any spelling we know of). */
const SECRET_KEYS = [
  'run',
  'runId',
  'run_id',
  'runs',
  'slot',
  'model',
  'models',
  'modelSha256',
  'sha256',
  'recordId',
  'record_id',
  'temperature',
  'seed',
  'maxTokens',
  'max_tokens',
  'decoding',
  'settings',
  'provenance',
  'label',
  'evaluators',
];

describe('humaneval: what an evaluator token receives is blind (real HTTP, real runs)', () => {
  let core: Core;
  let server: RunningServer;
  let origin = '';
  let cookieName = '';
  let clockOffset = 0;
  let sessionId = 0;
  const runIds: number[] = [];
  const shas: string[] = [];
  const outputs = new Set<string>();
  const inputs = new Set<string>();
  const invites: Record<string, { token: string; path: string }> = {};
  const recorders: Record<string, Recorder[]> = {};
  const keysOf: Record<string, string[]> = {};

  let lab: Recorder;
  const labPost = (method: string, body: unknown): Promise<Json> => lab.post(method, body);
  const secretsFor = (evaluator: string): Secrets => ({
    literals: [
      ...MODELS,
      ...shas,
      ...shas.map((s) => s.slice(0, 12)),
      ...RUNS,
      ...EVALUATORS.filter((e) => e !== evaluator),
    ],
    keys: SECRET_KEYS,
  });

  beforeAll(async () => {
    assertRendererBuilt();
    const dir = tempDir('srlab-humaneval-wire-');
    core = await createCore({
      home: path.join(dir, 'home'),
      checkOutputs: true,
      secretTool: null,
      runtime: { gpu: false },
      // A clock the test moves: links expire by it.
      now: () => new Date(Date.now() + clockOffset),
    });
    // Two different models (other weights, other sha256), each with a name no evaluator may see.
    for (const [i, name] of MODELS.entries()) {
      const file = path.join(dir, `${name}.gguf`);
      writeTinyModel(file, { seed: 1234 + i });
      await core.invoke('models.add', { path: file, name });
      shas.push(createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
    }
    const listed = (await core.invoke('models.list', {})).models;
    expect(listed.map((m) => m.sha256).sort()).toEqual([...shas].sort());
    // Two real generation runs over the same 4 demo prompts, with different settings.
    for (const [i, name] of RUNS.entries()) {
      const { run } = await core.invoke('runs.start', {
        name,
        target: { kind: 'local', model: MODELS[i]!, adapterScale: 1 },
        source: { kind: 'dataset', dataset: 'cmd-demo', split: 'all', limit: 4 },
        decoding: { temperature: i === 0 ? 0 : 0.7, seed: 42 + i, maxTokens: 8, stop: [] },
      });
      runIds.push(run.id);
    }
    for (const id of runIds) {
      let state = '';
      for (let t = 0; t < 1200 && state !== 'succeeded' && state !== 'failed'; t++) {
        await new Promise((r) => setTimeout(r, 50));
        state = (await core.invoke('runs.get', { id })).run.state;
      }
      expect(state, `run ${id}`).toBe('succeeded');
      for (const item of (await core.invoke('runs.items', { id })).items) {
        outputs.add(item.output!);
        inputs.add(item.input);
      }
    }
    ({ server, origin, lab } = await serveLab(core, LAB));
    cookieName = tokenCookieName(server.port);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await core?.close();
  });

  it('the lab creates a session with two evaluators and gets one invitation link each', async () => {
    // One evaluator per item: each evaluator has items the other has not (for the 404 check).
    const made = await labPost('humaneval.create', {
      runs: runIds,
      sample: 3,
      evaluators: [...EVALUATORS],
      perItem: 1,
      seed: 5,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const { session, items, invites: links } = made.body.result;
    sessionId = session.id;
    expect(items).toBe(6); // 3 prompts × 2 runs
    expect(links.map((l: { evaluator: string }) => l.evaluator).sort()).toEqual([...EVALUATORS].sort());
    for (const l of links) {
      expect(l.path).toBe(`/evaluate?invite=${l.token}`);
      expect(l.info).toMatchObject({ evaluator: l.evaluator, session: `humaneval:${session.id}`, revokedAt: null });
      expect(l.info.expiresAt).not.toBeNull();
      invites[l.evaluator] = { token: l.token, path: l.path };
    }
  });

  it('each evaluator, by bearer and by the invitation cookie, sees only their own items, blind', async () => {
    for (const ev of EVALUATORS) {
      const { token, path: invitePath } = invites[ev]!;
      const bearer = new Recorder(origin, { authorization: `Bearer ${token}` });
      // The invitation link trades the token for a cookie and lands on /evaluate.
      const landing = new Recorder(origin, {});
      const traded = await landing.fetch(`GET ${invitePath}`, invitePath);
      expect(traded.status).toBe(302);
      expect(traded.res.headers.get('location')).toBe('/evaluate');
      const cookie = traded.res.headers.get('set-cookie')!.split(';')[0]!;
      expect(cookie).toBe(`${cookieName}=${token}`);
      const viaCookie = new Recorder(origin, { cookie });
      recorders[ev] = [landing, bearer, viaCookie];

      for (const r of [bearer, viaCookie]) {
        const me = await r.post('access.whoami', {});
        expect(me.body.result).toEqual({ scope: 'evaluator', evaluator: ev, session: `humaneval:${sessionId}` });
        const a = await r.post('humaneval.assignment', {});
        expect(a.status, JSON.stringify(a.body)).toBe(200);
        expect(a.body.result).toMatchObject({ evaluator: ev, mode: 'single', submittedAt: null });
        const items = a.body.result.items as { key: string; position: number; prompt: string; response: string }[];
        expect(items.length).toBe(3);
        expect(items.map((i) => i.position)).toEqual([1, 2, 3]);
        // Real content: every response is one of the runs' outputs, every prompt carries a run input.
        for (const item of items) {
          expect(outputs.has(item.response), item.response).toBe(true);
          expect(
            [...inputs].some((t) => item.prompt.includes(t)),
            item.prompt,
          ).toBe(true);
        }
        keysOf[ev] = items.map((i) => i.key);
      }
      // The page itself (HTML, scripts, styles), by the cookie as the browser loads it.
      const files = await viaCookie.page(RENDERER, '/evaluate');
      expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    }
    const [k1, k2] = EVALUATORS.map((e) => new Set(keysOf[e]));
    expect([...k1!].filter((k) => k2!.has(k))).toEqual([]);
  });

  it("answers only the caller's own keys; another's key is as unknown as a made-up one", async () => {
    for (const [i, ev] of EVALUATORS.entries()) {
      const r = recorders[ev]![1]!;
      const mine = keysOf[ev]!;
      const theirs = keysOf[EVALUATORS[1 - i]!]![0]!;
      for (const [n, key] of mine.entries()) {
        const saved = await r.post('humaneval.answer', { key, answer: { s: 1 + n, l: 5 - n, note: `note ${n}` } });
        expect(saved.status, JSON.stringify(saved.body)).toBe(200);
        expect(saved.body.result).toMatchObject({ answered: n + 1, total: 3 });
      }
      const other = await r.post('humaneval.answer', { key: theirs, answer: { s: 1, l: 1 } });
      const madeUp = await r.post('humaneval.answer', { key: 'zzzzzzzzzzzzzzzz', answer: { s: 1, l: 1 } });
      expect(other.status).toBe(404);
      expect(other.body.error!.kind).toBe('not-found');
      expect(madeUp.status).toBe(404);
      // The same words for both: the message cannot tell "someone else's" from "nobody's".
      expect(other.body.error!.message.replace(theirs, 'KEY')).toBe(
        madeUp.body.error!.message.replace('zzzzzzzzzzzzzzzz', 'KEY'),
      );
      expect(other.body.error!.message).not.toMatch(/another|other evaluator|belongs|not yours|assigned to/i);
      // The other evaluator's answer did not change.
      const after = await recorders[EVALUATORS[1 - i]!]![1]!.post('humaneval.assignment', {});
      const untouched = after.body.result.items.find((it: { key: string }) => it.key === theirs);
      // The first evaluator tried before the second had answered; the second's try met l = 5.
      expect(untouched.answer?.l ?? null).toBe(i === 0 ? null : 5);
    }
  });

  it('refuses every lab method, the lab routes and `as` with 403', async () => {
    for (const ev of EVALUATORS) {
      for (const r of recorders[ev]!.slice(1)) {
        expect(
          await r.notRefused([
            ['humaneval.results', { id: sessionId }],
            ['humaneval.status', { id: sessionId }],
            ['humaneval.list', {}],
            ['humaneval.export', { id: sessionId, evaluator: ev }],
            ['humaneval.invite', { id: sessionId, evaluator: ev }],
            ['runs.list', {}],
            ['runs.items', { id: runIds[0] }],
            ['models.list', {}],
            ['datasets.list', {}],
            ['rounds.assignment', {}],
          ] as const),
        ).toEqual([]);
        const other = EVALUATORS.find((e) => e !== ev)!;
        for (const as of [
          { session: sessionId, evaluator: ev },
          { session: sessionId, evaluator: other },
        ]) {
          expect((await r.post('humaneval.assignment', { as })).status).toBe(403);
          expect((await r.post('humaneval.answer', { as, key: keysOf[ev]![0], answer: { s: 2 } })).status).toBe(403);
          expect((await r.post('humaneval.submit', { as })).status).toBe(403);
        }
        for (const route of ['/api/events', '/api/exports/x.json', '/api/rejects/x.csv'])
          expect((await r.fetch(`GET ${route}`, route)).status, route).toBe(403);
      }
    }
  });

  it('submits; the scores stay with time and evaluator, and cannot change after', async () => {
    for (const ev of EVALUATORS) {
      const r = recorders[ev]![1]!;
      const done = await r.post('humaneval.submit', {});
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.result).toMatchObject({ answered: 3, skipped: 0, total: 3 });
      const a = await r.post('humaneval.assignment', {});
      expect(a.body.result.submittedAt).not.toBeNull();
      expect(a.body.result.items.every((i: { answeredAt: string | null }) => i.answeredAt !== null)).toBe(true);
      const late = await r.post('humaneval.answer', { key: keysOf[ev]![0], answer: { s: 5, l: 5 } });
      expect(late.status, JSON.stringify(late.body)).toBeGreaterThanOrEqual(400);
    }
    const status = await labPost('humaneval.status', { id: sessionId });
    for (const e of status.body.result.evaluators)
      expect(e).toMatchObject({ assigned: 3, answered: 3, submittedAt: expect.any(String) });
  });

  it('nothing any evaluator received names a model, hash, run, setting, record or the other evaluator', () => {
    let count = 0;
    for (const ev of EVALUATORS) {
      const seen = recorders[ev]!.flatMap((r) => r.seen);
      count += seen.length;
      expect(scanAll(seen, secretsFor(ev))).toEqual([]);
    }
    // A scan of a few answers proves nothing: the page, its code, whoami, the assignment, answers
    // and refusals were all recorded.
    expect(count).toBeGreaterThan(80);
  });

  it('a pairs session is blind too: which side is which model never crosses the wire', async () => {
    const made = await labPost('humaneval.create', {
      runs: runIds,
      sample: 2,
      evaluators: [EVALUATORS[1]],
      perItem: 1,
      pairs: true,
      seed: 9,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const r = new Recorder(origin, { authorization: `Bearer ${made.body.result.invites[0].token}` });
    const a = await r.post('humaneval.assignment', {});
    expect(a.body.result.mode).toBe('pairs');
    for (const item of a.body.result.items) {
      expect(item.response).toBeNull();
      expect(outputs.has(item.responseA) && outputs.has(item.responseB)).toBe(true);
      const saved = await r.post('humaneval.answer', {
        key: item.key,
        answer: { s: 2, l: 3, sB: 4, lB: 5, preference: 'b' },
      });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    }
    expect((await r.post('humaneval.submit', {})).status).toBe(200);
    await r.post('humaneval.assignment', {});
    expect(scanAll(r.seen, secretsFor(EVALUATORS[1]))).toEqual([]);
  });

  it('the session file exported for one evaluator is blind too', async () => {
    const ev = EVALUATORS[0];
    const exported = await labPost('humaneval.export', { id: sessionId, evaluator: ev });
    expect(exported.status, JSON.stringify(exported.body)).toBe(200);
    expect(exported.body.result).toMatchObject({ kind: 'session', items: 3 });
    const file = await fetch(`${origin}/api/exports/${encodeURIComponent(exported.body.result.fileName)}`, {
      headers: { authorization: `Bearer ${LAB}` },
    });
    expect(file.status).toBe(200);
    const text = await file.text();
    // The file is readable text holding the evaluator's items (so the scan below reads something).
    const a = await recorders[ev]![1]!.post('humaneval.assignment', {});
    for (const item of a.body.result.items as { response: string }[])
      expect(text).toContain(JSON.stringify(item.response).slice(1, -1));
    expect(leaks(text, secretsFor(ev))).toEqual([]);
  });

  it("negative control: the same scan over the lab's results finds the runs", async () => {
    const results = await labPost('humaneval.results', { id: sessionId, resamples: 100 });
    expect(results.status, JSON.stringify(results.body)).toBe(200);
    const found = leaks(JSON.stringify(results.body), secretsFor(EVALUATORS[0]));
    expect(found).toEqual(expect.arrayContaining([...RUNS, 'key "run"', 'key "slot"']));
    const runs = await labPost('runs.list', {});
    expect(leaks(JSON.stringify(runs.body), secretsFor(EVALUATORS[0]))).toEqual(
      expect.arrayContaining([...MODELS, ...shas, 'key "temperature"', 'key "maxTokens"']),
    );
  });

  it('a revoked link answers 401 by bearer, cookie and link; the other evaluator keeps working', async () => {
    const [keep, gone] = EVALUATORS;
    const revoked = await labPost('humaneval.invite', { id: sessionId, evaluator: gone, revoke: true });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect(revoked.body.result.revoked.length).toBe(1);
    expect(revoked.body.result.revoked[0].revokedAt).not.toBeNull();
    const [, bearer, cookie] = recorders[gone]!;
    expect((await bearer!.post('humaneval.assignment', {})).status).toBe(401);
    expect((await cookie!.post('humaneval.assignment', {})).status).toBe(401);
    expect((await fetch(`${origin}${invites[gone]!.path}`, { redirect: 'manual' })).status).toBe(401);
    expect((await recorders[keep]![1]!.post('humaneval.assignment', {})).status).toBe(200);
  });

  it('an expired link answers 401; a link with time left keeps working', async () => {
    const [ev] = EVALUATORS;
    const made = await labPost('humaneval.invite', { id: sessionId, evaluator: ev, expiresInDays: 1 });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const { token, info } = made.body.result.invite;
    const lifetime = Date.parse(info.expiresAt) - Date.parse(info.createdAt);
    expect(lifetime).toBe(DAY_MS);
    const short = new Recorder(origin, { authorization: `Bearer ${token}` });
    expect((await short.post('humaneval.assignment', {})).status).toBe(200);
    clockOffset = 2 * DAY_MS;
    expect((await short.post('humaneval.assignment', {})).status).toBe(401);
    expect((await fetch(`${origin}/evaluate?invite=${token}`, { redirect: 'manual' })).status).toBe(401);
    // The 30-day link of the same evaluator still works two days on.
    expect((await recorders[ev]![1]!.post('humaneval.assignment', {})).status).toBe(200);
    const status = await labPost('humaneval.status', { id: sessionId });
    const mine = status.body.result.evaluators.find((e: { evaluator: string }) => e.evaluator === ev);
    expect(mine.invites.map((i: { expiresAt: string }) => i.expiresAt)).toContain(info.expiresAt);
    // The refusals are blind too.
    expect(scanAll(short.seen, secretsFor(ev))).toEqual([]);
  });
});
