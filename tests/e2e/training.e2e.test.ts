// The Training area end to end: the real `srlab serve` (built CLI) in a temporary data home,
// driven by headless Chromium through playwright-core. The doctor report (or the "Set up worker"
// call to action), the preset form with the paper's defaults marked and live validation, and,
// when the worker venv exists, a real LoRA run on the tiny Llama from
// python-worker/scripts/make_tiny_llama.py with live curves, checkpoints and the GGUF opened in
// Models. Without the venv that part skips with a message, except in CI where it must exist.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultVenv, venvPython, workerRoot } from '../../src/main/core/worker/paths';
import { tempDir } from '../helpers';
import { hasChromium, launchChromium, RESULTS_DIR, startServe, stopServe, textOf, type Served } from './harness';

const python = venvPython(defaultVenv());
const hasVenv = fs.existsSync(python);
if (!hasVenv && process.env.CI)
  throw new Error(`CI needs the worker venv at ${defaultVenv()}: .ci/run runs \`srlab worker setup --cpu\``);
if (!hasVenv)
  console.warn(`SKIP training e2e run: no worker venv at ${defaultVenv()} (run \`srlab worker setup --cpu\`)`);

/** Both of torch's threads for the worker the server starts (the inference side uses one). */
const TORCH_THREADS = { SRLAB_TORCH_THREADS: '2' };

const LORA = 'q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, lm_head';

