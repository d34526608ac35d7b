// The Datasets area end to end: the real `srlab serve` (built CLI) in a temporary data home,
// driven by headless Chromium through playwright-core. Nothing is mocked.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'csv-parse/sync';
import { hasSharedData, sharedData, tempDir } from '../helpers';
import { hasChromium, launchChromium, RESULTS_DIR, startServe, stopServe, textOf, type Served } from './harness';

/** Three good rows in the authors' released CSV layout, and one without its text (rejected). */
const SAMPLE_CSV = [
  'biased_text,dimension,biased_words,aspect,label,debiased_text',
  '"Older staff never manage to learn new software.",ageism,[\'never manage\'],Ageism,Slightly Biased,"Some staff take longer to learn new software."',
  '"People from that town are all lazy.",bias,[\'all lazy\'],Geographic location,Highly Biased,"People from that town have many different work habits."',
  '"Engineers like him cannot write a friendly email.",bias,[\'cannot\'],Occupation,Slightly Biased,"Some engineers find friendly emails harder to write."',
  '"",bias,[],Occupation,Slightly Biased,"A row without its text."',
  '',
].join('\n');

const TRAIN_500 = ['srllm', 'train_500.csv'] as const;

describe.skipIf(!hasChromium && !process.env.CI)('Datasets area in serve mode (headless Chromium)', () => {
  let served: Served | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  const home = tempDir('srlab-e2e-');
  const csvPath = path.join(home, 'e2e-sample.csv');

  beforeAll(async () => {
    fs.writeFileSync(csvPath, SAMPLE_CSV);
    served = await startServe(path.join(home, 'data'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 60_000);

  afterAll(async () => {
    if (page) {
      await page.screenshot({ path: path.join(RESULTS_DIR, 'datasets-e2e.png') }).catch(() => undefined);
    }
    await browser?.close();
    await stopServe(served?.child);
  });

  test('an API call without the token is refused with 401; with it, answered', async () => {
    const call = (headers: Record<string, string>) =>
      fetch(`${served!.origin}/api/datasets.list`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{}',
      });
    const refused = await call({});
    expect(refused.status).toBe(401);
    const allowed = await call({ authorization: `Bearer ${served!.token}` });
    expect(allowed.status).toBe(200);
  });

  test('opens on the Datasets area with the demo dataset selected', async () => {
    await page.goto(served!.url);
    await page.getByRole('link', { name: 'Datasets' }).waitFor();
    expect(await page.getByRole('link', { name: 'Datasets' }).getAttribute('aria-current')).toBe('page');
    const demo = page.locator('.dataset-item', { hasText: 'cmd-demo' });
    await demo.waitFor();
    expect(await demo.getAttribute('aria-current')).toBe('true');
    expect(await textOf(page.locator('.dataset-title h1'))).toBe('cmd-demo');
  });

  test('texts stay out of the page until the content warning is acknowledged', async () => {
    await page.locator('#record-row-0:not(.pending)').waitFor();
    expect(await page.getByRole('region', { name: 'Content warning' }).isVisible()).toBe(true);
    expect(await page.locator('.records-table .text-preview').count()).toBe(0);
    expect(await page.getByRole('img', { name: 'Text hidden (content warning)' }).count()).toBeGreaterThan(5);

    await page.getByRole('button', { name: 'Show text' }).click();
    await page.locator('.records-table .text-preview').first().waitFor();
    expect(await page.getByRole('region', { name: 'Content warning' }).count()).toBe(0);
    expect((await textOf(page.locator('#record-row-0 .text-preview'))).length).toBeGreaterThan(0);
  });

  test('the table renders only a window of rows and fetches more as it scrolls', async () => {
    const total = Number(await page.getByRole('grid', { name: 'Records' }).getAttribute('aria-rowcount')) - 1;
    expect(total).toBeGreaterThan(50);
    const rendered = await page.locator('.records-window [role="row"]').count();
    expect(rendered).toBeLessThan(total);
    await page.locator('#records-grid').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.locator(`#record-row-${total - 1}:not(.pending)`).waitFor();
  });

  test('arrow keys move the selection, Enter opens the record and Esc closes it', async () => {
    const grid = page.locator('#records-grid');
    await grid.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#record-row-1').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    const panel = page.locator('.record-panel');
    await panel.locator('.full-text').waitFor();
    expect(await panel.getByText('Paper’s rule').count()).toBe(1);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  test('imports a srllm-csv file through the import dialog and shows its report and rows', async () => {
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a dataset' });
    await dialog.locator('#import-file').setInputFiles(csvPath);
    expect(await dialog.locator('input[name="dataset"]').inputValue()).toBe('e2e-sample');
    await dialog.locator('select[name="format"]').selectOption('srllm-csv');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();

    const counts = dialog.locator('.report-counts');
    await counts.waitFor({ timeout: 30_000 });
    expect(await textOf(counts.locator('.count', { hasText: 'Imported' }).locator('dd'))).toBe('3');
    expect(await textOf(counts.locator('.count', { hasText: 'Rejected' }).locator('dd'))).toBe('1');
    expect(await dialog.locator('.data-table tbody tr').count()).toBeGreaterThanOrEqual(1);

    await dialog.getByRole('button', { name: 'Show records' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.dataset-title h1', { hasText: 'e2e-sample' }).waitFor();
    expect(await page.getByRole('grid', { name: 'Records' }).getAttribute('aria-rowcount')).toBe('4');
    await page.locator('.records-table .text-preview', { hasText: 'Older staff never manage' }).waitFor();
  });

  test('Statistics shows bar charts of the labels and histograms of text length', async () => {
    await page.getByRole('tab', { name: 'Statistics' }).click();
    await page.locator('.stats-section svg.chart .marks rect').first().waitFor({ state: 'attached' });
    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBeGreaterThanOrEqual(8);
    const biasChart = page
      .locator('figure', { has: page.locator('figcaption', { hasText: /^Bias$/ }) })
      .locator('svg.chart');
    expect(await biasChart.locator('.marks rect').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByRole('img', { name: /Histogram of text length in characters/ }).count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  // The authors' released CSV's own fields (issue 9, item 5): filtered, charted, stratified by.
  describe.skipIf(!hasSharedData(...TRAIN_500))("the authors' train_500.csv", () => {
    const rows = () =>
      parse(fs.readFileSync(sharedData(...TRAIN_500)), { columns: true, bom: true }) as Record<string, string>[];

    test('imports through the dialog (format detected) and filters the records by its dimension column', async () => {
      await page.getByRole('button', { name: 'Import…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Import a dataset' });
      await dialog.locator('#import-file').setInputFiles(sharedData(...TRAIN_500));
      expect(await dialog.locator('input[name="dataset"]').inputValue()).toBe('train_500');
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      const counts = dialog.locator('.report-counts');
      await counts.waitFor({ timeout: 30_000 });
      expect(await textOf(counts.locator('.count', { hasText: 'Imported' }).locator('dd'))).toBe(String(rows().length));
      await dialog.getByRole('button', { name: 'Show records' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.locator('.dataset-title h1', { hasText: 'train_500' }).waitFor();

      const matchCount = page.locator('.match-count');
      await page.locator('.match-count', { hasText: `${rows().length} records` }).waitFor();
      const columns = page.getByRole('group', { name: 'Source columns' });
      const ageism = columns
        .getByRole('group', { name: 'dimension' })
        .getByRole('button', { name: 'ageism', exact: true });
      await ageism.click();
      const expected = rows().filter((r) => r.dimension === 'ageism').length;
      await page.locator('.match-count', { hasText: `${expected} records` }).waitFor();
      expect(await ageism.getAttribute('aria-pressed')).toBe('true');
      expect(await page.getByRole('grid', { name: 'Records' }).getAttribute('aria-rowcount')).toBe(
        String(expected + 1),
      );
      expect(await textOf(matchCount)).toBe(`${expected} records`);
      // Columns with one value (Done (x)), free text (comments) or numbers (text_length) are no filters.
      expect(
        await columns.getByRole('group').evaluateAll((gs) => gs.map((g) => g.querySelector('legend')?.textContent)),
      ).toEqual(['dimension', 'label']);
    });

    test('Statistics charts the label column and says the absent labels are not in this dataset', async () => {
      await page.getByRole('tab', { name: 'Statistics' }).click();
      const label = page.locator('figure[data-field="extra.label"]');
      await label.locator('svg.chart .marks rect').first().waitFor({ state: 'attached' });
      expect(await label.locator('svg.chart .marks rect').count()).toBe(2);
      const description = await label.locator('svg.chart desc').textContent();
      const grades = rows().reduce<Record<string, number>>(
        (m, r) => ({ ...m, [r.label!]: (m[r.label!] ?? 0) + 1 }),
        {},
      );
      expect(description).toBe(
        Object.entries(grades)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k}: ${v}`)
          .join('; '),
      );
      // Labels no record has are named once instead of each drawn as one "(missing)" bar.
      expect(await textOf(page.locator('.absent-labels'))).toBe(
        `Not in this dataset (none of its ${rows().length} records has them): Toxicity, Sentiment, Harm, Annotation (gold, else rule).`,
      );
      expect(await page.locator('figure', { has: page.locator('figcaption', { hasText: /^Toxicity$/ }) }).count()).toBe(
        0,
      );
      expect(await page.locator('figure[data-field="extra.dimension"] svg.chart').count()).toBe(1);
    });

    test('the split dialog offers the label as the default, splits by it and names the field', async () => {
      await page.getByRole('button', { name: 'Split…' }).click();
      const dialog = page.getByRole('dialog', { name: /^Split/ });
      const select = dialog.locator('select[name="stratifyBy"]');
      await dialog.locator('select[name="stratifyBy"] option[value="extra.label"]').waitFor({ state: 'attached' });
      expect(await textOf(select.locator('option').first())).toBe('Default: label (column of the source)');
      expect(await select.locator('option[value="toxicity"]').isDisabled()).toBe(true);
      await select.selectOption('extra.label');
      await dialog.getByRole('button', { name: 'Split', exact: true }).click();
      const named = dialog.locator('.split-stratified-by');
      await named.waitFor({ timeout: 30_000 });
      expect(await textOf(named)).toBe('Stratified by label (extra.label)');
      expect(await textOf(dialog.locator('thead th').first())).toBe('label');
      expect(await dialog.locator('tbody th[scope="row"]').allTextContents()).toEqual([
        'Highly Biased',
        'Slightly Biased',
        'All',
      ]);
      await dialog.locator('.dialog-actions').getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
      // Statistics now charts the label per split: 2 grades × train/dev/test.
      await page.locator('figure[data-field="extra.label"] svg.chart .legend').waitFor();
      expect(await page.locator('figure[data-field="extra.label"] svg.chart .marks rect').count()).toBe(6);
      expect(pageErrors).toEqual([]);
    });
  });
});
