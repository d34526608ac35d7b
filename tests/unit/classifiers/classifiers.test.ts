// The classifiers capability on the real worker (torch CPU), with a tiny Llama built here from a
// config and a SentencePiece tokenizer trained on our demo data (nothing is downloaded):
// fine-tuning on the demo CMD's annotation through the job machinery, cancel and resume from a
// checkpoint, validation numbers equal to a direct recomputation from the scorer's own scores,
// the hf scorer equal to the worker's classify probabilities, and registration errors.
// Skips without the worker venv (`srlab worker setup --cpu`), except in CI where it must exist.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifierInfo } from '../../../src/shared/contracts/classifiers';
import { binaryClassificationMetrics } from '../../../src/shared/metrics/classification';
import { createCore, type Core } from '../../../src/main/core';
import { labelledTexts } from '../../../src/main/core/classifiers/data';
import { createHfScorer } from '../../../src/main/core/scorers/hf';
import { classifyTexts } from '../../../src/main/core/worker/classify';
import { defaultVenv, venvPython, workerRoot } from '../../../src/main/core/worker/paths';
import { tempDir } from '../../helpers';

const python = venvPython(defaultVenv());
const hasVenv = fs.existsSync(python);
if (!hasVenv && process.env.CI) throw new Error(`CI needs the worker venv at ${defaultVenv()}`);

/** Small and fast: 168 demo train texts in batches of 32 → 6 steps an epoch. */
const TRAIN = {
  dataset: 'cmd-demo',
  label: 'annotation',
  epochs: 2,
  batchSize: 32,
  learningRate: 3e-3,
  maxLength: 64,
  seed: 3,
} as const;

