// Blind human evaluation end to end (issue 13): the real `srlab serve` on a data home with two
// real generation runs of two tiny GGUF models; two evaluators open their own invitation links
// in separate browser contexts, pass the content warning, score with the keyboard only (digits,
// ArrowRight, x to skip, f to flag), reload half-way and continue where they stopped, and submit.
// Each one's page cannot reach the other's items or any lab method; humaneval.results (lab token)
// then equals the means computed here from the keys pressed. A pairs session is scored with
// a / t / b too. Nothing is mocked.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers';
import {
  hasChromium,
  labCall,
  launchChromium,
  makeTinyRuns,
  RESULTS_DIR,
  runThatWrote,
  startServe,
  stopServe,
  textOf,
  type Served,
  type TinyRun,
} from './harness';

const EVALUATORS = ['rater-ash', 'rater-birch'] as const;
type Ev = (typeof EVALUATORS)[number];
/** What an evaluator entered for one item, read off the page as they scored it. */
interface Entered {
  prompt: string;
  response: string;
  s: number | null;
  l: number | null;
  skipped: boolean;
  flagged: boolean;
}
/** Each evaluator's keys per item (in their own order); the reload comes after the second item. */
const SCRIPT: Record<Ev, string[][]> = {
  'rater-ash': [['4', '2'], ['5', '3'], ['x'], ['3', '1', 'f']],
  'rater-birch': [
    ['1', '1'],
    ['2', '5', 'f'],
    ['5', '5'],
    ['4', '4'],
  ],
};

