// Opening serve mode without the token, in headless Chromium against the real `srlab serve`: the
// sign-in page explains where the token comes from, takes it (or the whole printed URL) in a
// form, and lands in the app; a wrong token keeps the page up with a message. Its CSP blocks
// nothing it needs (no console CSP reports).
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers';
import { hasChromium, launchChromium, RESULTS_DIR, startServe, stopServe, type Served } from './harness';

describe.skipIf(!hasChromium && !process.env.CI)('serve mode sign-in page (Chromium)', () => {
  let served: Served | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    served = await startServe(tempDir('srlab-e2e-token-'));
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stopServe(served?.child);
  });

  // The cookie's name carries the server's port (cookies are not port-scoped).
  const cookieName = () => `srlab_token_${new URL(served!.origin).port}`;

  async function freshPage(): Promise<Page> {
    await context?.close();
    context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    return page;
  }

  test('the root without the token shows the page; the token typed into it lands in the app', async () => {
    await freshPage();
    const res = await page.goto(`${served!.origin}/`);
    expect(res!.status()).toBe(401);
    await page.getByRole('heading', { name: 'srlab needs its access token' }).waitFor();
    expect(await page.getByText('srlab serve', { exact: false }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'serve-token-page.png') });

    // A wrong token of the right length: the page again, saying so, and no way in.
    const wrong = served!.token.slice(0, -1) + (served!.token.endsWith('A') ? 'B' : 'A');
    await page.getByLabel('Token or URL').fill(wrong);
    await page.getByRole('button', { name: 'Open srlab' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/not the one this server printed/);
    expect((await context.cookies()).filter((c) => c.name === cookieName())).toEqual([]);

    await page.getByLabel('Token or URL').fill(served!.token);
    await page.getByRole('button', { name: 'Open srlab' }).click();
    await page.getByRole('link', { name: 'Datasets' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(page.url()).not.toContain('token');
    const cookie = (await context.cookies()).find((c) => c.name === cookieName())!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // The app's own API calls now pass (the demo dataset is listed).
    await page.getByText('cmd-demo').first().waitFor();
    await page.screenshot({ path: path.join(RESULTS_DIR, 'serve-token-signed-in.png') });
  });

  test('pasting the whole printed URL works too, returning to the page that was opened', async () => {
    await freshPage();
    expect((await page.goto(`${served!.origin}/models`))!.status()).toBe(401);
    await page.getByLabel('Token or URL').fill(`  ${served!.url}  `);
    await page.getByRole('button', { name: 'Open srlab' }).click();
    await page.getByRole('link', { name: 'Models' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/models');
    expect((await context.cookies()).some((c) => c.name === cookieName())).toBe(true);
  });

  test("an evaluator link opens the evaluator's own page, never the lab's code", async () => {
    const made = await fetch(`${served!.origin}/api/access.createEvaluatorToken`, {
      method: 'POST',
      headers: { authorization: `Bearer ${served!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ evaluator: 'rater-1', session: 'pilot study' }),
    });
    const { result } = (await made.json()) as { result: { path: string } };
    await freshPage();
    const loaded: string[] = [];
    page.on('request', (r) => loaded.push(new URL(r.url()).pathname));
    await page.goto(`${served!.origin}${result.path}`);
    await page.getByText('Your assignments will appear here when the session starts.').waitFor();
    expect(await page.getByTestId('evaluator').textContent()).toBe('rater-1');
    expect(await page.getByTestId('session').textContent()).toBe('pilot study');
    expect(page.url()).not.toContain('token');
    // Only the evaluator bundle (and the shared React runtime) loaded; no lab script or call.
    const scripts = loaded.filter((p) => p.endsWith('.js'));
    expect(scripts.some((p) => /\/assets\/evaluator-/.test(p))).toBe(true);
    expect(scripts.filter((p) => /\/assets\/index-/.test(p))).toEqual([]);
    expect(loaded.filter((p) => p.startsWith('/api/'))).toEqual(['/api/access.whoami']);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'serve-evaluator-page.png') });
  });

  test('the page raised no CSP violation or other console error', () => {
    // The 401 answers themselves are logged by Chromium as failed loads: expected, and all there is.
    const other = consoleErrors.filter((m) => !/status of 401 \(Unauthorized\)/.test(m));
    expect(consoleErrors.length).toBeGreaterThan(0);
    expect(other).toEqual([]);
  });
});
