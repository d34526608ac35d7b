// The Models, Playground and Runs areas end to end: the real `srlab serve` (built CLI) in a
// temporary data home with the tiny GGUF from scripts/make-tiny-gguf.js, driven by headless
// Chromium through playwright-core. Nothing is mocked; the only stand-in is a small
// OpenAI-compatible HTTP server started here, to test an endpoint against.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeTinyModel } from '../../scripts/make-tiny-gguf.js';
import { tempDir } from '../helpers';
import { hasChromium, launchChromium, RESULTS_DIR, startServe, stopServe, textOf, type Served } from './harness';

/**
 * A local stand-in for two remote services: an OpenAI-compatible API under /v1 (every chat
 * completion answers "OK") and a Hugging Face mirror (HF_ENDPOINT) serving one GGUF slowly
 * enough that a download shows its progress.
 */
function startFakeRemote(
  gguf: string,
): Promise<{ server: http.Server; origin: string; baseUrl: string; requests: () => number }> {
  let count = 0;
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/e2e/tiny-repo/resolve/main/')) {
      const bytes = fs.readFileSync(gguf);
      res.setHeader('content-length', String(bytes.length));
      res.setHeader('content-type', 'application/octet-stream');
      if (req.method === 'HEAD') return res.end();
      let at = 0;
      const timer = setInterval(() => {
        const chunk = bytes.subarray(at, at + 16 * 1024);
        at += chunk.length;
        res.write(chunk);
        if (at >= bytes.length) {
          clearInterval(timer);
          res.end();
        }
      }, 40);
      res.on('close', () => clearInterval(timer));
      return;
    }
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      count++;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          id: 'cmpl-1',
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
        }),
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const origin = `http://127.0.0.1:${port}`;
      resolve({ server, origin, baseUrl: `${origin}/v1`, requests: () => count });
    }),
  );
}

