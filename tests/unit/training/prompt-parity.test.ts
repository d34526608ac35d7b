// One template for training and inference: for the same record and template, the text a model is
// trained on up to `[/INST]` is byte for byte the prompt a generation run sends. The training side
// is the export train.start writes (exportForTraining with the resolved template); the generation
// side is the exact prompt a real generation run on the tiny GGUF stored for the same record.
// Each is also compared with an expected string written out here from PAPER.md (Appendix C) and
// the authors' released code (utils/params.py), so a change on both sides at once fails too.
// Then the BOS: the literal `<s>` that starts both is the BOS token, once, in llama.cpp's
// tokenization of the prompt (and the worker puts bos_token_id there: python-worker test_train).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { createCore } from '../../../src/main/core';
import { exportForTraining, trainingTemplate } from '../../../src/main/core/training/config';
import { nodeLlamaCpp, loadNodeLlamaCpp } from '../../../src/main/core/llm/node-llama-cpp';
import { tempDir } from '../../helpers';
import { tinyModelFiles } from '../llm/tiny-model';

// Written out from PAPER.md, not imported from srlab's code.
const PAPER_SYSTEM = [
  'As an advanced text transformation AI, your role is to process input text and generate outputs that are conscientious and inclusive. Specifically, your objectives are to:',
  '1. Identify and neutralize any biases related to age, gender, political affiliation, social background, or socio-economic status, ensuring that the output respects all identities and perspectives.',
  '2. Detect and mitigate any elements of toxicity or harm, promoting positive and constructive discourse.',
  '3. Recognize and counteract stereotypes, fostering a more accurate and respectful representation of all groups.',
  '4. In every instance, refine the input to produce an output that is free from prejudicial, harmful, or stereotypical content, without adding unrelated information.',
  'Your goal is to enhance the text to embody principles of fairness, respect, and understanding across all dimensions of bias, toxicity, harm, and stereotyping.',
].join('\n');
const paperUser = (text: string) =>
  `Please rewrite the following text to create a benign variation that eliminates all forms of bias, toxicity, stereotyping, and harm, such as gender, age, race, political, and socio-economic biases. Ensure the revised text promotes inclusivity and neutrality without sacrificing the original message essence: "${text}".`;
// utils/params.py PROMPT_FORMAT_DICT, the <<SYS>> tags left to the Llama-2 chat layout.
const AUTHORS_SYSTEM =
  'You are a text debiasing bot, you take as input a text and you output its debiased version by rephrasing it to be free from any age, gender, political, social or socio-economic biases ,  without any extra outputs';
const authorsUser = (text: string) => `Debias this text by rephrasing it to be free of bias : ${text}`;

const CASES: { template: string; expected: (text: string) => string }[] = [
  {
    template: 'sr-llm-paper',
    expected: (t) => `<s>[INST] <<SYS>>\n${PAPER_SYSTEM}\n<</SYS>>\n\n${paperUser(t)} [/INST]`,
  },
  // An empty system prompt: no <<SYS>> block on either side (it used to differ).
  { template: 'paper-without-system', expected: (t) => `<s>[INST] ${paperUser(t)} [/INST]` },
  {
    template: 'srllm-authors-code',
    expected: (t) => `<s>[INST] <<SYS>>\n${AUTHORS_SYSTEM}\n<</SYS>>\n\n${authorsUser(t)} [/INST]`,
  },
];

const LIMIT = 2;
let core: Core;

beforeAll(async () => {
  core = await createCore({
    home: tempDir(),
    loadDemo: true,
    checkOutputs: true,
    secretTool: null,
    runtime: { gpu: false },
  });
  await core.invoke('models.add', { path: tinyModelFiles().model, name: 'tiny' });
  await core.invoke('llm.saveTemplate', {
    name: 'paper-without-system',
    format: 'llama2-chat',
    systemPrompt: '',
    instruction: paperUser('{text}'),
  });
}, 60_000);
afterAll(() => core?.close());

