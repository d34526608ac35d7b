// The Worker panel shows `worker setup`'s pip output live, in headless Chromium against the real
// `srlab serve`: a real setup (a real venv, a real pip) that cannot install because pip is given
// no package source, so it fails fast with pip's own ERROR lines. The log stays after the
// failure beside the error, is copyable, and comes back after a reload (from the database).
// The incomplete venv it leaves offers "Set up worker" again on the Training page, and serve mode
// refuses a Python path sent over HTTP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers';
import { hasChromium, launchChromium, RESULTS_DIR, startServe, stopServe, textOf, type Served } from './harness';

describe.skipIf(!hasChromium && !process.env.CI)('Worker setup log in serve mode (Chromium)', () => {
  const dir = tempDir('srlab-e2e-setuplog-');
  const noWheels = path.join(dir, 'no-wheels');
  let served: Served | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(noWheels);
    served = await startServe(path.join(dir, 'data'), {
      SRLAB_WORKER_VENV: path.join(dir, 'venv'),
      // pip with no index, no config and an empty wheel folder: every requirement fails at once.
      SRLAB_PIP_ARGS: '--no-index',
      PIP_CONFIG_FILE: os.devNull,
      PIP_FIND_LINKS: noWheels,
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.origin });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 60_000);

  const post = (method: string, body: unknown) =>
    fetch(`${served!.origin}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${served!.token}` },
      body: JSON.stringify(body),
    });
  async function api<T>(method: string, body: unknown): Promise<T> {
    const res = await post(method, body);
    const json = (await res.json()) as { ok: boolean; result: T };
    if (!json.ok) throw new Error(`${method}: ${JSON.stringify(json)}`);
    return json.result;
  }

  afterAll(async () => {
    await browser?.close();
    await stopServe(served?.child);
  });

  test('before any setup the panel says the log will show there', async () => {
    await page.goto(`${served!.url.replace(/#.*$/, '')}#/training`);
    const panel = page.getByTestId('worker-panel');
    await panel.getByTestId('worker-setup-cta').waitFor({ timeout: 30_000 });
    expect(await textOf(panel.getByTestId('worker-setup-log-empty'))).toContain('No worker setup has run yet');
  });

  test("a setup streams pip's output into the panel and keeps it, with the error, after it fails", async () => {
    const panel = page.getByTestId('worker-panel');
    await panel.getByRole('button', { name: 'Set up worker (CPU only)' }).click();
    const log = panel.getByRole('log', { name: /Setup log/ });
    await log.waitFor();
    // Live: the venv step's command shows while the job still runs (the venv takes seconds).
    await page.waitForFunction(() => document.querySelector('[role="log"]')?.textContent?.includes('-m venv'), null, {
      timeout: 60_000,
      polling: 100,
    });
    expect(await textOf(panel.locator('.worker-setup-job p').first())).toMatch(/running|failed/);
    expect(await panel.getByTestId('worker-setup-log-empty').count()).toBe(0);

    await panel.locator('.worker-setup-job strong', { hasText: 'failed' }).waitFor({ timeout: 120_000 });
    const text = await textOf(log);
    expect(text).toContain('-m pip install');
    expect(text).toMatch(/ERROR: (Could not find a version|No matching distribution)/);
    expect(text).toContain('failed:');
    expect(await log.locator('.level-error').count()).toBeGreaterThanOrEqual(2);
    // The job's error stays beside its log.
    expect(await textOf(panel.locator('.worker-setup-job pre.run-error'))).toMatch(/pip install .*failed/);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'worker-setup-log-failed.png') }).catch(() => undefined);

    // Follows the newest line.
    const pos = await log.evaluate((el) => ({ top: el.scrollTop, height: el.scrollHeight, client: el.clientHeight }));
    expect(pos.height - pos.top - pos.client).toBeLessThanOrEqual(16);

    // Keyboard: the log takes focus (so arrows/Page keys scroll it) and "Copy log" is a button.
    await log.focus();
    expect(await log.evaluate((el) => el === document.activeElement)).toBe(true);
    const copy = panel.getByRole('button', { name: 'Copy log' });
    await copy.focus();
    await page.keyboard.press('Enter');
    await panel.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    expect(clip).toContain('-m pip install');
    expect(clip).toContain('ERROR');
  }, 180_000);

  test('after a reload the failed setup and its log come back from the database', async () => {
    await page.reload();
    const panel = page.getByTestId('worker-panel');
    const log = panel.getByRole('log', { name: /Setup log/ });
    await log.waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('[role="log"]')?.textContent?.includes('ERROR'), null, {
      timeout: 30_000,
      polling: 100,
    });
    expect(await textOf(log)).toContain('-m pip install');
    // The venv exists but holds no training stack: not "installed", and it says so.
    await panel.getByTestId('worker-incomplete').waitFor({ timeout: 30_000 });
    expect(await textOf(panel.locator('.pill').first())).toBe('incomplete');
    expect(await textOf(page.getByTestId('worker-line'))).toMatch(/incomplete, cannot train/);
  });

  test('the incomplete worker offers "Set up worker" on the Training page; it starts a setup whose log streams', async () => {
    const panel = page.getByTestId('worker-panel');
    await panel.getByTestId('worker-incomplete').waitFor();
    // The buttons show in the incomplete state too (before, only "not set up" had them).
    const button = panel.getByTestId('worker-setup-buttons').getByRole('button', { name: 'Set up worker (CPU only)' });
    expect(await button.isEnabled()).toBe(true);
    const request = page.waitForRequest((r) => r.url().endsWith('/api/worker.setup'));
    const response = page.waitForResponse((r) => r.url().endsWith('/api/worker.setup'));
    await button.click();
    // The browser names no Python: setup runs the default one (a program path never crosses HTTP).
    expect((await request).postDataJSON()).toEqual({ cpu: true });
    const started = (await (await response).json()) as { ok: boolean; result: { job: { id: number; kind: string } } };
    expect(started.ok).toBe(true);
    expect(started.result.job.kind).toBe('worker-setup');

    // This second job's log streams in: the venv exists now, so it goes straight to pip — no
    // `-m venv` line, which only the first job's log had.
    const log = panel.getByRole('log', { name: /Setup log/ });
    await panel.locator('.worker-setup-job strong', { hasText: 'failed' }).waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => document.querySelector('[role="log"]')?.textContent?.includes('ERROR'), null, {
      timeout: 30_000,
      polling: 100,
    });
    const text = await textOf(log);
    expect(text).toContain('-m pip install');
    expect(text).not.toContain('-m venv');
    const jobs = await api<{ jobs: { id: number; kind: string; state: string }[] }>('jobs.list', {});
    const setups = jobs.jobs.filter((j) => j.kind === 'worker-setup');
    expect(setups.map((j) => j.id)).toContain(started.result.job.id);
    expect(setups).toHaveLength(2);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'worker-setup-again.png') }).catch(() => undefined);
  }, 180_000);

  test('serve mode refuses a Python path given over HTTP, and starts nothing', async () => {
    const before = await api<{ jobs: unknown[] }>('jobs.list', {});
    const res = await post('worker.setup', { cpu: true, python: '/bin/sh' });
    // A program named by the caller is local-only (desktop, CLI): 403 over HTTP. A browser picks
    // one of the Pythons worker doctor found by index instead (tests/integration/serve-paths*).
    expect(res.status).toBe(403);
    const body = (await res.json()) as {
      ok: false;
      error: { kind: string; message: string; issues: { path: string }[] };
    };
    expect(body.error.kind).toBe('forbidden');
    expect(body.error.issues.map((i) => i.path)).toEqual(['python']);
    expect(body.error.message).toContain('worker.setup with python is local-only');
    const after = await api<{ jobs: unknown[] }>('jobs.list', {});
    expect(after.jobs).toHaveLength(before.jobs.length);
  });

  test('no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
