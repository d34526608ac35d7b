// The Evaluate area end to end: the real `srlab serve` (built CLI) in a temporary data home with the
// tiny GGUF as generator and an embedded scorer trained by `srlab scorers train` on the demo CMD
// dataset, driven by headless Chromium. A real small evaluation runs (3 items of the test split):
// the form shows evaluation.plan, Start runs it, the results table's numbers equal direct counts
// of the stored item scores, reference rows toggle, provenance opens on click, LaTeX downloads,
// the item browser keeps texts behind the content warning, and Compare lists the rows with their
// change against the baseline. Nothing is mocked.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers';
import {
  hasChromium,
  homeWithTinyModelAndScorer,
  launchChromium,
  RESULTS_DIR,
  startServe,
  stopServe,
  textOf,
  type Served,
} from './harness';

const SCORER = 'cmd-demo-annotation';
const SCORER_ID = `embedded:${SCORER}`;

describe.skipIf(!hasChromium && !process.env.CI)('Evaluate in serve mode (headless Chromium)', () => {
  let served: Served | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  const dir = tempDir('srlab-e2e-eval-');
  const home = path.join(dir, 'data');
  let evaluationId = 0;

  const shot = (name: string) =>
    page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`), fullPage: false }).catch(() => undefined);

  /** A call with the server's token, as a second client would make it (to check the UI against). */
  async function call<T>(method: string, input: unknown): Promise<T> {
    const r = await fetch(`${served!.origin}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${served!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const body = (await r.json()) as { ok: boolean; result: T; error?: unknown };
    if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body)}`);
    return body.result;
  }

  beforeAll(async () => {
    // The demo CMD dataset comes with a new data home: split it, then train the embedded scorer on it.
    homeWithTinyModelAndScorer(home, dir, SCORER);
    served = await startServe(home);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 960 }, acceptDownloads: true });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopServe(served?.child);
  });

  test('the Evaluate area starts empty and offers a new evaluation', async () => {
    await page.goto(served!.url);
    await page.getByRole('link', { name: 'Evaluation' }).click();
    expect(new URL(page.url()).hash).toBe('#/evaluate');
    await page.getByRole('heading', { name: 'No evaluation yet' }).waitFor();
    await shot('evaluate-empty');
  });

  test('the form names what is missing, then shows the plan: items to generate and scores to compute', async () => {
    await page.locator('.empty-state').getByRole('button', { name: 'New evaluation…' }).click();
    const form = page.getByRole('form', { name: 'New evaluation' });
    await form.getByTestId('plan-problems').filter({ hasText: 'Add at least one test set.' }).waitFor();

    // Test set: the demo dataset's test split, first 3 records.
    await form.getByLabel('Dataset', { exact: true }).selectOption('cmd-demo');
    await form.getByRole('button', { name: 'Add test set' }).click();
    await form.getByLabel('Limit of test set 1').fill('3');
    // Generator: the tiny model.
    await form.getByLabel('Model', { exact: true }).selectOption('tiny');
    await form.getByRole('button', { name: 'Add generator' }).click();
    // Scorer: the embedded classifier trained above.
    await form.getByRole('checkbox', { name: new RegExp(SCORER) }).check();
    await form.locator('input[name="maxTokens"]').fill('8');

    const headline = form.getByTestId('plan-headline');
    await headline.filter({ hasText: '3 items to generate' }).waitFor();
    expect(await textOf(headline)).toContain('6 scores to compute');
    // One scoring row for the inputs ("initial") and one for the generator's outputs.
    const scoring = form.getByTestId('plan-scoring');
    expect(await scoring.count()).toBe(2);
    expect(await textOf(scoring.nth(0))).toContain('initial');
    expect(await textOf(scoring.nth(1))).toContain('tiny');
    await shot('evaluate-plan');
  });

  test('Start runs the evaluation; progress shows every stage and it ends on the results', async () => {
    await page.getByRole('button', { name: 'Start evaluation' }).click();
    await page.getByRole('tab', { name: 'Progress' }).waitFor();
    // Finished: the pill says so and the view moves to the results (or the user opens them).
    await page.getByTestId('evaluation-state').filter({ hasText: 'succeeded' }).waitFor({ timeout: 90_000 });
    const { evaluations } = await call<{ evaluations: { id: number; state: string; stages: unknown[] }[] }>(
      'evaluation.list',
      {},
    );
    expect(evaluations).toHaveLength(1);
    evaluationId = evaluations[0]!.id;
    await page.getByRole('tab', { name: 'Progress' }).click();
    expect(await page.getByTestId('evaluation-stage').count()).toBe(evaluations[0]!.stages.length);
    expect(await textOf(page.getByTestId('evaluation-count'))).toMatch(/ of .* steps · 100%/);
    await page.getByRole('tab', { name: 'Results' }).click();
    await page.getByTestId('eval-table-table5').waitFor();
    await shot('evaluate-results');
  });

  test('a number in Table 5 equals a direct count of the stored item scores', async () => {
    const table = page.getByTestId('eval-table-table5');
    for (const row of ['initial', 'tiny']) {
      const { items, total } = await call<{
        items: { scores: { scorer: string; verdict: boolean | null }[] }[];
        total: number;
      }>('evaluation.items', { evaluation: evaluationId, generator: row, limit: 1000 });
      expect(total).toBe(3);
      const positive = items.filter((i) => i.scores.find((s) => s.scorer === SCORER_ID)?.verdict === true).length;
      const shown = await textOf(
        table.locator('tbody tr', { has: page.locator(`th:text-is("${row}")`) }).locator('td button'),
      );
      expect(Number(shown), row).toBeCloseTo((100 * positive) / total, 1);
    }
    expect(await textOf(table.locator('thead'))).toContain('% unsafe ↓');
  });

  test('reference rows come and go with the toggle; a click shows the cell’s provenance', async () => {
    const table = page.getByTestId('eval-table-table5');
    expect(await table.locator('tr.reference-row').count()).toBe(0);
    await page.getByRole('checkbox', { name: /paper’s numbers/ }).check();
    await table.locator('tr.reference-row', { hasText: 'SR_LLM' }).waitFor();
    expect(await textOf(table.locator('tr.reference-row', { hasText: 'SR_LLM' }))).toContain('3.48');
    await page.getByRole('checkbox', { name: /paper’s numbers/ }).uncheck();
    await table.locator('tr.reference-row').first().waitFor({ state: 'detached' });

    const tinyCell = table.locator('tbody tr', { has: page.locator('th:text-is("tiny")') }).locator('td button');
    expect(await tinyCell.getAttribute('title')).toContain(`Scorer: ${SCORER_ID}`);
    await tinyCell.click();
    const panel = page.getByTestId('provenance-panel');
    await panel.waitFor();
    const { runs } = await call<{ runs: { id: number; provenance: { modelSha256: string } }[] }>('runs.list', {});
    expect(runs).toHaveLength(1);
    const text = await textOf(panel);
    expect(text).toContain(`#${runs[0]!.id}`);
    expect(text).toContain(runs[0]!.provenance.modelSha256);
    await shot('evaluate-provenance');
    await panel.getByRole('button', { name: 'Close provenance' }).click();
  });

  test('the tables download as LaTeX (booktabs), with the rows shown', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'LaTeX', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.tex$/);
    const file = path.join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const tex = fs.readFileSync(file, 'utf8');
    expect(tex).toContain('\\toprule');
    expect(tex).toMatch(/\ntiny & /);
    expect(tex).toMatch(/\ninitial & /);
  });

  test('items stay hidden behind the content warning, then show as text; filters narrow them', async () => {
    await page.getByRole('tab', { name: 'Items' }).click();
    const items = page.getByTestId('eval-item');
    await page.getByTestId('eval-items-count').filter({ hasText: 'of 6' }).waitFor();
    const { items: stored } = await call<{ items: { input: string }[] }>('evaluation.items', {
      evaluation: evaluationId,
      generator: 'initial',
      limit: 1,
    });
    const firstInput = stored[0]!.input;
    // Nothing of the text is in the page before the warning is acknowledged.
    expect(await page.content()).not.toContain(firstInput.slice(0, 40));
    expect(await items.count()).toBe(6);
    await page.getByRole('region', { name: 'Content warning' }).getByRole('button', { name: 'Show text' }).click();
    await page
      .locator('.eval-text', { hasText: firstInput.slice(0, 40) })
      .first()
      .waitFor();

    const flagged = await call<{ total: number }>('evaluation.items', { evaluation: evaluationId, filter: 'positive' });
    await page.getByRole('radio', { name: 'Flagged' }).click();
    await page
      .getByTestId('eval-items-count')
      .filter({ hasText: flagged.total ? `of ${flagged.total}` : 'No items' })
      .waitFor();
    expect(await items.count()).toBe(flagged.total);
    await page.getByRole('radio', { name: 'All' }).click();
    await page.locator('select[name="generator"]').selectOption('tiny');
    await page.getByTestId('eval-items-count').filter({ hasText: 'of 3' }).waitFor();
    await shot('evaluate-items');
  });

  test('Compare: the leaderboard has every row with its change against the baseline, sorts, exports CSV', async () => {
    await page.getByRole('button', { name: 'Compare (leaderboard)' }).click();
    const rows = page.getByTestId('leaderboard-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    const baselineRow = rows.filter({ hasText: 'baseline' });
    expect(await textOf(baselineRow)).toContain('initial');
    const tinyRow = rows.filter({ has: page.locator('td:text-is("tiny")') });
    expect(await textOf(tinyRow)).toMatch(/pp|–/);

    // Sorted by % positive (ascending) to begin with; a click on its header flips it to descending.
    const header = page.getByRole('columnheader', { name: /% positive/ });
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    const values = (await page.locator('[data-testid="leaderboard-row"] td:nth-child(5)').allTextContents()).map(
      Number,
    );
    expect(values).toEqual([...values].sort((a, b) => b - a));

    // Filter to the baseline row (the evaluation's name holds "tiny", so "initial" is the one
    // text that picks a single row), then export: the CSV has exactly the rows shown.
    await page.locator('input[name="find"]').fill('initial');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="leaderboard-row"]').length === 1);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Export CSV/ }).click(),
    ]);
    const file = path.join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const csv = fs.readFileSync(file, 'utf8').trim().split('\r\n');
    expect(csv[0]).toContain('text=initial');
    expect(csv.slice(2).map((l) => l.split(',')[2])).toEqual(['initial']);
    await shot('evaluate-compare');
    expect(pageErrors).toEqual([]);
  });
  test('a running evaluation cancels, then resumes into the same generation run and finishes', async () => {
    await page
      .getByRole('complementary', { name: 'Evaluations' })
      .getByRole('button', { name: 'New evaluation…' })
      .click();
    const form = page.getByRole('form', { name: 'New evaluation' });
    await form.getByLabel('Dataset', { exact: true }).selectOption('cmd-demo');
    await form.getByRole('button', { name: 'Add test set' }).click();
    await form.getByLabel('Limit of test set 1').fill('24');
    await form.getByLabel('Model', { exact: true }).selectOption('tiny');
    await form.getByRole('button', { name: 'Add generator' }).click();
    await form.getByRole('checkbox', { name: new RegExp(SCORER) }).check();
    // Longer outputs than before: a new generation run, slow enough to cancel midway.
    await form.locator('input[name="maxTokens"]').fill('192');
    await form.getByTestId('plan-headline').filter({ hasText: '24 items to generate' }).waitFor();
    await page.getByRole('button', { name: 'Start evaluation' }).click();
    await page.getByTestId('evaluation-state').filter({ hasText: 'running' }).waitFor();

    type Summary = {
      id: number;
      state: string;
      stages: { kind: string; done: number; total: number; runId: number | null }[];
    };
    const { evaluations } = await call<{ evaluations: Summary[] }>('evaluation.list', {});
    const id = Math.max(...evaluations.map((e) => e.id));
    const generation = async () =>
      (await call<{ evaluation: Summary }>('evaluation.get', { evaluation: id })).evaluation.stages.find(
        (st) => st.kind === 'generate',
      )!;
    // Cancel once some items are generated, not all.
    for (let i = 0; i < 600 && (await generation()).done < 2; i++) await new Promise((r) => setTimeout(r, 50));
    await page.getByRole('button', { name: 'Cancel evaluation' }).click();
    await page.getByTestId('evaluation-state').filter({ hasText: 'cancelled' }).waitFor();
    const stopped = await generation();
    expect(stopped.done).toBeGreaterThan(0);
    expect(stopped.done).toBeLessThan(24);
    await shot('evaluate-cancelled');

    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByTestId('evaluation-state').filter({ hasText: 'succeeded' }).waitFor({ timeout: 90_000 });
    const finished = await generation();
    expect(finished.done).toBe(24);
    // The same generation run went on: finished items were kept, not generated again.
    expect(finished.runId).toBe(stopped.runId);
    const { run } = await call<{ run: { total: number; done: number } }>('runs.get', { id: finished.runId });
    expect(run).toMatchObject({ total: 24, done: 24 });
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