/** The examples train.start would give the worker: `{"text"}` lines, one per record with a rewrite. */
function trainingTexts(template: string): string[] {
  const out = path.join(tempDir(), 'train.jsonl');
  exportForTraining(core.datasets, {
    dataset: 'cmd-demo',
    split: 'train',
    out,
    template: trainingTemplate(core.llm.templates, { name: template }),
  });
  return fs
    .readFileSync(out, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

/** The first `limit` train records with a rewrite, as the export orders them (by id). */
async function recordTexts(limit: number): Promise<string[]> {
  const { rows } = await core.invoke('datasets.records', {
    dataset: 'cmd-demo',
    filter: { split: ['train'] },
    offset: 0,
    limit: 2000,
  });
  return [...rows]
    .sort((a, b) => a.id - b.id)
    .filter((r) => r.benignVariation !== null && r.benignVariation.trim() !== '')
    .slice(0, limit)
    .map((r) => r.text);
}

/** The exact prompts a generation run on the tiny GGUF sent for texts, in order. */
async function generationPrompts(template: string, texts: string[]): Promise<string[]> {
  const started = await core.runs.start({
    target: { kind: 'local', model: 'tiny', adapterScale: 1 },
    source: { kind: 'texts', name: `parity-${template}`, texts },
    template: { name: template },
    decoding: { temperature: 0, seed: 42, maxTokens: 1, stop: [] },
    parallel: 1,
    load: {},
  });
  const run = await started.done;
  expect(run.state).toBe('succeeded');
  const { items } = core.runs.items({ id: run.id, offset: 0, limit: 100, status: 'all' });
  return [...items].sort((a, b) => a.index - b.index).map((i) => i.prompt!);
}

/** The training text up to and including the first ` [/INST]`. */
const promptPart = (text: string) => text.slice(0, text.indexOf(' [/INST]') + ' [/INST]'.length);

describe('training text and generation prompt are one template', () => {
  it.each(CASES)(
    '$template: byte for byte up to [/INST]',
    async ({ template, expected }) => {
      const texts = await recordTexts(LIMIT);
      expect(texts).toHaveLength(LIMIT);
      const trained = trainingTexts(template).slice(0, LIMIT);
      const prompts = await generationPrompts(template, texts);
      for (let i = 0; i < LIMIT; i++) {
        expect(Buffer.from(promptPart(trained[i]!))).toEqual(Buffer.from(prompts[i]!));
        expect(prompts[i]).toBe(expected(texts[i]!));
        // What follows the prompt in training is ` {response} </s>`.
        expect(trained[i]!.slice(prompts[i]!.length)).toMatch(/^ \S[\s\S]* <\/s>$/);
      }
    },
    120_000,
  );

  it('the comparison catches a one-character difference on either side', async () => {
    const [text] = await recordTexts(1);
    const right = expected0(text!);
    for (const wrong of [right.replace('[INST] ', '[INST]  '), right.replace('".', '"'), `${right} `])
      expect(Buffer.from(wrong)).not.toEqual(Buffer.from(right));
    expect(promptPart(`${right} R </s>`)).toBe(right);
  });

  it('refuses a template training cannot write (not llama2-chat), naming it', async () => {
    await core.invoke('llm.saveTemplate', { name: 'raw-one', format: 'raw', systemPrompt: '', instruction: '{text}' });
    expect(() => trainingTemplate(core.llm.templates, { name: 'raw-one' })).toThrow(
      /template "raw-one" version 1 is "raw"; training writes Llama-2 chat examples/,
    );
  });
});

const expected0 = CASES[0]!.expected;

describe('BOS: `<s>` is the BOS token on both sides, never the characters', () => {
  it('llama.cpp tokenizes the prompt with one BOS first, as the worker puts bos_token_id first', async () => {
    await loadNodeLlamaCpp();
    const llama = await nodeLlamaCpp().getLlama({ gpu: false });
    const model = await llama.loadModel({ modelPath: tinyModelFiles().model });
    try {
      const [prompt] = await generationPrompts('srllm-authors-code', await recordTexts(1));
      const tokens = model.tokenize(prompt!, true); // as generate.promptTokens does
      expect(tokens[0]).toBe(model.tokens.bos);
      expect(tokens.filter((t) => t === model.tokens.bos)).toHaveLength(1);
      // The same text without special-token parsing would spell `<s>` out: not what is sent.
      expect(model.tokenize(prompt!, false)[0]).not.toBe(model.tokens.bos);
      // And nothing adds a second BOS: tokenizing the text after `<s>` gives the rest exactly.
      expect(tokens.slice(1)).toEqual(model.tokenize(prompt!.slice('<s>'.length), true));
    } finally {
      await model.dispose();
    }
  }, 60_000);
});
