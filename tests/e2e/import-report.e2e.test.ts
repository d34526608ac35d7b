// The import report in the browser (issue 9): the rejects file is a download link (the server's
// path means nothing to a browser), and values kept but flagged are listed with their lines.
// The real `srlab serve` (built CLI) and headless Chromium; nothing is mocked.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers';
import { hasChromium, launchChromium, RESULTS_DIR, startServe, stopServe, textOf, type Served } from './harness';

const ROWS = [
  '{"Original Sentence": "A fine sentence about the weather.", "BIAS": "No", "TOXICITY": "Yes", "SENTIMENT": "Neutral", "HARM": "Med", "DEMOGRAPHIC TARGETING": "None", "Annotation": "Benign"}',
  '{"Original Sentence": "   ", "BIAS": "No"}',
];

describe.skipIf(!hasChromium && !process.env.CI)('the import report in serve mode (headless Chromium)', () => {
  let served: Served | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const home = tempDir('srlab-e2e-');
  const file = path.join(home, 'flagged.jsonl');

  beforeAll(async () => {
    fs.writeFileSync(file, ROWS.join('\n') + '\n');
    served = await startServe(path.join(home, 'data'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    if (page) await page.screenshot({ path: path.join(RESULTS_DIR, 'import-report-e2e.png') }).catch(() => undefined);
    await browser?.close();
    await stopServe(served?.child);
  });

  test('offers the rejects file as a download and lists the flagged value; no server path is shown', async () => {
    await page.goto(served!.url);
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a dataset' });
    await dialog.locator('#import-file').setInputFiles(file);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();

    const counts = dialog.locator('.report-counts');
    await counts.waitFor({ timeout: 30_000 });
    expect(await textOf(counts.locator('.count', { hasText: 'Imported' }).locator('dd'))).toBe('1');
    expect(await textOf(counts.locator('.count', { hasText: 'Rejected' }).locator('dd'))).toBe('1');
    expect(await textOf(counts.locator('.count', { hasText: 'Flagged' }).locator('dd'))).toBe('1');

    const flagged = dialog.locator('table', { has: page.locator('caption', { hasText: 'Kept but flagged' }) });
    expect(await textOf(flagged.locator('tbody tr').first())).toContain('TOXICITY');

    const link = dialog.getByRole('link', { name: /^download .*flagged\.jsonl$/ });
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(/^\/api\/rejects\/[^/]+flagged\.jsonl$/);
    // The link works with the session cookie the page holds: it gives the rejected row, byte for byte.
    const body = await page.evaluate(async (url) => (await fetch(url)).text(), href);
    expect(body).toBe(`${ROWS[1]}\n`);
    // The server's own path is not in the report.
    expect(await dialog.locator('code.path').count()).toBe(0);
    expect(await dialog.textContent()).not.toContain(path.join(home, 'data'));
  });
});
