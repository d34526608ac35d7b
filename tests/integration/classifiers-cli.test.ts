// `srlab classifiers` as a user runs it, on a tiny Llama built here (SentencePiece tokenizer
// trained on our demo data; nothing is downloaded): train on the demo CMD's annotation, cancel
// from another process once a checkpoint is on disk, resume to the end with validation; register
// a folder and a Hugging Face id; import the real 215-trait list and a broken copy; remove.
// Skips without the worker venv (`srlab worker setup --cpu`), except in CI where it must exist.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultVenv, venvPython } from '../../src/main/core/worker/paths';
import { hasSharedData, sharedData, tempDir } from '../helpers';
import { CLI, ensureTinyLlama, srlab, type CliRun } from './cli-helpers';

const python = venvPython(defaultVenv());
const hasVenv = fs.existsSync(python);
if (!hasVenv && process.env.CI) throw new Error(`CI needs the worker venv at ${defaultVenv()}`);

const home = tempDir('srlab-classifiers-cli-');
const tiny = path.join(home, 'tiny-llama');
const TRAITS = ['style-traits', 'image_chat_personalities.txt'];

function srlabAsync(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--home', home, ...args], {
      env: { ...process.env, SRLAB_TORCH_THREADS: '2', SRLAB_HOME: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, json: args.includes('--json') ? JSON.parse(stdout.trim()) : undefined }),
    );
  });
}

const run = (args: string[]) => srlab(args, { home });