describe.skipIf(!hasVenv)('classifiers (worker venv, tiny Llama)', () => {
  let core: Core;
  let tiny: string;
  let trained: ClassifierInfo;
  /** The hf scorer's scores of the test split (test 2), reused by test 3. */
  let testTexts: string[] = [];
  let testScores: number[] = [];
  /** The training job's progress as its events carried it. */
  const progress: { done: number; total: number | null; unit: string }[] = [];

  beforeAll(async () => {
    process.env.SRLAB_TORCH_THREADS = '2';
    tiny = path.join(tempDir('srlab-clf-'), 'tiny');
    execFileSync(python, [path.join(workerRoot(), 'scripts', 'make_tiny_llama.py'), tiny], { stdio: 'pipe' });
    core = await createCore({ home: tempDir(), checkOutputs: true, secretTool: null, runtime: { gpu: false } });
    const stop = core.onEvent((e) => {
      if (e.type === 'job' && e.job.kind === 'classifier-train') progress.push(e.job.progress);
    });
    const { job } = await core.invoke('classifiers.train', { ...TRAIN, base: tiny, name: 'tiny-unsafe', saveSteps: 4 });
    const end = await core.jobs.wait(job.id, 120_000);
    expect(end.job.state, JSON.stringify(end)).toBe('succeeded');
    stop();
    trained = (await core.invoke('classifiers.get', { name: 'tiny-unsafe' })).classifier;
  }, 240_000);

  afterAll(async () => {
    await core?.close();
  });

  it('trains through the job machinery: steps, falling loss, checkpoints, a versioned model folder', () => {
    const t = trained.training!;
    expect(trained.state).toBe('ready');
    expect(trained.labels).toEqual(['Benign', 'Unsafe']);
    expect(trained.positive).toBe('Unsafe');
    expect(trained.measure).toBe('unsafe');
    expect(t.examples).toEqual({ train: 168, dev: 24, test: 48 });
    expect(t.step).toBe(12);
    expect(t.totalSteps).toBe(12);
    expect(t.finalLoss!).toBeLessThan(t.initialLoss!);
    // Checkpoints at steps 4, 8, 12; full fine-tuning ones are large, so the last two are kept.
    expect(t.checkpoints.map((k) => k.step)).toEqual([8, 12]);
    expect(fs.readdirSync(path.join(t.runDir, 'checkpoints')).sort()).toEqual(['step-000008', 'step-000012']);
    expect(t.bestEvalLoss).not.toBeNull();
    expect(trained.version).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(fs.existsSync(path.join(trained.model, 'config.json'))).toBe(true);
    // Progress in steps while training (as LoRA training reports it), then in texts while validating.
    const steps = progress.filter((p) => p.unit === 'steps' && p.done > 0);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((p) => p.total === 12)).toBe(true);
    expect(steps.map((p) => p.done)).toEqual([...steps.map((p) => p.done)].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ unit: 'texts', done: 48, total: 48 });
  });

  it('stores validation numbers equal to a direct recomputation from the hf scorer on the test split', async () => {
    const rows = labelledTexts(core.datasets, 'cmd-demo', 'test', 'annotation');
    expect(rows).toHaveLength(48);
    const scorer = await createHfScorer({ kind: 'hf', classifier: 'tiny-unsafe' }, { classifiers: core.classifiers });
    expect(scorer.info).toMatchObject({
      id: 'hf:tiny-unsafe',
      version: trained.version,
      measure: 'unsafe',
      threshold: 0.5,
    });
    const scored = await scorer.score(rows.map((r) => r.text));
    testTexts = rows.map((r) => r.text);
    testScores = scored.map((x) => x.score!);
    const m = binaryClassificationMetrics(
      rows.map((r) => r.label === 1),
      scored.map((s) => s.score!),
    );
    const v = trained.validation!;
    expect(v.n).toBe(48);
    expect(v.split).toBe('cmd-demo/test');
    expect(v.accuracy).toBeCloseTo(m.accuracy, 10);
    expect(v.macroF1).toBeCloseTo(m.macroF1, 10);
    expect(v.rocAuc!).toBeCloseTo(m.rocAuc, 4);
    expect(scorer.info.validation).toEqual({ accuracy: v.accuracy, macroF1: v.macroF1, rocAuc: v.rocAuc, n: 48 });
    // Verdict labels follow the 0.5 threshold.
    for (const s of scored) expect(s.label).toBe(s.score! > 0.5 ? 'Unsafe' : 'Benign');
  }, 60_000);

  it('scores with the classifier’s own P(positive); the other class as positive gives 1 − p', async () => {
    const texts = testTexts.slice(0, 3);
    const direct = await classifyTexts(core.worker, { model: trained.model, texts, maxLength: 64 });
    direct.results.forEach((row, i) => expect(testScores[i]!).toBeCloseTo(row.probs.Unsafe!, 6));
    // Negative control: the same folder registered with Benign as the positive class.
    const add = await core.call('classifiers.add', {
      name: 'tiny-benign',
      source: { kind: 'folder', path: trained.model },
      positive: 'Benign',
      measure: 'unsafe',
    });
    expect(add.ok, JSON.stringify(add)).toBe(true);
    const benign = await createHfScorer({ kind: 'hf', classifier: 'tiny-benign' }, { classifiers: core.classifiers });
    const flipped = await benign.score(texts);
    flipped.forEach((x, i) => expect(x.score!).toBeCloseTo(1 - testScores[i]!, 6));
    expect(new Set(flipped.map((x) => x.score!.toFixed(6))).size).toBe(3); // not a constant
    expect(benign.info.version).toBe(trained.version); // same weights, same version
    expect(await benign.score([])).toEqual([]);
  }, 60_000);

  it('cancels at a step, then resumes from the last checkpoint to the end', async () => {
    const r = await core.invoke('classifiers.train', {
      ...TRAIN,
      base: tiny,
      name: 'tiny-resumed',
      epochs: 2,
      saveSteps: 3,
    });
    // Cancel once the first checkpoint is on disk (as `srlab classifiers cancel` from another process).
    await new Promise<void>((resolve) => {
      const stop = core.onEvent((e) => {
        if (
          e.type === 'classifier' &&
          e.name === 'tiny-resumed' &&
          (e.classifier?.training?.checkpoints.length ?? 0) > 0
        ) {
          stop();
          core.classifiers.cancel('tiny-resumed');
          resolve();
        }
      });
    });
    const end = await core.jobs.wait(r.job.id, 60_000);
    expect(end.job.state).toBe('cancelled');
    const stopped = core.classifiers.get('tiny-resumed');
    expect(stopped.state).toBe('cancelled');
    expect(stopped.training!.step).toBeLessThan(12);
    const from = Math.max(...stopped.training!.checkpoints.map((k) => k.step));
    // A cancelled classifier is no scorer.
    await expect(
      createHfScorer({ kind: 'hf', classifier: 'tiny-resumed' }, { classifiers: core.classifiers }),
    ).rejects.toThrow(/cancelled/);
    const again = await core.invoke('classifiers.resume', { name: 'tiny-resumed' });
    const done = await core.jobs.wait(again.job.id, 120_000);
    expect(done.job.state, JSON.stringify(done)).toBe('succeeded');
    const log = core.jobs.log(again.job.id).lines.map((l) => l.text);
    expect(log.some((l) => l.includes(`resumed from step-${String(from).padStart(6, '0')}`))).toBe(true);
    const finished = core.classifiers.get('tiny-resumed');
    expect(finished.state).toBe('ready');
    expect(finished.training!.step).toBe(12);
    expect(finished.validation?.n).toBe(48);
    // Resuming a finished one is refused.
    const refused = await core.call('classifiers.resume', { name: 'tiny-resumed' });
    expect(refused.ok ? null : refused.error.kind).toBe('conflict');
  }, 180_000);

  it('refuses a positive class the model lacks, a folder without config.json, a taken name, an unknown dataset', async () => {
    const wrong = await core.call('classifiers.add', {
      name: 'x',
      source: { kind: 'folder', path: trained.model },
      positive: 'LABEL_1',
    });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error.message).toMatch(/no class "LABEL_1" \(its classes: Benign, Unsafe\)/);
    const empty = tempDir();
    const none = await core.call('classifiers.add', {
      name: 'y',
      source: { kind: 'folder', path: empty },
      positive: 'a',
    });
    expect(!none.ok && none.error.message).toMatch(/no config\.json/);
    const taken = await core.call('classifiers.add', {
      name: 'tiny-unsafe',
      source: { kind: 'hf', id: 'tomh/toxigen_roberta' },
      positive: 'LABEL_1',
    });
    expect(!taken.ok && taken.error.kind).toBe('conflict');
    const hub = await core.invoke('classifiers.add', {
      name: 'toxigen',
      source: { kind: 'hf', id: 'tomh/toxigen_roberta' },
      positive: 'LABEL_1',
    });
    expect(hub.classifier).toMatchObject({
      source: 'hf',
      model: 'tomh/toxigen_roberta',
      labels: null,
      measure: 'toxicity',
    });
    // An unknown dataset is a not-found, before any job starts.
    const missing = await core.call('classifiers.train', { ...TRAIN, base: tiny, dataset: 'nope' });
    expect(!missing.ok && missing.error.kind).toBe('not-found');
    // A browser (lab scope) may not name server paths: a folder base or folder classifier is local-only.
    const lab = { scope: 'lab' } as const;
    const folderBase = await core.call('classifiers.train', { ...TRAIN, base: tiny }, lab);
    expect(!folderBase.ok && folderBase.error.kind).toBe('forbidden');
    const folderAdd = await core.call(
      'classifiers.add',
      { name: 'z', source: { kind: 'folder', path: trained.model }, positive: 'Unsafe' },
      lab,
    );
    expect(!folderAdd.ok && folderAdd.error.kind).toBe('forbidden');
    const removed = await core.invoke('classifiers.remove', { name: 'toxigen', deleteFiles: true });
    expect(removed).toEqual({ removed: 'toxigen', deletedFiles: false });
  });
});
