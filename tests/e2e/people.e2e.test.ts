// The People area end to end through the lab's own UI (issue 13): the real `srlab serve` on a data
// home with two real generation runs of two tiny GGUF models, driven by headless Chromium. The
// researcher creates a blind human-evaluation session with the New session form and reads an
// invitation link off the page; the evaluator opens it in a second browser context and scores
// with the keyboard; the lab sees the progress arrive, the results equal what was typed, and
// Figure 4 draws. The lab window then scores as another evaluator in evaluator mode (no lab in
// sight) and leaves it. Then an annotation round made with the New round form: two annotators
// label through their links so that one category ties, the expert adjudicates it in the queue and
// writes the gold labels, and the dataset's label edit names the expert. Nothing is mocked; the
// lab side is only clicked and typed (labCall only checks what the UI showed).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LABEL_VALUES } from '../../src/shared/domain';
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

const MODELS = ['people-model-one', 'people-model-two'] as const;
const RUN_NAMES = MODELS.map((m) => `run-${m}`);
/**
 * S and L keys ann presses per item, in her own order (6 items: 3 prompts × 2 runs). S is always
 * above L, so a mean shown in the wrong column cannot pass for the right one.
 */
const ANN_KEYS: [string, string][] = [
  ['5', '1'],
  ['4', '2'],
  ['3', '1'],
  ['5', '2'],
  ['4', '2'],
  ['3', '1'],
];
const EXPERT = 'expert-eve';
/** A loaded machine: waits are generous (they end as soon as the page is ready). */
const LONG = { timeout: 45_000 };
const CATEGORIES = ['bias', 'toxicity', 'sentiment', 'harm'] as const;
type Category = (typeof CATEGORIES)[number];