/** A JSON call from inside the page: the evaluator's own cookie, the page's own origin. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of the JSON answer freely
function inPage(page: Page, method: string, input: unknown): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ([m, i]) => {
      const r = await fetch(`/api/${m}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(i),
      });
      return { status: r.status, body: await r.json() };
    },
    [method, input] as const,
  );
}

describe.skipIf(!hasChromium && !process.env.CI)('blind human evaluation in serve mode (headless Chromium)', () => {
  let served: Served;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pages = {} as Record<Ev, Page>;
  const entered = {} as Record<Ev, Entered[]>;
  const links = {} as Record<Ev, string>;
  const pageErrors: string[] = [];
  /** Every response body the evaluators' browsers received, by the context's first link. */
  const received: { link: string; url: string; body: string }[] = [];
  const modelShas: string[] = [];
  const runIds: number[] = [];
  /** The two runs and what they wrote, to tell which run wrote a response the page showed. */
  let runs: TinyRun[] = [];
  let sessionId = 0;
  let pairsSession = 0;
  let pairsPage: Page;
  const dir = tempDir('srlab-e2e-humaneval-');
  const home = path.join(dir, 'data');

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(RESULTS_DIR, `humaneval-${name}.png`) }).catch(() => undefined);

  async function open(link: string): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 300 && r.status() < 400) return; // a redirect has no body to read
      r.text().then(
        (body) => received.push({ link, url: r.url(), body }),
        () => undefined,
      );
    });
    await page.goto(`${served.origin}${link}`);
    return page;
  }

  /** Past the content warning with the keyboard (its button has the focus). */
  async function passWarning(page: Page): Promise<void> {
    await page.getByRole('heading', { name: 'Content warning' }).waitFor();
    expect(await page.getByTestId('response').count()).toBe(0);
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: /^Item \d+ of \d+$/ }).waitFor();
  }

  const radio = (page: Page, group: string, name: string) =>
    page.getByRole('radiogroup', { name: group, exact: true }).getByRole('radio', { name, exact: true });

  /** Run of the response shown for a prompt (0 or 1), by the runs' stored outputs. */
  const runOf = (prompt: string, response: string) => runThatWrote(runs, prompt, response);

  async function scoreItems(ev: Ev, from: number, to: number): Promise<void> {
    const page = pages[ev];
    for (let i = from; i < to; i++) {
      const region = page.getByRole('region', { name: `Item ${i + 1} of 4` });
      await region.waitFor();
      const item: Entered = {
        prompt: await textOf(page.getByTestId('prompt')),
        response: await textOf(page.getByTestId('response')),
        s: null,
        l: null,
        skipped: false,
        flagged: false,
      };
      const digits = SCRIPT[ev][i]!.filter((k) => /^\d$/.test(k));
      for (const key of SCRIPT[ev][i]!) {
        if (key === 'x') item.skipped = !item.skipped;
        if (key === 'f') item.flagged = !item.flagged;
        await page.keyboard.press(key);
      }
      [item.s, item.l] = [digits[0] ? Number(digits[0]) : null, digits[1] ? Number(digits[1]) : null];
      // The page shows what the keys did.
      if (item.s !== null) expect(await radio(page, 'Safety (S)', String(item.s)).isChecked()).toBe(true);
      if (item.l !== null)
        expect(await radio(page, 'Language understanding (L)', String(item.l)).isChecked()).toBe(true);
      expect(await page.getByRole('checkbox', { name: /Skip this item/ }).isChecked()).toBe(item.skipped);
      expect(await page.getByRole('checkbox', { name: /Flag this item/ }).isChecked()).toBe(item.flagged);
      entered[ev][i] = item;
      if (i < 3) await page.keyboard.press('ArrowRight');
    }
    await page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved$/ })
      .waitFor();
  }

  beforeAll(async () => {
    fs.mkdirSync(home, { recursive: true });
    // Two models (other weights), one run each on the same 3 demo prompts, 8 tokens.
    runs = makeTinyRuns(
      home,
      dir,
      ['judge-model-one', 'judge-model-two'].map((model) => ({ model, run: `run-${model}` })),
      1234,
    );
    modelShas.push(...runs.map((r) => r.sha256));
    runIds.push(...runs.map((r) => r.id));
    served = await startServe(home);
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stopServe(served?.child);
  });

  test('the lab creates a session: 2 prompts × 2 runs, both evaluators on every item', async () => {
    const made = await labCall(served, 'humaneval.create', {
      runs: runIds,
      sample: 2,
      evaluators: [...EVALUATORS],
      perItem: 2,
      seed: 11,
    });
    expect(made.items).toBe(4);
    sessionId = made.session.id;
    for (const inv of made.invites) links[inv.evaluator as Ev] = inv.path;
    expect(Object.keys(links).sort()).toEqual([...EVALUATORS]);
  });

  test('each evaluator opens their own link in their own browser, behind a content warning', async () => {
    for (const ev of EVALUATORS) {
      const page = await open(links[ev]);
      pages[ev] = page;
      entered[ev] = [];
      expect(new URL(page.url()).pathname).toBe('/evaluate');
      expect(page.url()).not.toContain('invite');
      await page.getByRole('heading', { name: 'Content warning' }).waitFor();
      await shot(page, `${ev}-warning`);
      await passWarning(page);
      expect(await textOf(page.getByTestId('progress'))).toBe('0 of 4 done');
      // The active criterion starts at S.
      expect(await page.getByRole('radiogroup', { name: 'Safety (S)', exact: true }).getAttribute('aria-current')).toBe(
        'true',
      );
    }
  });

  test('they score two items with the keyboard, reload, and continue where they stopped', async () => {
    for (const ev of EVALUATORS) {
      const page = pages[ev];
      await scoreItems(ev, 0, 2);
      expect(await textOf(page.getByTestId('progress'))).toBe('2 of 4 done');
      await shot(page, `${ev}-scoring`);
      await page.reload();
      await passWarning(page);
      // Lands on the first item without a complete answer; the progress was kept.
      await page.getByRole('region', { name: 'Item 3 of 4' }).waitFor();
      expect(await textOf(page.getByTestId('progress'))).toBe('2 of 4 done');
      // Back one: the scores entered before the reload are there.
      await page.keyboard.press('ArrowLeft');
      await page.getByRole('region', { name: 'Item 2 of 4' }).waitFor();
      expect(await radio(page, 'Safety (S)', String(entered[ev][1]!.s)).isChecked()).toBe(true);
      expect(await textOf(page.getByTestId('response'))).toBe(entered[ev][1]!.response);
      await page.keyboard.press('ArrowRight');
      await scoreItems(ev, 2, 4);
      expect(await textOf(page.getByTestId('progress'))).toBe('4 of 4 done');
    }
  });

  test("one evaluator's page cannot reach the other's items or any lab method", async () => {
    const keys = {} as Record<Ev, string[]>;
    for (const ev of EVALUATORS) {
      const a = await inPage(pages[ev], 'humaneval.assignment', {});
      expect(a.status).toBe(200);
      expect(a.body.result.evaluator).toBe(ev);
      keys[ev] = a.body.result.items.map((i: { key: string }) => i.key);
    }
    // Both score every item of this session (shared keys); ash's item in another session, the
    // pairs one below, is unknown to birch: 404, the same as a made-up key, and nothing changes.
    const pairs = await labCall(served, 'humaneval.create', {
      runs: runIds,
      sample: 1,
      evaluators: [EVALUATORS[0]],
      perItem: 1,
      pairs: true,
      seed: 3,
    });
    expect(pairs.items).toBe(1);
    pairsPage = await open(pairs.invites[0].path);
    pairsSession = pairs.session.id;
    const ashPairs = await inPage(pairsPage, 'humaneval.assignment', {});
    const ashKey = ashPairs.body.result.items[0].key as string;
    expect(keys[EVALUATORS[1]]).not.toContain(ashKey);
    const foreign = await inPage(pages[EVALUATORS[1]], 'humaneval.answer', { key: ashKey, answer: { s: 1, l: 1 } });
    expect(foreign.status).toBe(404);
    const madeUp = await inPage(pages[EVALUATORS[1]], 'humaneval.answer', { key: 'nokey-000000', answer: { s: 1 } });
    expect(madeUp.status).toBe(404);
    expect(foreign.body.error.message.replace(ashKey, 'K')).toBe(
      madeUp.body.error.message.replace('nokey-000000', 'K'),
    );
    expect((await inPage(pairsPage, 'humaneval.assignment', {})).body.result.items[0].answer).toBeNull();
    for (const ev of EVALUATORS) {
      for (const [method, input] of [
        ['humaneval.results', { id: sessionId }],
        ['humaneval.status', { id: sessionId }],
        ['runs.list', {}],
        ['datasets.list', {}],
      ] as const)
        expect((await inPage(pages[ev], method, input)).status, `${ev} ${method}`).toBe(403);
      const other = EVALUATORS.find((e) => e !== ev)!;
      const as = { session: sessionId, evaluator: other };
      expect((await inPage(pages[ev], 'humaneval.assignment', { as })).status).toBe(403);
      const events = await pages[ev].evaluate(async () => (await fetch('/api/events')).status);
      expect(events).toBe(403);
    }
    // Birch's answers are what birch entered (ash's attempt changed nothing).
    const status = await labCall(served, 'humaneval.status', { id: sessionId });
    for (const e of status.evaluators) expect(e).toMatchObject({ assigned: 4, submittedAt: null });
  });

  test('both submit; the answers become read-only', async () => {
    for (const ev of EVALUATORS) {
      const page = pages[ev];
      await page.getByRole('button', { name: 'Submit scores' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      expect(await dialog.getByTestId('open-items').count()).toBe(0);
      await dialog.getByRole('button', { name: 'Submit', exact: true }).click();
      await page.getByRole('heading', { name: 'Thank you' }).waitFor();
      expect(await radio(page, 'Safety (S)', '1').isDisabled()).toBe(true);
      await shot(page, `${ev}-submitted`);
    }
  });

  test('humaneval.results (lab token) equals what they entered', async () => {
    const results = await labCall(served, 'humaneval.results', { id: sessionId, resamples: 200 });
    const all = EVALUATORS.flatMap((ev) => entered[ev]);
    expect(all.length).toBe(8);
    expect(results.progress).toEqual({ answered: 7, expected: 8, skipped: 1, flagged: 2 });
    for (const [run, id] of runIds.entries()) {
      const mine = all.filter((e) => runOf(e.prompt, e.response) === run && !e.skipped);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      // The mean over items of each item's mean rating (items are the units the bootstrap
      // resamples; a skipped answer is a missing rating).
      const itemMean = (c: 's' | 'l') =>
        mean(
          [...new Set(mine.map((e) => e.prompt))].map((p) =>
            mean(mine.filter((e) => e.prompt === p).map((e) => e[c]!)),
          ),
        );
      const model = results.models.find((m: { run: number }) => m.run === id);
      expect(model, `run ${id} in the results`).toBeDefined();
      expect(model.s.mean).toBeCloseTo(itemMean('s'), 10);
      expect(model.l.mean).toBeCloseTo(itemMean('l'), 10);
      expect(model.n).toBe(2);
      expect(model.label).toBe(`run-judge-model-${run === 0 ? 'one' : 'two'}`);
    }
    // Every scored unit's ratings are the keys pressed for it.
    for (const e of all.filter((x) => !x.skipped)) {
      const run = runOf(e.prompt, e.response);
      const label = `run-judge-model-${run === 0 ? 'one' : 'two'}`;
      const unit = results.items.find(
        (u: { prompt: string; model: string; criterion: string }) =>
          u.model === label && u.criterion === 's' && e.prompt.includes(u.prompt),
      );
      expect(unit, `${label} "${e.prompt}"`).toBeDefined();
      expect(unit.ratings).toContain(e.s);
    }
    expect(results.figure.models.length).toBe(2);
    expect(pageErrors).toEqual([]);
  });

  test('a pairs session: one prompt, A and B scored and a preference given with a / t / b', async () => {
    const page = pairsPage;
    await page.getByRole('heading', { name: 'Content warning' }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Item 1 of 1' }).waitFor();
    const prompt = await textOf(page.getByTestId('prompt'));
    const a = await textOf(page.getByTestId('response-a'));
    const b = await textOf(page.getByTestId('response-b'));
    // S(A) → L(A) → S(B) → L(B), then a tie, changed to B.
    for (const key of ['4', '3', '2', '5', 't', 'b']) await page.keyboard.press(key);
    expect(await radio(page, 'Safety (S) of A', '4').isChecked()).toBe(true);
    expect(await radio(page, 'Language understanding (L) of A', '3').isChecked()).toBe(true);
    expect(await radio(page, 'Safety (S) of B', '2').isChecked()).toBe(true);
    expect(await radio(page, 'Language understanding (L) of B', '5').isChecked()).toBe(true);
    expect(await radio(page, 'Preference', 'B is better').isChecked()).toBe(true);
    await page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved$/ })
      .waitFor();
    await shot(page, 'pairs');
    await page.getByRole('button', { name: 'Submit scores' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByRole('heading', { name: 'Thank you' }).waitFor();

    const results = await labCall(served, 'humaneval.results', { id: pairsSession, resamples: 200 });
    const [runA, runB] = [runOf(prompt, a), runOf(prompt, b)];
    expect(runA).not.toBe(runB);
    const byRun = (run: number) => results.models.find((m: { run: number }) => m.run === runIds[run]);
    expect([byRun(runA).s.mean, byRun(runA).l.mean, byRun(runB).s.mean, byRun(runB).l.mean]).toEqual([4, 3, 2, 5]);
    expect(results.pairs.comparisons).toBe(1);
    const rate = (run: number) =>
      results.pairs.perModel.find((p: { slot: number }) => p.slot === byRun(run).slot) as {
        wins: number;
        ties: number;
        losses: number;
      };
    expect(rate(runB)).toMatchObject({ wins: 1, ties: 0, losses: 0 });
    expect(rate(runA)).toMatchObject({ wins: 0, ties: 0, losses: 1 });
    expect(results.pairs.bradleyTerry.find((x: { rank: number }) => x.rank === 1).slot).toBe(byRun(runB).slot);
  });

  test("nothing the evaluators' browsers received names a model, its hash or a run", () => {
    expect(received.length).toBeGreaterThan(20);
    expect(received.some((r) => r.url.endsWith('.js'))).toBe(true);
    const secrets = ['judge-model-one', 'judge-model-two', ...modelShas, ...modelShas.map((h) => h.slice(0, 12))];
    const leaked = received.filter(
      (r) => secrets.some((x) => r.body.includes(x)) || /"(run|runId|slot)"\s*:/.test(r.body),
    );
    expect(leaked.map((r) => r.url)).toEqual([]);
    // Each browser heard only its own evaluator's name.
    for (const ev of EVALUATORS) {
      const other = EVALUATORS.find((e) => e !== ev)!;
      expect(received.filter((r) => r.link === links[ev] && r.body.includes(other)).map((r) => r.url)).toEqual([]);
    }
  });
});
