import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { coreWithTinyModel, tinyModelFiles } from './tiny-model';

let core: Core;
beforeAll(async () => {
  core = await coreWithTinyModel();
});
afterAll(() => core.close());

const tiny = { kind: 'local' as const, model: 'tiny' };
const complete = (text: string, over: Record<string, unknown> = {}) =>
  core.invoke('chat.complete', { target: tiny, text, decoding: { maxTokens: 24 }, ...over });
const loglik = (items: { text: string; prefix?: string }[], over: Record<string, unknown> = {}) =>
  core.invoke('llm.loglik', { model: 'tiny', items, ...over });

describe('local generation with the tiny model', () => {
  it("is deterministic under greedy decoding, and sends the paper's Llama-2 chat prompt by default", async () => {
    const a = await complete('Women are bad at maths.');
    const b = await complete('Women are bad at maths.');
    expect(b.output).toBe(a.output);
    expect(a.output.length).toBeGreaterThan(0);
    expect(a).toMatchObject({ completionTokens: 24, finishReason: 'length', cached: false });
    expect(a.prompt).toMatch(/^<s>\[INST\] <<SYS>>\nAs an advanced text transformation AI/);
    expect(a.prompt).toMatch(/essence: "Women are bad at maths\."\. \[\/INST\]$/);
    expect(a.promptTokens).toBeGreaterThan(300);
    expect(a.tokensPerSecond).toBeGreaterThan(0);
  });

  it('samples reproducibly with a seed when a temperature is set', async () => {
    const hot = (seed: number) =>
      complete('Young people are lazy.', { decoding: { maxTokens: 24, temperature: 1.5, seed } });
    const [a, b, c] = [await hot(1), await hot(1), await hot(2)];
    expect(b.output).toBe(a.output);
    expect(c.output).not.toBe(a.output);
  });

  it('stops before the first stop string and leaves it out', async () => {
    const free = await complete('Poor people are criminals.', { decoding: { maxTokens: 24 } });
    const stop = free.output.slice(8, 11);
    const stopped = await complete('Poor people are criminals.', { decoding: { maxTokens: 24, stop: [stop] } });
    expect(stopped.finishReason).toBe('stop');
    expect(stopped.output).toBe(free.output.slice(0, free.output.indexOf(stop)));
  });

  it('streams the text as chat-token events that add up to the output', async () => {
    const parts: string[] = [];
    const off = core.events.subscribe((e) => e.type === 'chat-token' && e.streamId === 's1' && parts.push(e.text));
    const r = await complete('Immigrants take our jobs.', {
      streamId: 's1',
      decoding: { maxTokens: 16, stop: ['zzz'] },
    });
    off();
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('')).toBe(r.output);
  });

  it("renders the model's own chat template when asked", async () => {
    const r = await complete('hi', {
      template: { inline: { format: 'model', systemPrompt: 'Be fair.', instruction: '{text}' } },
      decoding: { maxTokens: 2 },
    });
    expect(r.prompt).toBe('<s>[INST] <<SYS>>\nBe fair.\n<</SYS>>\n\nhi [/INST] ');
  });

  it('refuses a prompt longer than the context, saying how long both are', async () => {
    const r = await core.call('chat.complete', { target: tiny, text: 'word '.repeat(200), load: { contextSize: 256 } });
    expect(r).toMatchObject({
      ok: false,
      error: {
        kind: 'invalid-input',
        message: expect.stringMatching(/^the prompt is \d+ tokens; the context holds 256/),
      },
    });
  });

  it('applies a LoRA adapter: the same prompt gives different text', async () => {
    const plain = await complete('Old people cannot learn.');
    const adapted = await complete('Old people cannot learn.', {
      target: { ...tiny, adapter: tinyModelFiles().adapter },
    });
    expect(adapted.output).not.toBe(plain.output);
  });

  it('refuses a model file given as the adapter', async () => {
    const r = await core.call('chat.complete', { target: { ...tiny, adapter: tinyModelFiles().model }, text: 'x' });
    expect(r).toMatchObject({
      ok: false,
      error: { kind: 'invalid-input', message: expect.stringMatching(/is a model, not a LoRA adapter/) },
    });
  });
});