describe.skipIf(!hasChromium && !process.env.CI)('the People area in serve mode (headless Chromium)', () => {
  let served: Served;
  let browser: Browser | undefined;
  let lab: Page;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  /** Things that went wrong but let the test go on (e.g. an event that never refreshed a view). */
  const soft: string[] = [];
  const runIds: number[] = [];
  /** The two runs and what they wrote, to tell which run wrote a response the evaluator saw. */
  let runs: TinyRun[] = [];
  /** What ann typed: the prompt, the response, and S/L. */
  const entered: { prompt: string; response: string; s: number; l: number }[] = [];
  let sessionId = 0;
  const dir = tempDir('srlab-e2e-people-');
  const home = path.join(dir, 'data');

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(RESULTS_DIR, `people-${name}.png`) }).catch(() => undefined);

  /** A fresh browser context (no cookie, no storage shared with the lab) on an invitation link. */
  async function openLink(url: string): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${url}: ${e.message}`));
    await page.goto(url);
    return page;
  }

  /** Waits for a view fed by server events; if none came, notes it and reloads (then it must show). */
  async function eventually(what: string, target: Locator, reopen: () => Promise<void>): Promise<void> {
    try {
      await target.waitFor({ timeout: 30_000 });
    } catch {
      soft.push(`${what}: not refreshed by server events within 30 s (shown after a reload)`);
      await lab.reload();
      await reopen();
      await target.waitFor(LONG);
    }
  }

  const radio = (page: Page, group: string, name: string) =>
    page.getByRole('radiogroup', { name: group, exact: true }).getByRole('radio', { name, exact: true });

  /** Which run (0 or 1) wrote the response shown for a prompt, by the runs' stored outputs. */
  const runOf = (prompt: string, response: string) => runThatWrote(runs, prompt, response);

  const nav = (name: string) => lab.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name });

  beforeAll(async () => {
    fs.mkdirSync(home, { recursive: true });
    // Two models (other weights), one run each on the same 3 demo prompts, 8 tokens.
    runs = makeTinyRuns(
      home,
      dir,
      MODELS.map((model, i) => ({ model, run: RUN_NAMES[i]! })),
      4321,
    );
    runIds.push(...runs.map((r) => r.id));
    served = await startServe(home);
    browser = await launchChromium();
    lab = await browser.newPage({ viewport: { width: 1440, height: 960 } });
    lab.on('pageerror', (e) => pageErrors.push(`lab: ${e.message}`));
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stopServe(served?.child);
  });

  let annLink = '';

  test('People starts empty; the New session form creates a session and shows a full link per evaluator', async () => {
    await lab.goto(served.url);
    await nav('People').click();
    expect(new URL(lab.url()).hash).toBe('#/people');
    await lab.getByRole('heading', { name: 'No human evaluation yet' }).waitFor(LONG);
    await shot(lab, 'empty');
    await lab.locator('.empty-state').getByRole('button', { name: 'New session…' }).click();

    const form = lab.getByRole('form', { name: 'New human evaluation session' });
    await form.waitFor(LONG);
    for (const run of RUN_NAMES) await form.getByRole('checkbox', { name: new RegExp(run) }).check(LONG);
    await form.getByLabel('Sample size (prompts)').fill('3');
    await form.getByLabel('Evaluators', { exact: true }).fill('ann, bo');
    await form.getByLabel('Evaluators per item').fill('2');
    await form.getByLabel('Seed', { exact: true }).fill('7');
    await shot(lab, 'new-session');
    await form.getByRole('button', { name: 'Create session' }).click();

    const panel = lab.getByTestId('invites-panel');
    await panel.getByRole('heading', { name: 'Invitation links' }).waitFor(LONG);
    for (const who of ['ann', 'bo']) {
      const url = await panel.getByRole('textbox', { name: `Link for ${who}` }).inputValue();
      expect(url, who).toMatch(new RegExp(`^${served.origin.replace(/\./g, '\\.')}/evaluate\\?invite=\\S+$`));
    }
    annLink = await panel.getByRole('textbox', { name: 'Link for ann' }).inputValue();
    expect(await panel.getByRole('textbox', { name: 'Link for bo' }).inputValue()).not.toBe(annLink);
    // The session the form made is what the lab's API lists, and it is shown.
    const { sessions } = await labCall(served, 'humaneval.list', {});
    expect(sessions.length).toBe(1);
    sessionId = sessions[0].id;
    expect(sessions[0]).toMatchObject({ perItem: 2, seed: 7, prompts: 3, items: 6 });
    expect([...sessions[0].models.map((m: { run: number }) => m.run)].sort()).toEqual([...runIds].sort());
    await lab.getByTestId('session-view').waitFor(LONG);
    await lab.getByTestId('evaluator-row').filter({ hasText: 'ann' }).getByText('0/6').waitFor(LONG);
    await shot(lab, 'invites');
  });

  test('ann opens her link in another browser and scores every item with the keyboard, then submits', async () => {
    const page = await openLink(annLink);
    await page.getByRole('heading', { name: 'Content warning' }).waitFor(LONG);
    expect(await page.getByTestId('response').count()).toBe(0);
    await page.keyboard.press('Enter');
    for (const [i, [s, l]] of ANN_KEYS.entries()) {
      await page.getByRole('region', { name: `Item ${i + 1} of 6` }).waitFor(LONG);
      const prompt = await textOf(page.getByTestId('prompt'));
      const response = await textOf(page.getByTestId('response'));
      await page.keyboard.press(s);
      await page.keyboard.press(l);
      expect(await radio(page, 'Safety (S)', s).isChecked()).toBe(true);
      expect(await radio(page, 'Language understanding (L)', l).isChecked()).toBe(true);
      entered.push({ prompt, response, s: Number(s), l: Number(l) });
      if (i < ANN_KEYS.length - 1) await page.keyboard.press('ArrowRight');
    }
    await page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved$/ })
      .waitFor(LONG);
    expect(await textOf(page.getByTestId('progress'))).toBe('6 of 6 done');
    await shot(page, 'ann-scored');
    await page.getByRole('button', { name: 'Submit scores' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByRole('heading', { name: 'Thank you' }).waitFor(LONG);
    // Her browser holds an evaluator token: the lab's UI and methods are not hers.
    expect(await page.getByRole('link', { name: 'Datasets' }).count()).toBe(0);
  });

  test("the lab shows ann's progress and submission, results equal to her keys, and Figure 4", async () => {
    const annRow = lab.getByTestId('evaluator-row').filter({ has: lab.getByRole('rowheader', { name: 'ann' }) });
    const reopen = async () => {
      await nav('People').click();
      await lab.getByTestId('session-view').waitFor(LONG);
    };
    await eventually('ann’s row', annRow.filter({ hasText: '6/6' }).filter({ hasNotText: 'not yet' }), reopen);
    await shot(lab, 'progress');
    const boRow = lab.getByTestId('evaluator-row').filter({ has: lab.getByRole('rowheader', { name: 'bo' }) });
    expect(await boRow.textContent()).toContain('0/6');
    expect(await boRow.textContent()).toContain('not yet');

    await lab.getByRole('tab', { name: 'Results' }).click();
    await lab.getByRole('heading', { name: 'Scores per model' }).waitFor(LONG);
    const table = lab.getByTestId('results-models');
    await table.waitFor(LONG);
    const results = await labCall(served, 'humaneval.results', { id: sessionId });
    expect(results.progress).toMatchObject({ answered: 6, expected: 12 });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const [run, id] of runIds.entries()) {
      // Ann alone scored: each item's mean is her rating, each model's mean the mean of hers.
      const mine = entered.filter((e) => runOf(e.prompt, e.response) === run);
      expect(mine.length).toBe(3);
      const s = mean(mine.map((e) => e.s));
      const l = mean(mine.map((e) => e.l));
      const model = results.models.find((m: { run: number }) => m.run === id);
      expect(model.s.mean).toBeCloseTo(s, 10);
      expect(model.l.mean).toBeCloseTo(l, 10);
      expect(model.n).toBe(3);
      // The page's row for this run shows the same means (two decimals, as formatted there).
      const row = table.getByRole('row').filter({ has: lab.getByRole('rowheader', { name: model.label }) });
      const cells = row.getByRole('cell');
      const two = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      expect((await textOf(cells.nth(0))).startsWith(two(s)), `S of ${model.label}`).toBe(true);
      expect((await textOf(cells.nth(1))).startsWith(two(l)), `L of ${model.label}`).toBe(true);
      expect(await textOf(cells.nth(2))).toBe('3');
    }
    await shot(lab, 'results');

    await lab.getByRole('button', { name: 'Figure 4' }).click();
    expect(new URL(lab.url()).hash).toBe('#/figures');
    await lab.locator('[data-testid="figure-preview"][data-kind="human"] svg').first().waitFor(LONG);
    await shot(lab, 'figure4');
  });

  test('"Score here as bo": evaluator mode shows only the evaluator page until the researcher leaves it', async () => {
    await nav('People').click();
    await lab.getByTestId('session-view').waitFor(LONG);
    await lab.getByRole('tab', { name: 'Evaluators' }).click();
    await lab.getByRole('button', { name: 'Score here as bo' }).click();
    const dialog = lab.getByRole('dialog', { name: 'Score as bo in this window?' });
    await dialog.getByRole('button', { name: 'Start evaluator mode' }).click();

    await lab.getByRole('heading', { name: 'Content warning' }).waitFor(LONG);
    expect(await lab.getByRole('link', { name: 'Datasets' }).count()).toBe(0);
    expect(await lab.getByRole('navigation', { name: 'Areas' }).count()).toBe(0);
    await lab.getByRole('button', { name: 'Show the texts' }).click();
    await lab.getByRole('region', { name: 'Item 1 of 6' }).waitFor(LONG);
    await lab.keyboard.press('3');
    await lab.keyboard.press('2');
    expect(await radio(lab, 'Safety (S)', '3').isChecked()).toBe(true);
    expect(await radio(lab, 'Language understanding (L)', '2').isChecked()).toBe(true);
    await lab
      .getByTestId('save-state')
      .filter({ hasText: /^Saved$/ })
      .waitFor(LONG);
    expect(await textOf(lab.getByTestId('progress'))).toBe('1 of 6 done');
    expect(await lab.getByRole('link', { name: 'Datasets' }).count()).toBe(0);
    await shot(lab, 'evaluator-mode');

    await lab.getByRole('button', { name: 'Leave evaluator mode' }).first().click();
    const leave = lab.getByRole('dialog', { name: 'Leave evaluator mode?' });
    await leave.getByRole('button', { name: 'Leave', exact: true }).click();
    await nav('Datasets').waitFor(LONG);
    await lab.getByTestId('session-view').waitFor(LONG);
    const status = await labCall(served, 'humaneval.status', { id: sessionId });
    const bo = status.evaluators.find((e: { evaluator: string }) => e.evaluator === 'bo');
    expect(bo).toMatchObject({ answered: 1, assigned: 6, submittedAt: null });
  });

  test('an annotation round from the form: two annotators tie on one record, the expert adjudicates and writes gold labels', async () => {
    await lab.getByRole('tab', { name: 'Annotation rounds' }).click();
    await lab.getByRole('heading', { name: 'No annotation round yet' }).waitFor(LONG);
    await lab.locator('.empty-state').getByRole('button', { name: 'New round…' }).click();
    const form = lab.getByRole('form', { name: 'New annotation round' });
    await form.waitFor(LONG);
    await form.getByLabel('Dataset', { exact: true }).selectOption('cmd-demo');
    await form.getByLabel('Records', { exact: true }).fill('2');
    await form.getByLabel('Annotators', { exact: true }).fill('cy, di');
    await form.getByLabel('Annotators per record').fill('2');
    await form.getByLabel('Seed', { exact: true }).fill('5');
    await shot(lab, 'new-round');
    await form.getByRole('button', { name: 'Create round' }).click();
    const panel = lab.getByTestId('invites-panel');
    await panel.getByRole('textbox', { name: 'Link for cy' }).waitFor(LONG);
    const links = {
      cy: await panel.getByRole('textbox', { name: 'Link for cy' }).inputValue(),
      di: await panel.getByRole('textbox', { name: 'Link for di' }).inputValue(),
    };
    const { rounds } = await labCall(served, 'rounds.list', {});
    expect(rounds.length).toBe(1);
    const roundId = rounds[0].id as number;
    expect(rounds[0]).toMatchObject({ dataset: 'cmd-demo', records: 2, perRecord: 2 });

    // The dataset's records as stored, to find the round's by text.
    const all = await labCall(served, 'datasets.records', { dataset: 'cmd-demo', filter: {}, limit: 2000 });
    let tieText = '';
    let otherText = '';
    for (const who of ['cy', 'di'] as const) {
      const page = await openLink(links[who]);
      await page.getByRole('heading', { name: 'Content warning' }).waitFor(LONG);
      await page.keyboard.press('Enter');
      // Both records' texts first (each annotator has both, in their own order): the tie is on the
      // one that sorts first.
      const texts: string[] = [];
      for (let i = 0; i < 2; i++) {
        await page.getByRole('region', { name: `Item ${i + 1} of 2` }).waitFor(LONG);
        texts.push((await page.getByTestId('record-text').textContent()) ?? '');
        if (i === 0) await page.keyboard.press('ArrowRight');
      }
      [tieText, otherText] = [...texts].sort((a, b) => a.localeCompare(b)) as [string, string];
      await page.keyboard.press('ArrowLeft');
      for (let i = 0; i < 2; i++) {
        const region = page.getByRole('region', { name: `Item ${i + 1} of 2` });
        await region.waitFor(LONG);
        const text = (await page.getByTestId('record-text').textContent()) ?? '';
        // Agreed everywhere except Toxicity on the tie record: cy "No", di "High".
        const labels: Record<Category, string> = {
          bias: 'No',
          toxicity: text === tieText && who === 'di' ? 'High' : 'No',
          sentiment: 'Neutral',
          harm: 'Low',
        };
        await region.focus();
        for (const c of CATEGORIES)
          await page.keyboard.press(String((LABEL_VALUES[c] as readonly string[]).indexOf(labels[c]) + 1));
        for (const c of CATEGORIES)
          expect(await radio(page, c[0]!.toUpperCase() + c.slice(1), labels[c]).isChecked(), `${who} ${c}`).toBe(true);
        if (i === 0) await page.keyboard.press('ArrowRight');
      }
      await page
        .getByTestId('save-state')
        .filter({ hasText: /^Saved$/ })
        .waitFor(LONG);
      expect(await textOf(page.getByTestId('progress'))).toBe('2 of 2 done');
      await shot(page, `annotator-${who}`);
      await page.getByRole('button', { name: 'Submit labels' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Submit', exact: true }).click();
      await page.getByRole('heading', { name: 'Thank you' }).waitFor(LONG);
    }
    const tied = all.rows.find((r: { text: string }) => r.text === tieText);
    expect(tied, tieText).toBeDefined();
    // The expert picks the tied value that differs from the stored one, so writing makes an edit.
    const pick = tied.labels.toxicity === 'High' ? 'No' : 'High';

    // The lab: the queue's tab counts the tie (after events, or a reload), and shows that record.
    const queueTab = lab.getByRole('tab', { name: 'Adjudication (1)' });
    await eventually('the round’s adjudication tab', queueTab, async () => {
      await nav('People').click();
      await lab.getByTestId('round-view').waitFor(LONG);
    });
    await queueTab.click();
    const card = lab.getByTestId('adjudication-item');
    await card.waitFor(LONG);
    expect(await card.count()).toBe(1);
    await card.getByRole('heading', { name: `Record #${tied.id}` }).waitFor(LONG);
    await card
      .getByRole('group', { name: /^Toxicity/ })
      .getByRole('radio', { name: pick, exact: true })
      .check();
    await lab.getByRole('textbox', { name: 'Your name (the expert)' }).fill(EXPERT);
    await card.getByRole('button', { name: 'Save adjudication' }).click();
    await card
      .getByRole('status')
      .filter({ hasText: `adjudicated by ${EXPERT}` })
      .waitFor(LONG);
    await shot(lab, 'adjudicated');

    await lab.getByRole('button', { name: 'Write gold labels to the dataset' }).click();
    const confirm = lab.getByRole('dialog', { name: 'Write gold labels to the dataset?' });
    await confirm.waitFor(LONG);
    expect(await confirm.getByRole('textbox', { name: 'Your name (the expert)' }).inputValue()).toBe(EXPERT);
    await confirm.getByRole('button', { name: 'Write gold labels', exact: true }).click();
    try {
      await confirm.waitFor({ state: 'hidden', ...LONG });
    } catch (err) {
      await shot(lab, 'gold-refused');
      throw new Error(`the dialog stayed: ${await textOf(confirm)}`, { cause: err });
    }
    const done = lab.getByRole('status').filter({ hasText: 'Changed the labels of' });
    await done.waitFor(LONG);
    // Only records whose labels change are written (and counted): the tie's always does.
    const agreed = all.rows.find((r: { text: string }) => r.text === otherText);
    expect(agreed, otherText).toBeDefined();
    const agreedGold: Record<Category, string> = { bias: 'No', toxicity: 'No', sentiment: 'Neutral', harm: 'Low' };
    const agreedDiffs = CATEGORIES.filter((c) => agreed.labels[c] !== agreedGold[c]).length;
    const tiedDiffs = CATEGORIES.filter((c) => tied.labels[c] !== { ...agreedGold, toxicity: pick }[c]).length;
    const m = /^Changed the labels of (\d+) records? in “cmd-demo” \((\d+) label edits?\)\./.exec(await textOf(done));
    expect(m, await textOf(done)).not.toBeNull();
    expect(Number(m![1])).toBe(agreedDiffs > 0 ? 2 : 1);
    expect(Number(m![2])).toBeGreaterThanOrEqual(agreedDiffs + tiedDiffs);
    await shot(lab, 'gold-written');

    const status = await labCall(served, 'rounds.status', { id: roundId });
    expect(status.gold).toMatchObject({ agreed: 1, adjudicated: 1, queued: 0 });
    expect(status.round.appliedAt).not.toBeNull();
    expect((await labCall(served, 'datasets.record', { id: agreed.id })).record.labels).toEqual(agreedGold);
    const got = await labCall(served, 'datasets.record', { id: tied.id });
    expect(got.record.labels).toEqual({ ...agreedGold, toxicity: pick });
    const edit = got.edits.find(
      (e: { field: string; after: unknown }) => e.field.endsWith('toxicity') && e.after === pick,
    );
    expect(edit, 'the toxicity edit').toBeDefined();
    expect(edit).toMatchObject({ editor: EXPERT, before: tied.labels.toxicity });
  });

  test('no page error, and every view refreshed by itself', () => {
    expect(pageErrors).toEqual([]);
    expect(soft).toEqual([]);
  });
});
