// The records table at real window widths, and the first-run checklist, in headless Chromium
// against the real `srlab serve` (built CLI) in a temporary data home. Nothing is mocked.
// - From 1280 px every column fits; narrower, the table says more columns are to the right and
//   its button scrolls there.
// - The first column is the record id, and the row opens the record of that id ("Record <id>"),
//   also in a second dataset whose ids start after the demo's 240.
// - The content hash in the record panel is labelled.
// - The getting-started checklist ticks steps from real state, links to the areas, shows
//   evaluation linked like the other steps, and stays dismissed after a reload.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers';
import { hasChromium, launchChromium, RESULTS_DIR, startServe, stopServe, textOf, type Served } from './harness';

const OWN_CSV = [
  'text,bias,toxicity,sentiment,harm',
  '"A first sentence of our own.",No,No,Neutral,Low',
  '"A second sentence of our own.",Yes,Mild,Negative,Medium',
  '"A third sentence of our own.",No,No,Positive,Low',
  '"A fourth sentence of our own.",No,No,Neutral,Low',
  '',
].join('\n');

describe.skipIf(!hasChromium && !process.env.CI)('Records table and first-run checklist (Chromium)', () => {
  let served: Served | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  async function api<T>(method: string, body: unknown): Promise<T> {
    const res = await fetch(`${served!.origin}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${served!.token}` },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { ok: boolean; result: T };
    if (!json.ok) throw new Error(`${method}: ${JSON.stringify(json)}`);
    return json.result;
  }

  /** Import OWN_CSV as dataset `name` through /api/uploads, as the browser does, and wait for the job. */
  async function importOwn(name: string): Promise<void> {
    const up = await fetch(`${served!.origin}/api/uploads?name=own.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${served!.token}`, 'content-type': 'application/octet-stream' },
      body: OWN_CSV,
    });
    const { result } = (await up.json()) as { result: { uploadId: string } };
    const { job } = await api<{ job: { id: number } }>('datasets.import', {
      dataset: name,
      source: { kind: 'upload', uploadId: result.uploadId },
      format: 'csv',
      mapping: { text: 'text', bias: 'bias', toxicity: 'toxicity', sentiment: 'sentiment', harm: 'harm' },
    });
    for (let i = 0; i < 100; i++) {
      const { job: now } = await api<{ job: { state: string; error: string | null } }>('jobs.get', { id: job.id });
      if (now.state === 'succeeded') return;
      if (now.state !== 'queued' && now.state !== 'running') throw new Error(`import ${now.state}: ${now.error}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('import did not finish in 10 s');
  }

  /** Column headers that end right of the grid's visible box (cut off), by name. */
  function cutOffHeaders(): Promise<string[]> {
    return page.locator('#records-grid').evaluate((grid) => {
      const right = grid.getBoundingClientRect().left + grid.clientLeft + grid.clientWidth;
      return [...grid.querySelectorAll('[role="columnheader"]')]
        .filter((h) => h.getBoundingClientRect().right > right + 0.5)
        .map((h) => h.textContent ?? '');
    });
  }

  beforeAll(async () => {
    served = await startServe(path.join(tempDir('srlab-e2e-records-'), 'data'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stopServe(served?.child);
  });

  test('a new data home shows the getting-started checklist with nothing done, evaluation a link like the rest', async () => {
    await page.goto(served!.url);
    const list = page.getByTestId('first-run');
    await list.waitFor({ timeout: 30_000 });
    expect(await textOf(list.locator('.first-run-count'))).toBe('0 of 6 done');
    expect(await list.locator('li.done').count()).toBe(0);
    const evaluate = list.locator('li[data-step="evaluate"]');
    expect(await textOf(evaluate)).not.toMatch(/coming/);
    expect(await evaluate.locator('a').count()).toBe(1);
    expect(await list.getByRole('link').count()).toBe(6);
  });

  test('at 1280 and 1440 px every column fits, with no "More columns" hint', async () => {
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 800 });
      await page.locator('#record-row-0:not(.pending)').waitFor();
      await page.waitForTimeout(100);
      expect(await page.locator('[role="columnheader"]').allTextContents()).toEqual([
        'ID',
        'Text',
        'Bias',
        'Toxicity',
        'Sentiment',
        'Harm',
        'Annotation',
        'Target',
        'Split',
      ]);
      expect(await cutOffHeaders(), `${width} px`).toEqual([]);
      expect(await page.locator('.more-columns').count()).toBe(0);
      expect(await page.locator('.records-frame').getAttribute('data-hidden-right')).toBe('false');
      await page.screenshot({ path: path.join(RESULTS_DIR, `records-table-${width}.png`) }).catch(() => undefined);
    }
  });

  test('narrower, the cut-off columns are signalled and "More columns" scrolls to them', async () => {
    await page.setViewportSize({ width: 1024, height: 800 });
    const more = page.getByRole('button', { name: 'More columns →' });
    await more.waitFor();
    expect(await page.locator('.records-frame').getAttribute('data-hidden-right')).toBe('true');
    expect(await cutOffHeaders()).toContain('Split');
    await more.click();
    await page.getByRole('button', { name: '← First columns' }).waitFor();
    await page.waitForFunction(() => document.querySelector('#records-grid')!.scrollLeft > 0);
    await page.waitForTimeout(600); // the smooth scroll settles
    expect(await cutOffHeaders()).toEqual([]);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'records-table-1024-scrolled.png') }).catch(() => undefined);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('the ID column and the record panel name the same record, also in a second dataset', async () => {
    await importOwn('own-sentences');
    await page.locator('.dataset-item', { hasText: 'own-sentences' }).click();
    await page.locator('.dataset-title h1', { hasText: 'own-sentences' }).waitFor();
    const first = page.locator('#record-row-0:not(.pending)');
    await first.waitFor();
    const id = await textOf(first.locator('[role="gridcell"]').first());
    // Ids run on from the demo's 240 records: a row position ("1") would not match the panel.
    expect(Number(id)).toBeGreaterThan(240);
    await first.click();
    const panel = page.locator('.record-panel');
    await panel.locator('.rule-list').waitFor();
    expect(await textOf(panel.locator('.panel-header h2'))).toBe(`Record ${id}`);
    expect(await textOf(page.locator('.table-status'))).toContain(`row 1 selected (record ${id})`);

    // The hash under Source columns says what it is.
    expect(await textOf(panel.getByTestId('content-hash'))).toMatch(
      /^Content hash \(finds duplicates on import\): [A-Za-z0-9_+/=-]{16}…$/,
    );
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  test('the checklist ticks import and split from real state, live, and its links open the areas', async () => {
    const list = page.getByTestId('first-run');
    // The import above is the user's own dataset: ticked without a reload (datasets-changed event).
    await list.locator('li.done[data-step="import"]').waitFor();
    expect(await list.locator('li.done[data-step="split"]').count()).toBe(0);
    await api('datasets.split', { dataset: 'own-sentences', seed: 42, ratios: [50, 25, 25] });
    await list.locator('li.done[data-step="split"]').waitFor();
    expect(await textOf(list.locator('.first-run-count'))).toBe('2 of 6 done');

    await list.getByRole('link', { name: 'Add a model' }).click();
    await page.waitForFunction(() => location.hash === '#/models');
    expect(await page.getByRole('link', { name: 'Models', exact: true }).getAttribute('aria-current')).toBe('page');
    await list.getByRole('link', { name: 'Fine-tune on your split' }).click();
    await page.waitForFunction(() => location.hash === '#/training');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'first-run-checklist.png') }).catch(() => undefined);
  });

  test('dismissed, the checklist stays hidden after a reload', async () => {
    await page.getByRole('button', { name: 'Dismiss the getting-started checklist' }).click();
    await page.getByTestId('first-run').waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('link', { name: 'Datasets', exact: true }).waitFor();
    await page.waitForTimeout(1000); // the list calls would have answered by now
    expect(await page.getByTestId('first-run').count()).toBe(0);
  });

  test('no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