describe.skipIf(!hasVenv)('srlab classifiers (CPU, tiny Llama)', () => {
  let cancelled: CliRun;
  let resumed: CliRun;

  beforeAll(async () => {
    ensureTinyLlama(python, tiny);
    // The first command of a new home imports the demo dataset: done here, not racing the training.
    expect(run(['classifiers', '--json']).json).toEqual({ classifiers: [], traitLists: [] });
    const training = srlabAsync([
      'classifiers',
      'train',
      '--base',
      tiny,
      '--dataset',
      'cmd-demo',
      '--label',
      'annotation',
      '--name',
      'tiny-unsafe',
      '--epochs',
      '10',
      '--batch-size',
      '32',
      '--lr',
      '0.003',
      '--max-length',
      '64',
      '--save-steps',
      '1',
      '--json',
    ]);
    // Cancel from another process once the first checkpoint is recorded (60 steps, a checkpoint
    // each: the training is still running when a poll sees the first one).
    const end = Date.now() + 150_000;
    for (;;) {
      if (Date.now() > end) throw new Error('no checkpoint within 150 s');
      // Before the training process has stored the classifier, show answers not-found.
      const show = run(['classifiers', 'show', 'tiny-unsafe', '--json']);
      if (show.code === 0 && show.json.classifier.training.checkpoints.length > 0) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    const cancel = run(['classifiers', 'cancel', 'tiny-unsafe', '--json']);
    expect(cancel.json).toEqual({ classifier: 'tiny-unsafe', state: 'cancel-requested' });
    cancelled = await training;
    resumed = await srlabAsync(['classifiers', 'resume', 'tiny-unsafe', '--json']);
  }, 400_000);

  it('stops a training at a step when another process cancels it, and resumes it to the end', () => {
    expect(cancelled.code, cancelled.stderr).toBe(1);
    expect(cancelled.json.error.kind).toBe('cancelled');
    expect(cancelled.json.classifier.state).toBe('cancelled');
    expect(cancelled.json.classifier.training.step).toBeLessThan(60);
    expect(resumed.code, resumed.stderr).toBe(0);
    const c = resumed.json.classifier;
    expect(c.state).toBe('ready');
    expect(c.training.step).toBe(60);
    expect(c.training.totalSteps).toBe(60);
    expect(c.training.examples).toEqual({ train: 168, dev: 24, test: 48 });
    expect(c.validation.n).toBe(48);
    expect(c.validation.split).toBe('cmd-demo/test');
    for (const k of ['accuracy', 'macroF1']) expect(c.validation[k]).toBeGreaterThanOrEqual(0);
    const list = run(['classifiers', '--json']);
    expect(list.json.classifiers.map((x: { name: string }) => x.name)).toEqual(['tiny-unsafe']);
    const human = run(['classifiers']);
    expect(human.stdout).toMatch(/tiny-unsafe\s+trained\s+ready\s+P\(Unsafe\)\s+unsafe/);
    // Printed for the report: the tiny classifier's validation on the demo test split.
    console.log(
      `tiny-unsafe validation: ${JSON.stringify(c.validation)}; loss ${c.training.initialLoss} → ${c.training.finalLoss}`,
    );
  });

  it('registers a folder (its classes read from config.json) and a Hugging Face id (classes read at first use)', () => {
    const model = resumed.json.classifier.model as string;
    const folder = run([
      'classifiers',
      'add',
      '--name',
      'copy',
      '--folder',
      model,
      '--positive',
      'Unsafe',
      '--measure',
      'unsafe',
      '--json',
    ]);
    expect(folder.code, folder.stderr).toBe(0);
    expect(folder.json.classifier).toMatchObject({
      source: 'folder',
      labels: ['Benign', 'Unsafe'],
      version: resumed.json.classifier.version,
    });
    const wrong = run(['classifiers', 'add', '--name', 'bad', '--folder', model, '--positive', 'LABEL_1']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/has no class "LABEL_1" \(its classes: Benign, Unsafe\)/);
    const hub = run([
      'classifiers',
      'add',
      '--name',
      'toxigen',
      '--hf',
      'tomh/toxigen_roberta',
      '--positive',
      'LABEL_1',
      '--json',
    ]);
    expect(hub.code, hub.stderr).toBe(0);
    expect(hub.json.classifier).toMatchObject({
      source: 'hf',
      model: 'tomh/toxigen_roberta',
      labels: null,
      measure: 'toxicity',
    });
    const both = run(['classifiers', 'add', '--name', 'x', '--hf', 'a/b', '--folder', model, '--positive', 'p']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give one of --hf ID or --folder PATH/);
    const notId = run(['classifiers', 'add', '--name', 'y', '--hf', 'not an id', '--positive', 'p']);
    expect(notId.code).toBe(2);
    expect(notId.stderr).toMatch(/not a Hugging Face model id/);
  });

  it.skipIf(!hasSharedData(...TRAITS))(
    'imports the 215 Image-Chat traits, and a broken copy keeps its valid lines',
    () => {
      const ok = run(['classifiers', 'traits', 'image-chat', '--file', sharedData(...TRAITS), '--json']);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.json).toEqual({ traitList: 'image-chat', traits: 215, rejected: [] });
      const lines = fs.readFileSync(sharedData(...TRAITS), 'utf8').split('\n');
      lines.splice(1, 0, 'Broken (gloss');
      const copy = path.join(tempDir(), 'traits.txt');
      fs.writeFileSync(copy, lines.join('\n'));
      const broken = run(['classifiers', 'traits', 'broken', '--file', copy]);
      expect(broken.code, broken.stderr).toBe(0);
      expect(broken.stdout).toMatch(/broken: 215 traits/);
      expect(broken.stderr).toContain(`${copy}:2: "Broken (gloss" is not "Trait" or "Trait (gloss, gloss)" (skipped)`);
      const show = run(['classifiers', 'traits', 'image-chat', '--json']);
      expect(show.json.traitList.traits[2]).toEqual({ name: 'Articulate', glosses: ['Well-spoken', 'Expressive'] });
    },
  );

  it('is a scorer: srlab scorers score --spec hf:NAME gives P(Unsafe) with the 0.5 verdict, cached the second time', () => {
    const texts = ['OK boomer. Nobody cares what a washed-up old fossil thinks.', 'The meeting starts at noon.'];
    const args = ['scorers', 'score', '--spec', 'hf:tiny-unsafe', ...texts.flatMap((t) => ['--text', t]), '--json'];
    const first = run(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.scorer).toMatchObject({
      id: 'hf:tiny-unsafe',
      version: resumed.json.classifier.version,
      measure: 'unsafe',
    });
    expect(first.json.results).toHaveLength(2);
    for (const r of first.json.results as { score: number; label: string; probs: Record<string, number> }[]) {
      expect(r.score).toBeCloseTo(r.probs.Unsafe!, 12);
      expect(r.probs.Unsafe! + r.probs.Benign!).toBeCloseTo(1, 6);
      expect(r.label).toBe(r.score > 0.5 ? 'Unsafe' : 'Benign');
    }
    const again = run(args);
    expect(again.json.cached).toBe(2);
    expect(again.json.results.map((r: { score: number }) => r.score)).toEqual(
      first.json.results.map((r: { score: number }) => r.score),
    );
  });

  it('removes a classifier, deleting a trained one’s files only when asked', () => {
    const runDir = resumed.json.classifier.training.runDir as string;
    expect(run(['classifiers', 'remove', 'copy', '--delete-files', '--json']).json).toEqual({
      removed: 'copy',
      deletedFiles: false,
    });
    // The registered copy pointed at the trained folder: that folder is not the copy's to delete.
    expect(fs.existsSync(runDir)).toBe(true);
    expect(run(['classifiers', 'remove', 'tiny-unsafe', '--delete-files', '--json']).json).toEqual({
      removed: 'tiny-unsafe',
      deletedFiles: true,
    });
    expect(fs.existsSync(runDir)).toBe(false);
    const gone = run(['classifiers', 'show', 'tiny-unsafe']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/no classifier "tiny-unsafe"/);
  });
});