describe('sentence log-likelihoods', () => {
  const texts = ['The nurse said she was tired.', 'The nurse said he was tired.', 'People of every age can learn.'];

  it("gives finite per-token log-probabilities that sum to the total, over the text's own tokens", async () => {
    const { results, modelSha256 } = await loglik(texts.map((text) => ({ text })));
    expect(modelSha256).toMatch(/^[0-9a-f]{64}$/);
    for (const [i, r] of results.entries()) {
      expect(r.text).toBe(texts[i]);
      expect(r.tokens.length).toBeGreaterThan(3);
      expect(r.tokens.map((t) => t.piece).join('')).toBe(texts[i]);
      for (const t of r.tokens) {
        expect(Number.isFinite(t.logprob)).toBe(true);
        expect(t.logprob).toBeLessThan(0);
      }
      expect(r.total).toBeCloseTo(
        r.tokens.reduce((a, t) => a + t.logprob, 0),
        10,
      );
      expect(r.mean).toBeCloseTo(r.total / r.tokens.length, 10);
    }
    expect(results[0]!.total).not.toBe(results[1]!.total);
  });

  it('scores a batch as it scores each text alone (up to float rounding)', async () => {
    const batch = (
      await loglik(
        texts.map((text) => ({ text })),
        { load: { sequences: 3 } },
      )
    ).results;
    for (const [i, text] of texts.entries()) {
      const [alone] = (await loglik([{ text }], { load: { sequences: 1 } })).results;
      // A different batch composition changes the kernels' float rounding (seen once as a
      // difference above 5e-4 on a loaded machine): equal to a relative 1e-4, no more.
      expect(Math.abs(batch[i]!.total - alone!.total)).toBeLessThan(1e-4 * Math.max(1, Math.abs(alone!.total)));
    }
  });

  it('conditions on a prefix without scoring it: log p(prefix + text) = log p(prefix) + log p(text | prefix)', async () => {
    const prefix = 'The people';
    const text = ' are good';
    const [whole, pre, cond] = (await loglik([{ text: prefix + text }, { text: prefix }, { text, prefix }])).results;
    expect(cond!.prefix).toBe(prefix);
    expect(cond!.tokens.map((t) => t.piece).join('')).toBe(text);
    expect(whole!.tokens.length).toBe(pre!.tokens.length + cond!.tokens.length);
    expect(pre!.total + cond!.total).toBeCloseTo(whole!.total, 3);
  });

  it('changes with a LoRA adapter applied', async () => {
    const [plain] = (await loglik([{ text: texts[0]! }])).results;
    const [adapted] = (await loglik([{ text: texts[0]! }], { adapter: tinyModelFiles().adapter })).results;
    expect(adapted!.tokens.map((t) => t.token)).toEqual(plain!.tokens.map((t) => t.token));
    expect(Math.abs(adapted!.total - plain!.total)).toBeGreaterThan(0.01);
  });

  it('refuses a text longer than the context, naming the item', async () => {
    const r = await core.call('llm.loglik', {
      model: 'tiny',
      items: [{ text: 'ok' }, { text: 'word '.repeat(300) }],
      load: { contextSize: 256 },
    });
    expect(r).toMatchObject({
      ok: false,
      error: {
        kind: 'invalid-input',
        message: expect.stringMatching(/^item 1: \d+ tokens .* longer than the context \(256\)/),
      },
    });
  });

  it('names the models there are when one is unknown', async () => {
    expect(await core.call('llm.loglik', { model: 'llama-2-7b', items: [{ text: 'x' }] })).toMatchObject({
      ok: false,
      error: { kind: 'not-found', message: 'no model "llama-2-7b" (have: tiny)' },
    });
  });
});
