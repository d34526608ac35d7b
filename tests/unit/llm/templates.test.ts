import { beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core';
import {
  AUTHORS_CODE_PROMPT,
  EXPORT_DEFAULTS,
  fillInstruction,
  llama2ChatText,
} from '../../../src/main/core/datasets/export';
import { loadNodeLlamaCpp } from '../../../src/main/core/llm/node-llama-cpp';
import { PAPER_TEMPLATE, renderPrompt } from '../../../src/main/core/llm/templates';
import { tempDir } from '../../helpers';

// Rendering a model's own chat template uses node-llama-cpp, which srlab loads on first use.
beforeAll(() => loadNodeLlamaCpp());

/** Renders system and user turns but never the assistant's: node-llama-cpp's sanity check rejects it. */
const LLAMA2_TEMPLATE_WITHOUT_ANSWERS =
  "{% for message in messages %}{% if message['role'] == 'system' %}{{ '<<SYS>>' + message['content'] + '<</SYS>>' }}" +
  "{% elif message['role'] == 'user' %}{{ bos_token + '[INST] ' + message['content'] + ' [/INST]' }}{% endif %}{% endfor %}";
const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

describe('prompt templates', () => {
  it("renders the paper's Llama-2 chat prompt exactly as the training export writes it, up to the response", () => {
    const prompt = renderPrompt(PAPER_TEMPLATE, 'Old people cannot use phones.', null);
    const training = llama2ChatText(
      EXPORT_DEFAULTS.systemPrompt,
      fillInstruction(EXPORT_DEFAULTS.instruction, 'Old people cannot use phones.'),
      'R',
    );
    expect(training.startsWith(prompt)).toBe(true);
    expect(training.slice(prompt.length)).toBe(' R </s>');
  });

  const cases: [string, Parameters<typeof renderPrompt>, string][] = [
    [
      'llama2-chat without a system prompt drops the <<SYS>> block',
      [{ format: 'llama2-chat', systemPrompt: '', instruction: 'Fix: {text}' }, 'x', null],
      '<s>[INST] Fix: x [/INST]',
    ],
    [
      "llama2-chat uses the model's own BOS text",
      [
        { format: 'llama2-chat', systemPrompt: 'S', instruction: '{text}' },
        'x',
        { chatTemplate: null, bos: '<BOS>', eos: null },
      ],
      '<BOS>[INST] <<SYS>>\nS\n<</SYS>>\n\nx [/INST]',
    ],
    [
      'raw is BOS, the system prompt and the instruction',
      [{ format: 'raw', systemPrompt: 'S', instruction: 'Rewrite: {text}\nAnswer:' }, 'x', null],
      '<s>S\n\nRewrite: x\nAnswer:',
    ],
    [
      'model without a chat template falls back to llama2-chat',
      [
        { format: 'model', systemPrompt: '', instruction: '{text}' },
        'x',
        { chatTemplate: null, bos: '<s>', eos: '</s>' },
      ],
      '<s>[INST] x [/INST]',
    ],
    [
      'model renders a ChatML template from the file',
      [
        { format: 'model', systemPrompt: 'S', instruction: '{text}' },
        'x',
        { chatTemplate: CHATML_TEMPLATE, bos: null, eos: null },
      ],
      '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nx<|im_end|>\n<|im_start|>assistant\n',
    ],
    [
      '{text} is filled literally ($ patterns are not special)',
      [
        { format: 'raw', systemPrompt: '', instruction: '{text} / {text}' },
        '$& $1',
        { chatTemplate: null, bos: '', eos: null },
      ],
      '$& $1 / $& $1',
    ],
  ];
  it.each(cases)('%s', (_label, args, expected) => {
    expect(renderPrompt(...args)).toBe(expected);
  });

  it('refuses a model chat template that drops messages, saying why', () => {
    const brokenTemplate = { chatTemplate: LLAMA2_TEMPLATE_WITHOUT_ANSWERS, bos: '<s>', eos: '</s>' };
    expect(() =>
      renderPrompt({ format: 'model', systemPrompt: 'S', instruction: '{text}' }, 'x', brokenTemplate),
    ).toThrow(/the model's chat template cannot be used: .*not present in the generated Jinja template output/);
  });

  it('keeps every version: saving under a name adds the next one; runs resolve a name to its latest', async () => {
    const core = await createCore({ home: tempDir(), loadDemo: false, checkOutputs: true, secretTool: null });
    try {
      const builtin = await core.invoke('llm.templates', {});
      expect(builtin.templates).toEqual([
        expect.objectContaining({
          name: 'sr-llm-paper',
          version: 2,
          builtin: true,
          format: 'llama2-chat',
          systemPrompt: EXPORT_DEFAULTS.systemPrompt,
          instruction: EXPORT_DEFAULTS.instruction,
        }),
        expect.objectContaining({
          name: 'srllm-authors-code',
          version: 1,
          builtin: true,
          format: 'llama2-chat',
          systemPrompt: AUTHORS_CODE_PROMPT.systemPrompt,
          instruction: 'Debias this text by rephrasing it to be free of bias : {text}',
        }),
      ]);
      // Version 1 stays as it was seeded: the instruction ended at the closing quote.
      const paperVersions = (await core.invoke('llm.templates', { name: 'sr-llm-paper', allVersions: true })).templates;
      expect(paperVersions.map((t) => t.version)).toEqual([1, 2]);
      expect(paperVersions[0]!.instruction.endsWith('essence: "{text}"')).toBe(true);
      expect(paperVersions[1]!.instruction.endsWith('essence: "{text}".')).toBe(true);
      const v1 = await core.invoke('llm.saveTemplate', {
        name: 'short',
        format: 'llama2-chat',
        systemPrompt: 'You are a text debiasing bot.',
        instruction: 'Debias this text by rephrasing it to be free of bias : {text}',
      });
      const v2 = await core.invoke('llm.saveTemplate', {
        name: 'short',
        format: 'raw',
        systemPrompt: '',
        instruction: 'Debias: {text}',
      });
      expect([v1.template.version, v2.template.version]).toEqual([1, 2]);
      expect(
        (await core.invoke('llm.templates', { name: 'short', allVersions: true })).templates.map((t) => t.version),
      ).toEqual([1, 2]);
      expect((await core.invoke('llm.renderPrompt', { template: { name: 'short' }, text: 'x' })).prompt).toBe(
        '<s>Debias: x',
      );
      expect(
        (await core.invoke('llm.renderPrompt', { template: { name: 'short', version: 1 }, text: 'x' })).prompt,
      ).toBe(
        '<s>[INST] <<SYS>>\nYou are a text debiasing bot.\n<</SYS>>\n\nDebias this text by rephrasing it to be free of bias : x [/INST]',
      );
      const bad = await core.call('llm.saveTemplate', {
        name: 'x',
        format: 'raw',
        systemPrompt: '',
        instruction: 'no placeholder',
      });
      expect(bad).toMatchObject({
        ok: false,
        error: { kind: 'invalid-input', message: expect.stringContaining('{text}') },
      });
      expect(await core.call('llm.renderPrompt', { template: { name: 'nope' }, text: 'x' })).toMatchObject({
        ok: false,
        error: { kind: 'not-found' },
      });
    } finally {
      await core.close();
    }
  });
});

describe('built-in templates are seeded once per version', () => {
  it('a data home seeded before version 2 gets it added as version 2, and reopening adds nothing', async () => {
    const home = tempDir();
    const first = await createCore({ home, loadDemo: false, checkOutputs: true, secretTool: null });
    // As a data home from before: only version 1 of the paper template.
    first.db.prepare("DELETE FROM prompt_templates WHERE NOT (name = 'sr-llm-paper' AND version = 1)").run();
    await first.close();
    for (let open = 0; open < 2; open++) {
      const core = await createCore({ home, loadDemo: false, checkOutputs: true, secretTool: null });
      try {
        const all = (await core.invoke('llm.templates', { allVersions: true })).templates;
        expect(all.map((t) => [t.name, t.version, t.builtin])).toEqual([
          ['sr-llm-paper', 1, true],
          ['sr-llm-paper', 2, true],
          ['srllm-authors-code', 1, true],
        ]);
        expect(all[0]!.instruction.endsWith('essence: "{text}"')).toBe(true);
        expect(all[1]!.instruction.endsWith('essence: "{text}".')).toBe(true);
      } finally {
        await core.close();
      }
    }
  });
});
