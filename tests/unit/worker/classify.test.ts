// classifyTexts: the worker's `classify` job through the typed contract, on a tiny random
// LlamaForSequenceClassification built here from the tiny Llama fixture's config (nothing is
// downloaded). The scores must be the model's: equal to a softmax of the logits computed
// directly with transformers, the same on a second call, and different for different texts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyTexts } from '../../../src/main/core/worker/classify';
import { defaultVenv, venvPython, workerRoot } from '../../../src/main/core/worker/paths';
import { WorkerError, WorkerProcess } from '../../../src/main/core/worker/process';
import { tempDir } from '../../helpers';

const python = venvPython(defaultVenv());
const hasVenv = fs.existsSync(python);

const TEXTS = ['old people cannot learn new tools', 'the meeting starts at noon', 'x'];

/** A worker service reduced to what classifyTexts needs: a fresh worker per call. */
const service = { spawn: () => WorkerProcess.start({ python, root: workerRoot(), readyTimeoutMs: 60_000 }) };

describe.skipIf(!hasVenv)('classifyTexts (worker venv)', () => {
  let dir: string;
  let model: string;

  beforeAll(() => {
    dir = tempDir('srlab-classify-');
    const tiny = path.join(dir, 'tiny');
    model = path.join(dir, 'clf');
    execFileSync(python, [path.join(workerRoot(), 'scripts', 'make_tiny_llama.py'), tiny], { stdio: 'pipe' });
    execFileSync(
      python,
      [
        '-c',
        `import sys, shutil, torch
from pathlib import Path
from transformers import LlamaConfig, LlamaForSequenceClassification
tiny, out = Path(sys.argv[1]), Path(sys.argv[2])
cfg = LlamaConfig.from_pretrained(tiny)
cfg.num_labels = 2
cfg.id2label = {0: "non-toxic", 1: "toxic"}
cfg.label2id = {"non-toxic": 0, "toxic": 1}
torch.manual_seed(0)
LlamaForSequenceClassification(cfg).save_pretrained(out, safe_serialization=True)
for name in ("tokenizer.model", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
    if (tiny / name).is_file():
        shutil.copy(tiny / name, out / name)`,
        tiny,
        model,
      ],
      { stdio: 'pipe' },
    );
  }, 180_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Softmax of the model's logits, one text at a time, straight from transformers. */
  function reference(texts: string[]): number[][] {
    const out = execFileSync(
      python,
      [
        '-c',
        `import sys, json, torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer
tok = AutoTokenizer.from_pretrained(sys.argv[1]); m = AutoModelForSequenceClassification.from_pretrained(sys.argv[1]).eval()
if tok.pad_token_id is None: tok.pad_token = tok.eos_token or tok.unk_token
m.config.pad_token_id = tok.pad_token_id
rows = []
with torch.no_grad():
    for t in json.loads(sys.argv[2]):
        rows.append(torch.softmax(m(**tok([t], return_tensors="pt")).logits.float(), dim=-1)[0].tolist())
print(json.dumps(rows))`,
        model,
        JSON.stringify(texts),
      ],
      { encoding: 'utf8' },
    );
    return JSON.parse(out) as number[][];
  }

  it('scores every text with the model’s own probabilities, named by its labels', async () => {
    const progress: number[] = [];
    const r = await classifyTexts(
      service,
      { model, texts: TEXTS, batchSize: 2 },
      { onProgress: (d) => progress.push(d) },
    );
    expect(r.labels).toEqual(['non-toxic', 'toxic']);
    expect(r.results).toHaveLength(TEXTS.length);
    expect(progress).toEqual([0, 2, 3]);
    const want = reference(TEXTS);
    r.results.forEach((row, i) => {
      expect(row.probs['non-toxic']).toBeCloseTo(want[i]![0]!, 4);
      expect(row.probs.toxic).toBeCloseTo(want[i]![1]!, 4);
      expect(row.label).toBe(row.probs.toxic! > row.probs['non-toxic']! ? 'toxic' : 'non-toxic');
    });
    // Negative control: different texts get different scores (a constant answer would pass the rest).
    const toxic = r.results.map((row) => row.probs.toxic!);
    expect(new Set(toxic.map((p) => p.toFixed(6))).size).toBe(TEXTS.length);
    // The same model scores the same text the same way on another call (another worker process).
    const again = await classifyTexts(service, { model, texts: [TEXTS[0]!] });
    expect(again.results[0]!.probs.toxic).toBeCloseTo(toxic[0]!, 5);
  }, 120_000);

  it('a folder that is not a classifier is a typed worker error', async () => {
    const err = await classifyTexts(service, { model: path.join(dir, 'nothing-here'), texts: ['a'] }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkerError);
    expect((err as WorkerError).code).toBe('bad-model');
  }, 60_000);
});
