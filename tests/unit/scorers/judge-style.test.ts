// Style-trait probabilities through an LLM judge on the tiny GGUF, over traits of the real
// ParlAI Image-Chat list (../shared/data/style-traits): the grammar keeps every answer inside
// the list, and the weights become a distribution over the whole list.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import {
  createJudgeStyleScorer,
  styleDistribution,
  styleJudgePrompt,
  STYLE_JUDGE_TOP,
} from '../../../src/main/core/scorers/judge-style';
import { hasSharedData, sharedData } from '../../helpers';
import { coreWithTinyModel } from '../llm/tiny-model';

const TRAITS_FILE = ['style-traits', 'image_chat_personalities.txt'];
const haveTraits = hasSharedData(...TRAITS_FILE);

let core: Core;
let names: string[] = [];
beforeAll(async () => {
  core = await coreWithTinyModel();
  if (!haveTraits) return;
  // The first 12 traits of the 215: the whole list's prompt is longer than the tiny model's context.
  const text = fs
    .readFileSync(sharedData(...TRAITS_FILE), 'utf8')
    .split('\n')
    .slice(0, 12)
    .join('\n');
  const { traitList } = await core.invoke('classifiers.addTraits', {
    name: 'image-chat-12',
    source: { kind: 'text', text },
  });
  names = traitList.traits.map((t) => t.name);
}, 60_000);
afterAll(async () => core?.close());

describe('the judge style distribution', () => {
  const list = ['Adventurous', 'Brilliant', 'Calm'];

  it('normalises the weights over the whole list, adding up a trait named twice', () => {
    const out = JSON.stringify({
      traits: [
        { trait: 'Calm', weight: 0.3 },
        { trait: 'Brilliant', weight: 0.5 },
        { trait: 'Calm', weight: 0.2 },
      ],
    });
    expect(styleDistribution(out, list)).toEqual({ Adventurous: 0, Brilliant: 0.5, Calm: 0.5 });
  });

  it('gives the named traits equal shares when every weight is 0', () => {
    const out = '{"traits": [{"trait": "Calm", "weight": 0}, {"trait": "Adventurous", "weight": 0}]}';
    expect(styleDistribution(out, list)).toEqual({ Adventurous: 0.5, Brilliant: 0, Calm: 0.5 });
  });

  it('refuses a trait outside the list, an empty answer and a truncated one', () => {
    expect(() => styleDistribution('{"traits": [{"trait": "Rude", "weight": 1}]}', list)).toThrow(
      /not in the list: "Rude"/,
    );
    expect(() => styleDistribution('{"traits": []}', list)).toThrow(/named no traits/);
    expect(() => styleDistribution('{"traits": [{"trait": "Ca', list)).toThrow(/not complete JSON/);
  });

  it('lists the traits with their glosses in the prompt', () => {
    const p = styleJudgePrompt(
      [
        { name: 'Appreciative', glosses: ['Grateful'] },
        { name: 'Calm', glosses: [] },
      ],
      'hello',
    );
    expect(p).toContain('Traits:\nAppreciative (Grateful)\nCalm\n');
    expect(p).toContain(`Choose 1 to ${STYLE_JUDGE_TOP} traits`);
    expect(p.endsWith('Text:\n"""\nhello\n"""')).toBe(true);
  });
});

describe.skipIf(!haveTraits)('the judge style scorer on the tiny model', () => {
  it('gives every text a distribution over the list, its top trait as label and score', async () => {
    expect(names).toHaveLength(12);
    const scorer = await createJudgeStyleScorer(
      { kind: 'style', via: 'judge', model: 'tiny', traits: 'image-chat-12' },
      { llm: core.llm, classifiers: core.classifiers },
    );
    expect(scorer.info).toMatchObject({ id: 'style:judge:tiny:image-chat-12', measure: 'style' });
    const texts = ['What a wonderful trip to the mountains!', 'I do not care.', 'Thank you so much, "really".'];
    const results = await scorer.score(texts);
    for (const r of results) {
      expect(r.error).toBeNull();
      expect(Object.keys(r.probs!).sort()).toEqual([...names].sort());
      const values = Object.values(r.probs!);
      expect(values.reduce((a, p) => a + p, 0)).toBeCloseTo(1, 9);
      expect(values.filter((p) => p > 0).length).toBeLessThanOrEqual(STYLE_JUDGE_TOP);
      expect(r.score).toBe(Math.max(...values));
      expect(r.probs![r.label!]).toBe(r.score);
    }
  }, 60_000);

  it('needs a model, and a trait list that exists', async () => {
    const deps = { llm: core.llm, classifiers: core.classifiers };
    await expect(
      createJudgeStyleScorer({ kind: 'style', via: 'judge', traits: 'image-chat-12' }, deps),
    ).rejects.toThrow(/needs a model/);
    await expect(
      createJudgeStyleScorer({ kind: 'style', via: 'judge', model: 'tiny', traits: 'no-such-list' }, deps),
    ).rejects.toThrow(/no trait list "no-such-list"/);
  });
});