describe.skipIf(!hasChromium && !process.env.CI)('Training area in serve mode (Chromium)', () => {
  const dir = tempDir('srlab-e2e-train-');
  // The browser may not name a server folder: the tiny base goes in the data home's bases/ folder
  // and the form picks it by name (bases:tiny-llama).
  const tiny = path.join(dir, 'data', 'bases', 'tiny-llama');
  const pickTinyBase = async () => {
    await page.getByTestId('bases-folder').getByRole('button', { name: 'Look again' }).click();
    await page.locator('select[name="baseFolder"]').selectOption('bases:tiny-llama');
  };
  let served: Served | undefined;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`), fullPage: false }).catch(() => undefined);
  const field = (key: string) => page.locator(`.train-field[data-key="${key}"]`);

  beforeAll(async () => {
    served = await startServe(path.join(dir, 'data'), TORCH_THREADS);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stopServe(served?.child);
  });

  test('Training is in the nav and shows the worker doctor report (or the set-up call to action)', async () => {
    await page.goto(served!.url);
    await page.getByRole('link', { name: 'Training' }).click();
    expect(new URL(page.url()).hash).toBe('#/training');
    await page.getByRole('heading', { name: 'New training run' }).waitFor();
    const panel = page.getByTestId('worker-panel');
    await panel.getByTestId('doctor-report').waitFor({ timeout: 60_000 });
    if (hasVenv) {
      expect(await textOf(panel.getByTestId('doctor-report'))).toContain(python);
      const report = await textOf(panel.getByTestId('doctor-report'));
      for (const pkg of ['torch', 'transformers', 'peft', 'bitsandbytes']) expect(report).toContain(pkg);
      expect((await textOf(panel.getByTestId('doctor-can-run'))).length).toBeGreaterThan(3);
    } else {
      await panel.getByTestId('worker-setup-cta').waitFor();
      await panel.getByRole('button', { name: /Set up worker \(CPU only\)/ }).waitFor();
    }
  }, 90_000);

  test('the preset form shows the paper preset grouped, with every value marked and its source', async () => {
    for (const group of [
      'LoRA',
      'Quantization',
      'Optimisation',
      'Schedule',
      'Data and sequence',
      'Checkpoints and early stopping',
    ])
      await page.locator('legend', { hasText: group }).first().waitFor();
    expect(await page.locator('#train-lora_r').inputValue()).toBe('64');
    expect(await page.locator('#train-lora_alpha').inputValue()).toBe('16');
    expect(await page.locator('#train-learning_rate').inputValue()).toBe('0.0002');
    expect(await page.locator('#train-max_seq_length').inputValue()).toBe('1024');
    expect(await page.locator('#train-use_4bit').isChecked()).toBe(true);
    expect(await page.locator('#train-optimizer').inputValue()).toBe('paged_adamw_32bit');
    // Tables 3–4 and, where the paper is silent, the authors' code (issue 9).
    expect(await page.locator('#train-fp16').isChecked()).toBe(true);
    expect(await page.locator('#train-bf16').isChecked()).toBe(false);
    expect(await page.locator('#train-response_only_loss').isChecked()).toBe(false);
    expect(await page.locator('#train-group_by_length').isChecked()).toBe(true);
    expect(await page.locator('#train-lora_target_modules').inputValue()).toBe('q_proj, v_proj');
    expect(await page.locator('#train-logging_steps').inputValue()).toBe('25');
    expect(await page.locator('#train-final_checkpoint').inputValue()).toBe('last');
    const fields = await page.locator('.train-field').count();
    expect(fields).toBeGreaterThanOrEqual(31);
    expect(await page.locator('.train-field [aria-label="preset default"]').count()).toBe(fields);
    expect(await page.locator('.train-source').count()).toBe(fields);
    expect(await textOf(page.getByTestId('source-fp16'))).toContain('paper, Table 4');
    expect(await textOf(page.getByTestId('source-response_only_loss'))).toContain("authors' code");
    expect(await textOf(field('warmup_ratio'))).toContain('does nothing with the constant schedule');
    expect(await textOf(page.getByTestId('train-preflight'))).toContain('Steps');
  });

  test('selects are styled like the inputs, and no select value is cut off', async () => {
    // Every select of the form: as tall as a text input (32 px; unstyled they were 19 px), and its
    // chosen text fits. A <select> draws its text inside: scrollWidth stays clientWidth even when
    // the text is clipped, so the text is measured with the select's own font and padding.
    const sizes = await page.locator('.train-new select').evaluateAll((els) =>
      (els as HTMLSelectElement[]).map((s) => {
        const css = getComputedStyle(s);
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = `${css.fontWeight} ${css.fontSize} ${css.fontFamily}`;
        const text = s.options[s.selectedIndex]?.text ?? '';
        const arrow = 20; // the drop-down arrow Chromium draws inside the padding box
        const needed = ctx.measureText(text).width + parseFloat(css.paddingLeft) + parseFloat(css.paddingRight) + arrow;
        return {
          id: s.id || s.name,
          height: s.getBoundingClientRect().height,
          scrollWidth: s.scrollWidth,
          clientWidth: s.clientWidth,
          needed,
        };
      }),
    );
    expect(sizes.length).toBeGreaterThanOrEqual(12);
    for (const s of sizes) {
      expect(s.height, s.id).toBeGreaterThanOrEqual(28);
      expect(s.scrollWidth, s.id).toBeLessThanOrEqual(s.clientWidth);
    }
    const optimizer = sizes.find((s) => s.id === 'train-optimizer')!;
    expect(optimizer.needed).toBeLessThanOrEqual(optimizer.clientWidth);
    for (const s of sizes) expect(s.needed, s.id).toBeLessThanOrEqual(s.clientWidth);
    await field('optimizer').scrollIntoViewIfNeeded();
    await shot('training-form-selects');
  });

  test("switching to srlab-recommended shows srlab's recipe, described as srlab's", async () => {
    await page.locator('select[name="preset"]').selectOption('srlab-recommended');
    expect(await textOf(page.getByTestId('preset-description'))).toContain("srlab's own recipe, not the paper's");
    expect(await page.locator('#train-final_checkpoint').inputValue()).toBe('best');
    expect(await page.locator('#train-bf16').isChecked()).toBe(true);
    expect(await page.locator('#train-response_only_loss').isChecked()).toBe(true);
    expect(await page.locator('#train-lr_scheduler_type').inputValue()).toBe('cosine');
    expect(await textOf(page.getByTestId('source-final_checkpoint'))).toContain('srlab');
    await page.locator('select[name="preset"]').selectOption('srllm-paper');
    expect(await page.locator('#train-final_checkpoint').inputValue()).toBe('last');
  });

  test('out-of-range values show every problem at once, and reset restores the default', async () => {
    await page.locator('#train-lora_r').fill('0');
    await page.locator('#train-lora_dropout').fill('1.5');
    await page.locator('#train-max_seq_length').fill('abc');
    const issues = page.getByTestId('train-form-issues');
    await issues.waitFor();
    const text = await textOf(issues);
    for (const key of ['lora_r', 'lora_dropout', 'max_seq_length']) expect(text).toContain(key);
    expect(await textOf(field('lora_r').locator('.field-error'))).toMatch(/out of range/);
    expect(await field('lora_r').locator('[aria-label="preset default"]').count()).toBe(0);
    await shot('training-validation');
    // Enter submits; with problems nothing starts, and the missing base model is listed too.
    await page.locator('#train-lora_r').press('Enter');
    expect(await page.getByRole('heading', { name: 'New training run' }).isVisible()).toBe(true);
    expect(await textOf(issues)).toContain('Base model');
    await field('lora_r')
      .getByRole('button', { name: /Reset Rank r/ })
      .click();
    expect(await page.locator('#train-lora_r').inputValue()).toBe('64');
    await page.getByRole('button', { name: 'Reset all' }).click();
    expect(await page.locator('.train-field .field-error').count()).toBe(0);
    const left = await textOf(issues);
    for (const key of ['lora_r', 'lora_dropout', 'max_seq_length']) expect(left).not.toContain(key);
  });

  describe.skipIf(!hasVenv)('with the worker venv: a tiny LoRA run', () => {
    beforeAll(() => {
      const built = spawnSync(python, [path.join(workerRoot(), 'scripts', 'make_tiny_llama.py'), tiny], {
        encoding: 'utf8',
      });
      expect(built.status, built.stderr).toBe(0);
    }, 120_000);

    test('starts, draws live loss and LR curves, lands checkpoints and opens the GGUF in Models', async () => {
      expect(await textOf(page.getByTestId('bases-folder'))).toContain(path.dirname(tiny));
      await pickTinyBase();
      await page.locator('input[name="name"]').fill('tiny-e2e');
      await page.locator('select[name="dataset"]').selectOption('cmd-demo');
      await page.locator('select[name="split"]').selectOption('train');
      await page.locator('#train-use_4bit').uncheck();
      const set: [string, string][] = [
        ['max_steps', '24'],
        ['save_steps', '8'],
        ['per_device_train_batch_size', '8'],
        ['learning_rate', '0.003'],
        ['lora_r', '8'],
        ['lora_dropout', '0'],
        ['early_stopping_patience', '0'],
        ['lora_target_modules', LORA],
        ['logging_steps', '1'],
      ];
      for (const [key, value] of set) await page.locator(`#train-${key}`).fill(value);
      expect(await textOf(page.getByTestId('preflight-steps'))).toBe('24');
      // The core's preflight read the tiny base's config.json and exported the split.
      await page
        .getByTestId('train-preflight')
        .getByText(/from config\.json/)
        .waitFor({ timeout: 15_000 });
      // Then the worker counts the tokens with the tiny base's own tokenizer (seconds, once).
      await page
        .getByTestId('preflight-tokens-basis')
        .getByText('tokenizer', { exact: true })
        .waitFor({ timeout: 60_000 });
      expect(await textOf(page.getByTestId('preflight-duration'))).toMatch(/(estimated|measured)$/);
      await page.getByTestId('train-preflight').scrollIntoViewIfNeeded();
      await shot('training-preflight');
      await page.getByTestId('train-start').click();

      // The run view, live: record the chart's point count while the run is running.
      await page.getByTestId('train-step').waitFor({ timeout: 30_000 });
      const samples: { state: string; points: number }[] = [];
      const deadline = Date.now() + 240_000;
      let shotTaken = false;
      for (;;) {
        const state = await textOf(page.locator('.run-progress .pill').first());
        const chart = page.getByTestId('chart-loss');
        const points = (await chart.count()) ? Number(await chart.getAttribute('data-points')) : 0;
        samples.push({ state, points });
        if (state === 'running' && points >= 4 && !shotTaken) {
          await shot('training-live');
          shotTaken = true;
        }
        if (['succeeded', 'failed', 'cancelled'].includes(state)) break;
        if (Date.now() > deadline) throw new Error(`training did not finish: ${JSON.stringify(samples.slice(-5))}`);
        await page.waitForTimeout(150);
      }
      const final = samples[samples.length - 1]!;
      if (final.state !== 'succeeded')
        throw new Error(`run ${final.state}: ${await textOf(page.locator('.run-progress'))}`);
      const running = samples.filter((s) => s.state === 'running' && s.points > 0);
      // Live: while running, the curve grew without a reload.
      expect(running.length).toBeGreaterThan(1);
      expect(running[running.length - 1]!.points).toBeGreaterThan(running[0]!.points);
      expect(await textOf(page.getByTestId('train-step'))).toContain('24 of 24');
      // Checkpoints at 8, 16, 24 and the curves with the LR chart.
      const ckpts = page.getByTestId('train-ckpts');
      await ckpts.waitFor();
      expect(await ckpts.locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
      await page.getByTestId('chart-lr').waitFor();
      expect(await page.getByTestId('chart-loss').locator('path').count()).toBeGreaterThan(0);
      expect(await textOf(page.getByTestId('train-config'))).toContain('lora_r8');
      // The worker's own log lines (examples, steps, device, LoRA targets) are kept with the run.
      await page.getByTestId('train-log-card').locator('summary').click();
      await page
        .getByTestId('train-log')
        .getByText(/training examples, \d+ eval, 24 steps on cpu/)
        .waitFor();
      // The paper's fp16 falls back to fp32 on the CPU, and says so.
      await page
        .getByTestId('train-log')
        .getByText(/fp16=true needs a CUDA GPU: training in float32 on cpu/)
        .waitFor();
      // Which weights the adapter, merge and GGUF hold (final_checkpoint last: the authors' behaviour).
      expect(await textOf(page.getByTestId('adapter-from'))).toMatch(/^step 24 \(last step, eval loss [\d.]+\)/);
      expect(await textOf(page.getByTestId('train-template'))).toBe('sr-llm-paper v2');
      await page.getByTestId('open-gguf').scrollIntoViewIfNeeded();
      await shot('training-run');
      await page.getByTestId('open-gguf').click();
      expect(new URL(page.url()).hash).toBe('#/models');
      await page.getByRole('heading', { name: 'tiny-e2e' }).first().waitFor({ timeout: 10_000 });
    }, 300_000);

    test('cancel keeps the checkpoints; resume continues from the last one to the end', async () => {
      await page.getByRole('link', { name: 'Training' }).click();
      await page.getByRole('button', { name: 'New training…' }).click();
      await page.getByRole('heading', { name: 'New training run' }).waitFor();
      await pickTinyBase();
      await page.locator('input[name="name"]').fill('tiny-resume');
      await page.locator('select[name="dataset"]').selectOption('cmd-demo');
      await page.locator('select[name="evalSplit"]').selectOption('');
      await page.locator('#train-use_4bit').uncheck();
      const set: [string, string][] = [
        ['max_steps', '16'],
        ['save_steps', '4'],
        ['per_device_train_batch_size', '8'],
        ['learning_rate', '0.003'],
        ['lora_r', '8'],
        ['lora_dropout', '0'],
        ['early_stopping_patience', '0'],
        ['lora_target_modules', LORA],
        ['logging_steps', '1'],
      ];
      for (const [key, value] of set) await page.locator(`#train-${key}`).fill(value);
      await page.getByText('Merge and convert to GGUF').click();
      // Enter submits the form.
      await page.locator('#train-lora_r').press('Enter');
      await page.getByRole('heading', { name: 'tiny-resume' }).waitFor({ timeout: 30_000 });
      await page.getByTestId('train-ckpts').waitFor({ timeout: 120_000 });
      await page.getByRole('button', { name: 'Cancel training' }).click();
      const pill = page.locator('.run-progress .pill').first();
      await page.waitForFunction((el) => el?.textContent === 'cancelled', await pill.elementHandle(), {
        timeout: 60_000,
      });
      const stepsAtCancel = Number(/step (\d+)/.exec(await textOf(page.getByTestId('train-step')))![1]);
      expect(stepsAtCancel).toBeLessThan(16);
      const resume = page.getByRole('button', { name: /Resume from step \d+/ });
      await resume.waitFor();
      await resume.click();
      await page.waitForFunction((el) => el?.textContent === 'succeeded', await pill.elementHandle(), {
        timeout: 180_000,
        polling: 250,
      });
      expect(await textOf(page.getByTestId('train-step'))).toContain('16 of 16');
      expect(await page.getByTestId('train-ckpts').locator('tbody tr').count()).toBeGreaterThanOrEqual(4);
    }, 300_000);

    test('the playground applies a run’s adapter GGUF, chosen by its run (a browser names no path)', async () => {
      await page.getByRole('link', { name: 'Playground' }).click();
      await page.locator('select[name="model"] option', { hasText: 'tiny-e2e' }).first().waitFor({ state: 'attached' });
      await page.locator('select[name="model"]').selectOption('tiny-e2e'); // the run's merged GGUF
      const adapter = page.locator('select[name="adapter"]');
      const option = adapter.locator('option', { hasText: 'tiny-e2e' });
      await option.waitFor({ state: 'attached' });
      await adapter.selectOption({ label: (await option.textContent())! });
      await page.locator('input[name="maxTokens"]').fill('4');
      await page.locator('textarea[name="text"]').fill('Older staff never manage to learn new software.');
      await page.locator('textarea[name="text"]').press('Control+Enter');
      await page.getByTestId('playground-tps').waitFor({ timeout: 60_000 });
      expect(await textOf(page.getByTestId('playground-finish'))).toMatch(/max tokens|end of text|stop string/);
    }, 90_000);
  });

  test('without a worker venv the panel offers "Set up worker" (CPU or GPU stack)', async () => {
    const bare = await startServe(path.join(dir, 'bare'), {
      ...TORCH_THREADS,
      SRLAB_WORKER_VENV: path.join(dir, 'no-venv'),
    });
    try {
      await page.goto(`${bare.url.replace(/#.*$/, '')}#/training`);
      const panel = page.getByTestId('worker-panel');
      await panel.getByTestId('worker-setup-cta').waitFor({ timeout: 30_000 });
      expect(await textOf(panel.getByTestId('worker-setup-cta'))).toContain(path.join(dir, 'no-venv'));
      await panel.getByRole('button', { name: 'Set up worker (GPU stack)' }).waitFor();
      await panel.getByRole('button', { name: 'Set up worker (CPU only)' }).waitFor();
      expect(await textOf(panel.getByTestId('doctor-report'))).toContain('not installed');
      await shot('training-setup-cta');
    } finally {
      await stopServe(bare.child);
    }
  }, 60_000);

  test('no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
