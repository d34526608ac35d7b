// srlab's rules for a record's gold from its annotators' answers (pure): the strict majority per
// category, ties and flags to the queue, biased words by a strict majority, and the benign
// variation only when the annotators agree on it (or the expert gives one).
import { describe, expect, it } from 'vitest';
import type { RoundAnswer } from '../../../src/shared/contracts/rounds';
import { countWords, goldBenign, recordGold, type RecordAnswers } from '../../../src/main/core/rounds/gold';
import { goldChanges } from '../../../src/main/core/rounds/apply';
import type { CmdRecord } from '../../../src/shared/domain';

const A = (a: Partial<RoundAnswer>): RoundAnswer => ({
  bias: 'No',
  toxicity: 'No',
  sentiment: 'Neutral',
  harm: 'Low',
  biasedWords: [],
  benign: null,
  flagged: false,
  note: '',
  ...a,
});
const rec = (answers: (RoundAnswer | null)[], adjudication: RecordAnswers['adjudication'] = null): RecordAnswers => ({
  record: { id: 1, text: 'Old people ruin everything, honestly.', benign: null },
  answers: answers.map((answer, i) => ({ annotator: `a${i}`, answer })),
  adjudication,
});

describe('a record’s gold', () => {
  it('is the strict majority per category; a record missing any label is incomplete, not queued', () => {
    const g = recordGold(rec([A({ bias: 'Yes' }), A({ bias: 'Yes' }), A({ bias: 'No' })]));
    expect(g.state).toBe('agreed');
    expect(g.gold.bias).toBe('Yes');
    expect(g.votes.bias).toEqual({ Yes: 2, No: 1 });
    const partial = recordGold(rec([A({}), A({ harm: null }), A({ toxicity: 'Mild' })]));
    expect(partial.state).toBe('incomplete');
    expect(partial.reasons).toEqual([]);
    expect(recordGold(rec([A({}), null])).state).toBe('incomplete');
  });

  it('queues a category with no strict majority (2 of 4 is not a majority) and any flag', () => {
    const tie = recordGold(rec([A({ bias: 'Yes' }), A({ bias: 'Yes' }), A({}), A({})]));
    expect(tie.state).toBe('queued');
    expect(tie.tied).toEqual(['bias']);
    expect(tie.majority.bias).toBeNull();
    const flag = recordGold(rec([A({}), A({}), A({ flagged: true, note: 'dialect' })]));
    expect(flag.reasons).toEqual(['flagged']);
    expect(flag.state).toBe('queued');
  });

  it("takes the expert's labels where given, the majority's elsewhere", () => {
    const g = recordGold(
      rec([A({ bias: 'Yes' }), A({ bias: 'No' })], {
        labels: { bias: 'Yes', toxicity: null, sentiment: 'Negative', harm: null },
        benign: null,
        by: 'e',
        at: 't',
        note: '',
      }),
    );
    expect(g.state).toBe('adjudicated');
    expect(g.gold).toEqual({ bias: 'Yes', toxicity: 'No', sentiment: 'Negative', harm: 'Low' });
  });

  it('keeps biased words a strict majority marked (case-insensitively, once per annotator)', () => {
    expect(countWords([['ruin', 'Ruin'], ['RUIN', 'old people'], ['honestly']])).toEqual([
      { word: 'ruin', count: 2 },
      { word: 'honestly', count: 1 },
      { word: 'old people', count: 1 },
    ]);
    const g = recordGold(
      rec([
        A({ biasedWords: ['ruin', 'Old people'] }),
        A({ biasedWords: ['RUIN'] }),
        A({ biasedWords: ['old people'] }),
      ]),
    );
    expect(g.majorityWords).toEqual(['Old people', 'ruin']);
    const one = recordGold(rec([A({ biasedWords: ['ruin'] }), A({}), A({})]));
    expect(one.majorityWords).toEqual([]);
  });

  it('takes a benign variation only when everyone who wrote one wrote the same, or the expert gave one', () => {
    expect(goldBenign(['Some people disagree.', ' Some people disagree. '], null)).toBe('Some people disagree.');
    expect(goldBenign(['Some people disagree.', 'People differ.'], null)).toBeNull();
    expect(goldBenign([], null)).toBeNull();
    expect(goldBenign(['x', 'y'], 'Expert text')).toBe('Expert text');
  });

  it('changes only the fields that differ, and never erases biased words no majority marked', () => {
    const current = {
      labels: { bias: 'Yes', toxicity: 'No', sentiment: 'Neutral', harm: 'Low' },
      biasedWords: ['ruin'],
      benignVariation: 'Old text',
    } as unknown as CmdRecord;
    const g = recordGold(
      rec([A({ bias: 'Yes' }), A({ bias: 'Yes', sentiment: 'Negative' }), A({ sentiment: 'Negative' })]),
    );
    expect(goldChanges(current, g)).toEqual({ sentiment: 'Negative' });
    const same = recordGold(
      rec([A({ bias: 'Yes', benign: 'New' }), A({ bias: 'Yes', benign: 'New' }), A({ bias: 'Yes' })]),
    );
    expect(goldChanges(current, same)).toEqual({ benignVariation: 'New' });
  });
});