describe.skipIf(!hasChromium && !process.env.CI)(
  'Models, Playground and Runs in serve mode (headless Chromium)',
  () => {
    let served: Served | undefined;
    let browser: Browser | undefined;
    let fake: Awaited<ReturnType<typeof startFakeRemote>> | undefined;
    let page: Page;
    const pageErrors: string[] = [];
    const dir = tempDir('srlab-e2e-models-');
    // A browser may not name server paths: files to add lie in the data home's models/ folder.
    const modelsFolder = path.join(dir, 'data', 'models');
    const modelPath = path.join(modelsFolder, 'tiny-e2e.gguf');
    const junkPath = path.join(modelsFolder, 'not-a-model.gguf');
    const remoteModelPath = path.join(dir, 'remote', 'tiny-pulled.gguf');

    const shot = (name: string) =>
      page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`), fullPage: false }).catch(() => undefined);

    beforeAll(async () => {
      fs.mkdirSync(modelsFolder, { recursive: true });
      writeTinyModel(modelPath);
      fs.writeFileSync(junkPath, 'this is not a GGUF file at all\n'.repeat(10));
      fs.mkdirSync(path.dirname(remoteModelPath), { recursive: true });
      writeTinyModel(remoteModelPath, { seed: 7 });
      fake = await startFakeRemote(remoteModelPath);
      served = await startServe(path.join(dir, 'data'), { HF_ENDPOINT: fake.origin });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
      page.on('pageerror', (e) => pageErrors.push(e.message));
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await stopServe(served?.child);
      await new Promise((r) => (fake ? fake.server.close(r) : r(undefined)));
    });

    test('the Models area starts empty, explains how to add a model and lists the recommended ones', async () => {
      await page.goto(served!.url);
      await page.getByRole('link', { name: 'Models' }).click();
      expect(await page.getByRole('link', { name: 'Models' }).getAttribute('aria-current')).toBe('page');
      expect(new URL(page.url()).hash).toBe('#/models');
      await page.getByRole('heading', { name: 'No model yet' }).waitFor();
      const recommended = page.locator('.recommended-card tbody tr');
      expect(await recommended.count()).toBeGreaterThanOrEqual(2);
      expect(await textOf(page.locator('.recommended-card'))).toContain('hf:TheBloke/Llama-2-7B-Chat-GGUF');
    });

    test('a file that is not GGUF is refused with the server’s message, in the dialog', async () => {
      await page.getByRole('button', { name: 'Add…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a model' });
      // The dialog names the folder files are taken from, and offers its files by name.
      await dialog.getByTestId('models-folder').filter({ hasText: modelsFolder }).waitFor();
      await dialog.locator('select[name="file"]').selectOption(path.basename(junkPath));
      const problem = dialog.getByRole('status').filter({ hasText: 'Not a usable GGUF file' });
      await problem.waitFor();
      expect((await textOf(problem)).length).toBeGreaterThan(30);
      expect(await dialog.getByRole('button', { name: 'Add model' }).isDisabled()).toBe(true);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    });

    test('adds the tiny model from the models folder; its details show metadata, the file hash and a preflight that fits', async () => {
      await page.getByRole('button', { name: 'Add…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a model' });
      await dialog.locator('select[name="file"]').selectOption(path.basename(modelPath));
      await dialog.getByText('srlab tiny test model').waitFor();
      await dialog.getByRole('button', { name: 'Add model' }).click();
      await dialog.waitFor({ state: 'detached' });

      await page.locator('.dataset-title h1', { hasText: 'tiny-e2e' }).waitFor();
      expect(await page.locator('.model-item', { hasText: 'tiny-e2e' }).getAttribute('aria-current')).toBe('true');
      const meta = await textOf(page.locator('.card', { hasText: 'Architecture' }));
      expect(meta).toContain('llama');
      expect(meta).toContain('2,048 tokens');
      expect(meta).toContain('ALL_F32');
      expect(await textOf(page.getByTestId('model-sha256'))).toMatch(/^[0-9a-f]{64}$/);
      expect(await textOf(page.locator('.card', { hasText: 'Chat template' }))).toContain('Jinja');

      const verdict = page.getByRole('status', { name: 'Preflight verdict' });
      await verdict.waitFor({ timeout: 30_000 });
      expect(await verdict.getAttribute('class')).toContain('good');
      expect(await textOf(verdict)).toMatch(/Fits:/);
      expect(await textOf(verdict)).toContain('RAM');
      expect(await textOf(verdict)).toMatch(/Context\s*2,048 tokens/);
      expect(await textOf(page.getByTestId('hardware'))).toMatch(/RAM free/);
      await shot('models-e2e');
    });

    test('asking the preflight for more context than the model was trained on says it does not fit, and why', async () => {
      const form = page.locator('.preflight-form');
      await form.getByLabel('Context size').fill('8192');
      await form.getByLabel('Context size').press('Enter');
      const verdict = page.getByRole('status', { name: 'Preflight verdict' });
      await page.locator('.verdict.bad').waitFor({ timeout: 30_000 });
      expect(await textOf(verdict)).toContain('Does not fit');
      expect(await textOf(verdict)).toContain('8192');
      await form.getByLabel('Context size').fill('');
      await form.getByRole('button', { name: 'Check again' }).click();
      await page.locator('.verdict.good').waitFor({ timeout: 30_000 });
    });

    test('the playground streams one prompt to the model and shows tokens/s, the finish reason and the prompt sent', async () => {
      await page.getByRole('button', { name: 'Try in Playground' }).click();
      expect(new URL(page.url()).hash).toBe('#/playground');
      expect(await page.locator('select[name="model"]').inputValue()).toBe('tiny-e2e');
      // The paper's template is filled in, editable.
      await page.locator('textarea[name="instruction"]').waitFor();
      expect(await page.locator('textarea[name="instruction"]').inputValue()).toContain('{text}');
      await page.locator('input[name="maxTokens"]').fill('12');
      await page.locator('textarea[name="text"]').fill('Older staff never manage to learn new software.');
      await page.locator('textarea[name="text"]').press('Control+Enter');

      await page.getByTestId('playground-tps').waitFor({ timeout: 60_000 });
      expect((await textOf(page.getByTestId('playground-output'))).length).toBeGreaterThan(0);
      expect(await textOf(page.getByTestId('playground-tps'))).toMatch(/^[\d.,]+ tok\/s$/);
      expect(await textOf(page.getByTestId('playground-finish'))).toMatch(/max tokens|end of text|stop string/);
      await page.locator('.prompt-sent summary').click();
      const prompt = await textOf(page.getByTestId('playground-prompt'));
      expect(prompt).toContain('[INST]');
      expect(prompt).toContain('<<SYS>>');
      expect(prompt).toContain('Older staff never manage to learn new software.');
      await shot('playground-e2e');
    });

    test('Stop (or Escape) ends a long completion at once, keeping what was generated, marked cancelled', async () => {
      await page.locator('input[name="maxTokens"]').fill('1500');
      await page.locator('textarea[name="text"]').fill('Older staff never manage to learn new software.');
      await page.locator('textarea[name="text"]').press('Control+Enter');
      const stop = page.getByRole('button', { name: 'Stop' });
      await stop.waitFor({ timeout: 60_000 });
      await page.waitForFunction(
        () => (document.querySelector('[data-testid="playground-output"]')?.textContent ?? '').length > 0,
        undefined,
        { timeout: 60_000 },
      );
      await page.keyboard.press('Escape');
      await stop.waitFor({ state: 'detached', timeout: 10_000 });
      expect(await textOf(page.getByTestId('playground-finish'))).toBe('cancelled');
      expect((await textOf(page.getByTestId('playground-output'))).length).toBeGreaterThan(0);
      await page.locator('input[name="maxTokens"]').fill('12');
    });

    test('a generation run over five test records shows progress, tokens/s and, after the content warning, the side-by-side table', async () => {
      await page.getByRole('link', { name: 'Runs' }).click();
      await page.getByRole('heading', { name: 'No run yet' }).waitFor();
      await page.locator('.dataset-list').getByRole('button', { name: 'New run…' }).click();
      const dialog = page.getByRole('dialog', { name: 'New generation run' });
      await dialog.waitFor();
      expect(await dialog.locator('select[name="model"]').inputValue()).toBe('tiny-e2e');
      await dialog.locator('select[name="dataset"]').selectOption('cmd-demo');
      await dialog.locator('select[name="split"]').selectOption('test');
      await dialog.locator('input[name="limit"]').fill('5');
      await dialog.locator('input[name="maxTokens"]').fill('16');
      await dialog.locator('input[name="threads"]').fill('1');
      await dialog.getByTestId('run-preflight').filter({ hasText: 'Fits' }).waitFor({ timeout: 30_000 });
      await dialog.locator('input[name="limit"]').press('Enter');
      await dialog.waitFor({ state: 'detached' });

      await page.locator('.dataset-title h1', { hasText: 'tiny-e2e × cmd-demo/test' }).waitFor();
      await page.getByTestId('run-count').filter({ hasText: '5 of 5 items · 100%' }).waitFor({ timeout: 90_000 });
      await page.locator('.pill', { hasText: 'succeeded' }).first().waitFor({ timeout: 30_000 });
      expect(await page.getByRole('progressbar', { name: /Run \d+ progress/ }).getAttribute('aria-valuenow')).toBe(
        '100',
      );
      expect(await textOf(page.getByTestId('run-tps'))).toMatch(/^[\d.,]+ tok\/s$/);
      expect(await textOf(page.getByTestId('run-started'))).toMatch(/^started \S/);
      // Reproducibility: the model's hash and the greedy decoding are shown with the run.
      const settings = await textOf(page.locator('.card', { hasText: 'Settings (everything needed' }));
      expect(settings).toMatch(/[0-9a-f]{64}/);
      expect(settings).toContain('greedy');
      expect(settings).toContain('sr-llm-paper v2');

      const table = page.getByRole('table', { name: 'Run items' });
      await table.locator('tbody tr.item-row').nth(4).waitFor();
      expect(await table.locator('tbody tr.item-row').count()).toBe(5);
      // Texts stay out of the page until the warning is acknowledged; numbers are visible.
      expect(await page.getByRole('region', { name: 'Content warning' }).isVisible()).toBe(true);
      expect(await table.getByRole('img', { name: 'Text hidden (content warning)' }).count()).toBe(10);
      expect(await textOf(table.locator('tbody tr.item-row').first().locator('td').nth(3))).toMatch(/\d+ → 16/);

      await page.getByRole('button', { name: 'Show text' }).click();
      await page.getByRole('region', { name: 'Content warning' }).waitFor({ state: 'detached' });
      const first = table.locator('tbody tr.item-row').first();
      expect((await textOf(first.locator('td.original'))).length).toBeGreaterThan(10);
      expect((await textOf(first.locator('td.generated'))).length).toBeGreaterThan(0);
      expect(await textOf(first.locator('td').last())).toBe('max tokens');
      // The exact prompt of an item is one click away.
      await first.getByRole('button', { name: '1' }).click();
      expect(await textOf(table.locator('.item-detail pre'))).toContain('[/INST]');
      await shot('runs-e2e');
    });

    test('a longer run shows live progress with its rate and ETA, can be cancelled, and resumes to completion', async () => {
      const N = 120;
      await page.locator('.dataset-list').getByRole('button', { name: 'New run…' }).click();
      const dialog = page.getByRole('dialog', { name: 'New generation run' });
      await dialog.locator('select[name="split"]').selectOption('train');
      await dialog.locator('input[name="limit"]').fill(String(N));
      await dialog.locator('input[name="maxTokens"]').fill('96');
      await dialog.locator('input[name="name"]').fill('cancel and resume');
      await dialog.getByRole('button', { name: 'Start run' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.locator('.dataset-title h1', { hasText: 'cancel and resume' }).waitFor();

      // Live: the count moves while the run goes, and the job's rate shows.
      const bar = page.getByRole('progressbar', { name: /Run \d+ progress/ });
      await page
        .getByTestId('run-count')
        .filter({ hasText: new RegExp(`^[1-9]\\d* of ${N} items`) })
        .waitFor({ timeout: 60_000 });
      await page.locator('.run-progress', { hasText: 'items/s' }).waitFor({ timeout: 30_000 });
      await shot('runs-live-e2e');
      const live = Number(await bar.getAttribute('aria-valuenow'));
      expect(live).toBeGreaterThan(0);
      expect(live).toBeLessThan(100);
      await page.getByRole('button', { name: 'Cancel run', exact: true }).click();
      await page.locator('.run-progress .pill', { hasText: 'cancelled' }).waitFor({ timeout: 30_000 });
      const stopped = await textOf(page.getByTestId('run-count'));
      const doneAtCancel = Number(/^(\d+) of /.exec(stopped)![1]);
      expect(doneAtCancel).toBeLessThan(N);
      await page
        .getByRole('radio', { name: /^Pending \d+/ })
        .filter({ hasText: String(N - doneAtCancel) })
        .waitFor();

      await page.getByRole('button', { name: 'Resume', exact: true }).click();
      await page
        .getByTestId('run-count')
        .filter({ hasText: `${N} of ${N} items · 100%` })
        .waitFor({ timeout: 90_000 });
      await page.locator('.run-progress .pill', { hasText: 'succeeded' }).waitFor({ timeout: 30_000 });
      expect(await page.locator('.run-item').count()).toBe(2);
    });

    test('a Hugging Face download shows bytes, rate and ETA, lands in the library, and is removed with its file', async () => {
      await page.getByRole('link', { name: 'Models' }).click();
      await page.getByRole('button', { name: 'Download…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Download a model from Hugging Face' });
      // A recommended model fills in its URI; a bad one is refused before anything is sent.
      await dialog.getByRole('button', { name: 'llama-2-7b-chat.Q4_K_M' }).click();
      expect(await dialog.locator('input[name="uri"]').inputValue()).toContain('hf:TheBloke/');
      await dialog.locator('input[name="uri"]').fill('hf:e2e/tiny-repo/tiny-pulled.bin');
      await dialog.locator('input[name="uri"]').press('Enter');
      await dialog.getByRole('alert').filter({ hasText: '.gguf' }).waitFor();

      await dialog.locator('input[name="uri"]').fill('https://huggingface.co/e2e/tiny-repo/blob/main/tiny-pulled.gguf');
      await dialog.locator('input[name="uri"]').press('Enter');
      const bar = dialog.getByRole('progressbar', { name: 'Download' });
      await bar.waitFor({ timeout: 30_000 });
      await dialog.locator('.job-progress-numbers', { hasText: /KB of 9\d\d KB/ }).waitFor({ timeout: 30_000 });
      await dialog.locator('.job-progress-numbers', { hasText: '/s' }).waitFor({ timeout: 30_000 });
      expect(await page.locator('.download-item').count()).toBe(1);
      await shot('models-download-e2e');

      await dialog.getByRole('button', { name: 'Show the model' }).click({ timeout: 60_000 });
      await dialog.waitFor({ state: 'detached' });
      await page.locator('.dataset-title h1', { hasText: 'tiny-pulled' }).waitFor();
      expect(await textOf(page.locator('.card', { hasText: 'SHA-256' }))).toContain(
        'Hugging Face · hf:e2e/tiny-repo/tiny-pulled.gguf',
      );
      expect(await page.locator('.download-item').count()).toBe(0);

      await page.locator('.dataset-actions').getByRole('button', { name: 'Remove' }).click();
      const remove = page.getByRole('dialog', { name: 'Remove “tiny-pulled”?' });
      await remove.getByLabel(/Also delete the downloaded file/).check();
      await remove.getByRole('button', { name: 'Remove model' }).click();
      await remove.waitFor({ state: 'detached' });
      await page.locator('.model-item', { hasText: 'tiny-pulled' }).waitFor({ state: 'detached' });
      expect(await page.locator('.model-item').count()).toBe(1);
    });

    test('an OpenAI-compatible endpoint is added, tested against a local server, and its key field stays write-only', async () => {
      await page.getByRole('button', { name: /OpenAI-compatible/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Endpoints' }).waitFor();
      await page.getByRole('button', { name: 'Add endpoint…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add an endpoint' });
      await dialog.locator('input[name="name"]').fill('local-fake');
      await dialog.locator('input[name="model"]').fill('fake-model');
      await dialog.locator('input[name="baseUrl"]').fill(fake!.baseUrl);
      expect(await dialog.locator('input[name="apiKey"]').getAttribute('type')).toBe('password');
      await dialog.locator('input[name="baseUrl"]').press('Enter');
      await dialog.waitFor({ state: 'detached' });

      const row = page.getByRole('table', { name: 'Endpoints' }).locator('tbody tr', { hasText: 'local-fake' });
      await row.waitFor();
      await row.getByRole('button', { name: 'Test' }).click();
      await row.locator('.endpoint-test', { hasText: '✓' }).waitFor({ timeout: 30_000 });
      expect(fake!.requests()).toBeGreaterThanOrEqual(1);
      await shot('endpoints-e2e');

      await row.getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('dialog', { name: /Edit endpoint/ });
      expect(await edit.locator('input[name="apiKey"]').inputValue()).toBe('');
      await page.keyboard.press('Escape');
      await edit.waitFor({ state: 'detached' });
      expect(pageErrors).toEqual([]);
    });
  },
);
