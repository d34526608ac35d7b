// Which sentences a likelihood metric scores, and how their scores go back to the items: StereoSet
// intrasentence only (intersentence skipped), each distinct sentence once, an item's sentences in
// one group, --limit counting scored items, and a missing field named.
import { describe, expect, it } from 'vitest';
import type { TestsetItem } from '../../../src/shared/contracts/testsets';
import { crowsItemScores, planSentences, stereosetItemScores } from '../../../src/main/core/likelihood/sentences';

const ss = (index: number, task: string, target: string, s: string, a: string, u: string): TestsetItem => ({
  id: index + 1,
  index,
  group: 'race',
  subgroup: target,
  text: `${target} BLANK`,
  fields: { task, target, domain: 'race', context: `${target} BLANK`, stereotype: s, anti: a, unrelated: u },
});

describe('planSentences', () => {
  it('StereoSet: three sentences per intrasentence example, distinct ones once, intersentence skipped', () => {
    const plan = planSentences('stereoset', [
      ss(0, 'intersentence', 'Ethiopia', 'x', 'y', 'z'),
      ss(1, 'intrasentence', 'chess player', 'He was asian.', 'He was hispanic.', 'He was fox.'),
      ss(2, 'intrasentence', 'chess player', 'She was asian.', 'She was hispanic.', 'He was fox.'),
    ]);
    expect(plan.skipped).toBe(1);
    expect(plan.sentences).toEqual([
      'He was asian.',
      'He was hispanic.',
      'He was fox.',
      'She was asian.',
      'She was hispanic.',
    ]);
    expect(plan.groups).toEqual([0, 0, 0, 1, 1]);
    const scores = plan.sentences.map((_, i) => ({ total: -10 * (i + 1), mean: -(i + 1) }));
    expect(stereosetItemScores(plan, scores)).toEqual([
      { item: 1, target: 'chess player', domain: 'race', stereotype: -1, anti: -2, unrelated: -3 },
      { item: 2, target: 'chess player', domain: 'race', stereotype: -4, anti: -5, unrelated: -3 },
    ]);
  });

  it('CrowS-Pairs: sent_more and sent_less summed; --limit keeps the first N and counts the rest as skipped', () => {
    const pair = (index: number, more: string, less: string): TestsetItem => ({
      id: index + 1,
      index,
      group: 'gender',
      subgroup: 'stereo',
      text: more,
      fields: { sentMore: more, sentLess: less, direction: 'stereo', biasType: 'gender' },
    });
    const plan = planSentences('crows-pairs', [pair(0, 'A', 'B'), pair(1, 'C', 'D'), pair(2, 'E', 'F')], 2);
    expect(plan.sentences).toEqual(['A', 'B', 'C', 'D']);
    expect(plan.skipped).toBe(1);
    const scores = plan.sentences.map((_, i) => ({ total: -10 * (i + 1), mean: -(i + 1) }));
    expect(crowsItemScores(plan, scores)).toEqual([
      { item: 0, biasType: 'gender', llMore: -10, llLess: -20 },
      { item: 1, biasType: 'gender', llMore: -30, llLess: -40 },
    ]);
  });

  it('names the item and field when a test set of another layout is given', () => {
    const item: TestsetItem = {
      id: 1,
      index: 7,
      group: 'x',
      subgroup: null,
      text: 't',
      fields: { task: 'intrasentence' },
    };
    expect(() => planSentences('stereoset', [item])).toThrow(/test set item 7: fields\.stereotype is missing/);
  });
});
