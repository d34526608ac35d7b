// Style-trait scorers via Hugging Face classifiers, on tiny random classifiers built here from
// the tiny Llama's config (its tokenizer trained on our demo data; nothing is downloaded):
// - an NLI classifier scores the real 215 ParlAI traits zero-shot (one distribution per text);
// - a style classifier whose classes include the traits is restricted to the list and
//   renormalised: its ratios are the classifier's own (checked against `classify` directly).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { createStyleScorer } from '../../../src/main/core/scorers/style';
import { classifyTexts } from '../../../src/main/core/worker/classify';
import { defaultVenv, venvPython, workerRoot } from '../../../src/main/core/worker/paths';
import { hasSharedData, sharedData, tempDir } from '../../helpers';

const python = venvPython(defaultVenv());
const hasVenv = fs.existsSync(python);
if (!hasVenv && process.env.CI) throw new Error(`CI needs the worker venv at ${defaultVenv()}`);
const TRAITS_FILE = ['style-traits', 'image_chat_personalities.txt'];
const FIVE = ['Adventurous', 'Appreciative', 'Articulate', 'Attractive', 'Brilliant'];
const TEXTS = ['You are all wrong and I will not listen.', 'Thank you so much for the lovely gift!'];

describe.skipIf(!hasVenv || !hasSharedData(...TRAITS_FILE))('style scorers via hf (worker venv)', () => {
  let core: Core;
  let dir: string;

  beforeAll(async () => {
    process.env.SRLAB_TORCH_THREADS = '2';
    dir = tempDir('srlab-style-');
    const tiny = path.join(dir, 'tiny');
    execFileSync(python, [path.join(workerRoot(), 'scripts', 'make_tiny_llama.py'), tiny], { stdio: 'pipe' });
    // Two random classifiers on the tiny Llama: an NLI one, and a style one (five traits + Other).
    execFileSync(
      python,
      [
        '-c',
        `import sys, json, torch
from pathlib import Path
from transformers import AutoTokenizer, LlamaConfig, LlamaForSequenceClassification
tiny, out = Path(sys.argv[1]), Path(sys.argv[2])
for name, labels in (("nli", ["contradiction", "neutral", "entailment"]), ("style", json.loads(sys.argv[3]) + ["Other"])):
    cfg = LlamaConfig.from_pretrained(tiny)
    cfg.num_labels = len(labels)
    cfg.id2label = dict(enumerate(labels))
    cfg.label2id = {v: k for k, v in cfg.id2label.items()}
    torch.manual_seed(0)
    LlamaForSequenceClassification(cfg).save_pretrained(out / name, safe_serialization=True)
    AutoTokenizer.from_pretrained(tiny).save_pretrained(out / name)`,
        tiny,
        dir,
        JSON.stringify(FIVE),
      ],
      { stdio: 'pipe' },
    );
    core = await createCore({ home: tempDir(), checkOutputs: true, secretTool: null, runtime: { gpu: false } });
    await core.invoke('classifiers.addTraits', {
      name: 'image-chat',
      source: { kind: 'path', path: sharedData(...TRAITS_FILE) },
    });
    await core.invoke('classifiers.addTraits', { name: 'five', source: { kind: 'text', text: FIVE.join('\n') } });
    for (const [name, positive] of [
      ['nli', 'entailment'],
      ['style', 'Adventurous'],
    ] as const)
      await core.invoke('classifiers.add', {
        name,
        source: { kind: 'folder', path: path.join(dir, name) },
        positive,
        measure: 'style',
      });
  }, 180_000);

  afterAll(async () => {
    await core?.close();
  });

  it('scores the 215 Image-Chat traits zero-shot with an NLI classifier', async () => {
    const scorer = await createStyleScorer(
      { kind: 'style', via: 'hf', classifier: 'nli', traits: 'image-chat' },
      { classifiers: core.classifiers },
    );
    expect(scorer.info.id).toBe('style:hf:nli:image-chat');
    expect(scorer.info.measure).toBe('style');
    expect(scorer.info.description).toMatch(/zero-shot/);
    const out = await scorer.score(TEXTS);
    expect(out).toHaveLength(2);
    for (const r of out) {
      const probs = Object.entries(r.probs!);
      expect(probs).toHaveLength(215);
      expect(probs.reduce((s, [, p]) => s + p, 0)).toBeCloseTo(1, 6);
      // Named as the list spells them (the hypotheses are lower-cased).
      expect(r.probs!.Articulate).toBeGreaterThan(0);
      const best = probs.reduce((a, b) => (b[1] > a[1] ? b : a));
      expect(r.label).toBe(best[0]);
      expect(r.score).toBe(best[1]);
      expect(r.error).toBeNull();
    }
    // Negative control: the two texts get different distributions.
    expect(out[0]!.probs!.Articulate).not.toBeCloseTo(out[1]!.probs!.Articulate!, 8);
    // Another trait list is another scorer version (cached scores must not mix).
    const five = await createStyleScorer(
      { kind: 'style', via: 'hf', classifier: 'nli', traits: 'five' },
      { classifiers: core.classifiers },
    );
    expect(five.info.version).not.toBe(scorer.info.version);
  }, 120_000);

  it('restricts a style classifier to the list’s traits, keeping its own ratios', async () => {
    const scorer = await createStyleScorer(
      { kind: 'style', via: 'hf', classifier: 'style', traits: 'five' },
      { classifiers: core.classifiers },
    );
    const [out, direct] = await Promise.all([
      scorer.score(TEXTS),
      classifyTexts(core.worker, { model: path.join(dir, 'style'), texts: TEXTS }),
    ]);
    out.forEach((r, i) => {
      const raw = direct.results[i]!.probs;
      const kept = FIVE.reduce((s, t) => s + raw[t]!, 0);
      expect(kept).toBeLessThan(1); // "Other" took some: renormalising matters
      expect(Object.keys(r.probs!)).toEqual(FIVE);
      for (const t of FIVE) expect(r.probs![t]!).toBeCloseTo(raw[t]! / kept, 6);
    });
  }, 120_000);

  it('refuses a list the classifier has no classes for, a judge spec, and a missing classifier', async () => {
    const deps = { classifiers: core.classifiers };
    await expect(
      createStyleScorer({ kind: 'style', via: 'hf', classifier: 'style', traits: 'image-chat' }, deps),
    ).rejects.toThrow(/no class for 210 of the 215 traits of "image-chat"/);
    await expect(createStyleScorer({ kind: 'style', via: 'judge', model: 'm', traits: 'five' }, deps)).rejects.toThrow(
      /createJudgeStyleScorer/,
    );
    await expect(createStyleScorer({ kind: 'style', via: 'hf', traits: 'five' }, deps)).rejects.toThrow(
      /needs a classifier/,
    );
    await expect(
      createStyleScorer({ kind: 'style', via: 'hf', classifier: 'style', traits: 'nope' }, deps),
    ).rejects.toThrow(/no trait list "nope"/);
  });
});
