// `srlab train preflight` through the real CLI and worker on a tiny Llama built here: tokens
// counted with the base's own tokenizer (agreeing with what `train` reports), the characters / 4
// fallback for a base that is not on this machine, exit 2 on bad input, and the in-memory cache
// that keeps a re-run preflight fast. Skips without the worker venv, except in CI.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { defaultVenv, venvPython, workerRoot } from '../../src/main/core/worker/paths';
import type { TrainPreflight } from '../../src/shared/contracts/training';
import { tempDir } from '../helpers';
import { assertBuilt, CLI, type CliRun } from './cli-helpers';

const python = venvPython(defaultVenv());
const hasVenv = fs.existsSync(python);
if (!hasVenv && process.env.CI)
  throw new Error(`CI needs the worker venv at ${defaultVenv()}: .ci/run runs \`srlab worker setup --cpu\``);
if (!hasVenv) console.warn(`SKIP train-preflight-cli: no worker venv at ${defaultVenv()}`);

const home = tempDir('srlab-preflight-');
const tiny = path.join(home, 'tiny-llama');
// No GPU answers here, so the figures do not depend on the machine; offline so nothing is fetched.
const env = { SRLAB_NO_NVIDIA_SMI: '1', HF_HUB_OFFLINE: '1', SRLAB_TORCH_THREADS: '2' };

function srlab(args: string[]): CliRun {
  const r = spawnSync(process.execPath, [CLI, '--home', home, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env, SRLAB_HOME: '' },
  });
  const json = args.includes('--json') && r.stdout.trim() ? JSON.parse(r.stdout.trim()) : undefined;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json };
}

describe.skipIf(!hasVenv)('srlab train preflight', () => {
  beforeAll(() => {
    assertBuilt();
    const built = spawnSync(python, [path.join(workerRoot(), 'scripts', 'make_tiny_llama.py'), tiny], {
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
  }, 120_000);

  it('counts tokens with the tiny base’s tokenizer, as train would encode them', () => {
    const r = srlab([
      'train',
      'preflight',
      '--dataset',
      'cmd-demo',
      '--base',
      tiny,
      '--set',
      'use_4bit=false',
      '--set',
      'max_seq_length=800',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const p = r.json as TrainPreflight;
    expect(p.tokens).toMatchObject({ basis: 'tokenizer', estimated: false });
    expect(p.tokens.tokenizer).toMatch(/LlamaTokenizer/);
    expect(p.tokens.reason).toMatch(/counted by the worker/);
    expect(p.tokens.trainable).toBeGreaterThan(0);
    expect(p.tokens.dropped).toBe(0);
    // The paper's system prompt makes every example a few hundred tokens; a few pass 800.
    expect(p.truncated).toBeGreaterThan(0);
    expect(p.truncated).toBeLessThan(p.examples);
    expect(p.tokens.max).toBeGreaterThan(800);
    expect(p.tokens.kept).toBeLessThan(p.tokens.total);
    expect(p.trainTokens).toBe(p.tokens.kept); // one epoch
    expect(p.duration.basis).toBe('estimated'); // no run of this base here yet
    expect(p.duration.detail).toMatch(/^no GPU/);
    expect(p.duration.seconds).toBeGreaterThan(0);

    const human = srlab(['train', 'preflight', '--dataset', 'cmd-demo', '--base', tiny, '--set', 'use_4bit=false']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^tokens\s+[\d,]+ .*\[tokenizer: LlamaTokenizer/m);
    expect(human.stdout).toMatch(/^duration\s+≈ .*\[estimated\]/m);
  }, 120_000);

  it('falls back to characters / 4 for a base that is not on this machine, and says why', () => {
    const r = srlab(['train', 'preflight', '--dataset', 'cmd-demo', '--base', 'srlab-test/absent-7b', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const p = r.json as TrainPreflight;
    expect(p.tokens).toMatchObject({ basis: 'estimated', estimated: true, tokenizer: null, trainable: null });
    expect(p.tokens.reason).toMatch(/neither a local model folder nor in the Hugging Face cache/);
    expect(p.duration.basis).toBe('estimated');
    expect(p.duration.detail).toMatch(/^no GPU: CPU training of a 7B model is impractical/);
  });

  it('exits 2 on bad input', () => {
    expect(srlab(['train', 'preflight', '--dataset', 'cmd-demo', '--json']).code).toBe(2);
    const bad = srlab(['train', 'preflight', '--dataset', 'cmd-demo', '--base', tiny, '--set', 'nope=1', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.json.error.kind).toBe('invalid-input');
    expect(srlab(['train', 'preflight', '--dataset', 'cmd-demo', '--base', tiny, '--split', 'x']).code).toBe(2);
  });

  describe('in one process', () => {
    let core: Core;
    beforeAll(async () => {
      process.env.SRLAB_NO_NVIDIA_SMI = '1';
      core = await createCore({ home: tempDir(), checkOutputs: true, secretTool: null, runtime: { gpu: false } });
    });
    afterAll(async () => {
      await core.close();
    });

    it('answers a repeated preflight from the cache, and recounts when max_seq_length changes', async () => {
      const input = {
        dataset: 'cmd-demo',
        split: 'train',
        base: tiny,
        // Response-only loss (srlab-recommended's; the paper preset trains on the whole text, so
        // it truncates but never drops): an example whose prompt fills the window is dropped.
        overrides: { use_4bit: false, max_seq_length: 700, response_only_loss: true },
      } as const;
      const time = async (overrides: Record<string, unknown>) => {
        const t0 = performance.now();
        const p = await core.invoke('train.preflight', { ...input, overrides });
        return { p, ms: performance.now() - t0 };
      };
      // The form's quick first answer: no worker, characters / 4, said so.
      const quick = await core.invoke('train.preflight', { ...input, countTokens: false });
      expect(quick.tokens.basis).toBe('estimated');
      expect(quick.tokens.reason).toMatch(/not counted yet/);
      const cold = await time(input.overrides);
      const warm = await time(input.overrides);
      const epochs = await time({ ...input.overrides, num_train_epochs: 3 }); // same tokens, no recount
      const other = await time({ ...input.overrides, max_seq_length: 400 });
      console.log(
        `preflight latency: cold ${cold.ms.toFixed(0)} ms, warm ${warm.ms.toFixed(0)} ms, epochs changed ${epochs.ms.toFixed(0)} ms, max_seq_length changed ${other.ms.toFixed(0)} ms`,
      );
      expect(cold.p.tokens.basis).toBe('tokenizer');
      expect(cold.p.tokens.reason).toMatch(/counted by the worker in/);
      expect(warm.p.tokens.reason).toMatch(/cached/);
      expect(warm.p.tokens.total).toBe(cold.p.tokens.total);
      expect(warm.ms).toBeLessThan(cold.ms / 3);
      // Once counted, even the quick answer has the real count.
      const again = await core.invoke('train.preflight', { ...input, countTokens: false });
      expect(again.tokens).toMatchObject({ basis: 'tokenizer', total: cold.p.tokens.total });
      expect(epochs.p.tokens.reason).toMatch(/cached/);
      expect(Math.abs(epochs.p.trainTokens - 3 * cold.p.trainTokens)).toBeLessThanOrEqual(2);
      // At 700 tokens some prompts alone fill the window: train drops those examples, and says so.
      expect(cold.p.tokens.dropped).toBeGreaterThan(0);
      expect(cold.p.problems.some((m) => /will be dropped/.test(m))).toBe(true);
      expect(other.p.tokens.reason).toMatch(/counted by the worker in/);
      expect(other.p.truncated).toBeGreaterThan(cold.p.truncated);
    }, 120_000);
  });
});
