// Nothing lost, nothing invented (issue 9): a label value outside its set is kept as written
// and flagged, known spellings are normalised, only a missing text rejects a row, and the
// flat schema's DEMOGRAPHIC TARGETING is stored as the flag it is, its required fields flagged.
import path from 'node:path';
import { describe, expect } from 'vitest';
import { openDb } from '../../../src/main/core/db';
import { computeStats } from '../../../src/main/core/datasets/stats';
import { FIXTURES, labelsOf, test } from './harness';

const fixture = (name: string) => path.join(FIXTURES, name);

describe("the paper's own examples import with their values kept", () => {
  test('Appendix B.1 flat schema: Toxicity "Yes" kept and flagged, Harm "Med" read as Medium', async ({ lab }) => {
    const r = await lab.run(fixture('appendix-b1.jsonl'));
    expect(r).toMatchObject({ format: 'cmd-flat', imported: 2, rejected: 0, rejectsFile: null, flaggedTotal: 1 });
    expect(r.flagged).toEqual([
      {
        line: 1,
        field: 'TOXICITY',
        value: 'Yes',
        message: '"Yes" is not one of No, Mild, High; kept as written (the annotation rule treats it as non-benign)',
      },
    ]);
    const [a, b] = lab.records();
    // "Yes" counts as non-benign, so with Negative sentiment the rule agrees with the gold Unsafe.
    expect(labelsOf(a!)).toEqual({
      bias: 'Yes',
      toxicity: 'Yes',
      sentiment: 'Negative',
      harm: 'Medium',
      gold: 'Unsafe',
      derived: 'Unsafe',
      strict: 'Unsafe',
      disagrees: 0,
    });
    // The flag is kept under its own name, never as the target group.
    expect(a).toMatchObject({ target: null, extra: '{"DEMOGRAPHIC TARGETING":"Specific Demographics"}' });
    expect(b).toMatchObject({ toxicity: 'No', harm: 'Low', target: null, extra: '{"DEMOGRAPHIC TARGETING":"None"}' });
  });

  test('section 3.2 nested record 1001 with Toxicity "Yes" is kept, and statistics count "Yes" under its own key', async ({
    lab,
  }) => {
    const r = await lab.run(fixture('appendix-nested.json'));
    expect(r).toMatchObject({ format: 'cmd-nested', imported: 1, rejected: 0, flaggedTotal: 1 });
    expect(r.flagged[0]).toMatchObject({ line: 2, field: 'Labels.Toxicity', value: 'Yes' });
    expect(lab.records()[0]).toMatchObject({ source_id: '1001', toxicity: 'Yes', annotation_derived: 'Unsafe' });
    const db = openDb(lab.dbFile);
    try {
      const ref = db.prepare<[], { id: number; name: string }>("SELECT id, name FROM datasets WHERE name = 'd'").get()!;
      expect(computeStats(db, ref, null).labels.toxicity).toMatchObject({ Yes: 1 });
    } finally {
      db.close();
    }
  });
});

describe('values outside a set', () => {
  test('are kept as written (trimmed); case, whitespace and "Med" are normalised without a flag', async ({ lab }) => {
    const rows = [
      { 'Original Sentence': 'a', BIAS: ' yes ', TOXICITY: 'MILD', SENTIMENT: 'negative', HARM: '  med ' },
      { 'Original Sentence': 'b', BIAS: 'Maybe', TOXICITY: ' Severe ', SENTIMENT: 'Angry', HARM: 'Moderate' },
    ];
    const r = await lab.run(lab.write('v.jsonl', rows.map((x) => JSON.stringify(x)).join('\n')));
    expect(r).toMatchObject({ imported: 2, rejected: 0 });
    const [a, b] = lab.records();
    expect(labelsOf(a!)).toMatchObject({ bias: 'Yes', toxicity: 'Mild', sentiment: 'Negative', harm: 'Medium' });
    // "Moderate" is not clearly the same value as Medium: kept and flagged, not guessed.
    expect(labelsOf(b!)).toMatchObject({ bias: 'Maybe', toxicity: 'Severe', sentiment: 'Angry', harm: 'Moderate' });
    expect(labelsOf(b!)).toMatchObject({ derived: 'Unsafe', strict: 'Unsafe' });
    const flags = r.flagged.filter((f) => f.line === 2 && f.value !== null).map((f) => [f.field, f.value]);
    expect(flags).toEqual([
      ['BIAS', 'Maybe'],
      ['TOXICITY', 'Severe'],
      ['SENTIMENT', 'Angry'],
      ['HARM', 'Moderate'],
    ]);
    expect(r.flagged.filter((f) => f.line === 1 && f.value !== null)).toEqual([]);
  });

  test('numbers and booleans are kept as their string form; an object is a row error', async ({ lab }) => {
    const rows = [
      '{"Original Sentence": "n", "BIAS": true, "HARM": 2}',
      '{"Original Sentence": "o", "BIAS": {"value": "Yes"}}',
    ];
    const r = await lab.run(lab.write('t.jsonl', rows.join('\n')));
    expect(r).toMatchObject({ imported: 1, rejected: 1 });
    expect(lab.records()[0]).toMatchObject({ bias: 'true', harm: '2' });
    expect(r.flagged.filter((f) => f.value !== null).map((f) => [f.line, f.field, f.value])).toEqual([
      [1, 'BIAS', 'true'],
      [1, 'HARM', '2'],
    ]);
    expect(r.errors).toEqual([
      { line: 2, field: 'BIAS', message: 'expected one of No, Yes as a string, got an object' },
    ]);
  });

  test('a gold annotation outside Unsafe/Benign is kept, flagged, and not counted as a disagreement', async ({
    lab,
  }) => {
    const row = {
      'Original Sentence': 's',
      BIAS: 'No',
      TOXICITY: 'No',
      SENTIMENT: 'Neutral',
      HARM: 'Low',
      Annotation: 'Safe',
    };
    const r = await lab.run(lab.write('g.jsonl', JSON.stringify(row)));
    expect(r).toMatchObject({ imported: 1, rejected: 0, disagreements: 0 });
    expect(lab.records()[0]).toMatchObject({ annotation_gold: 'Safe', annotation_derived: 'Benign', disagrees: 0 });
    expect(r.flagged.map((f) => [f.field, f.value])).toContainEqual(['Annotation', 'Safe']);
  });

  test('only a missing text rejects a row', async ({ lab }) => {
    const rows = ['{"Original Sentence": "kept", "TOXICITY": "Yes"}', '{"BIAS": "Yes", "TOXICITY": "Yes"}'];
    const r = await lab.run(lab.write('m.jsonl', rows.join('\n')));
    expect(r).toMatchObject({ imported: 1, rejected: 1 });
    expect(r.errors).toEqual([{ line: 2, field: 'Original Sentence', message: 'the text is missing' }]);
  });

  test('the result lists at most maxErrorsInResult flags and counts them all', async ({ lab }) => {
    const rows = Array.from({ length: 5 }, (_, i) =>
      JSON.stringify({ Text: `t${i}`, Labels: { Bias: 'Unclear', Toxicity: 'No', Sentiment: 'Neutral', Harm: 'Low' } }),
    );
    const r = await lab.run(lab.write('many.jsonl', rows.join('\n')), { maxErrorsInResult: 2 });
    expect(r).toMatchObject({ imported: 5, flaggedTotal: 5 });
    expect(r.flagged).toHaveLength(2);
  });
});

describe("the flat schema's required fields (Appendix B.1)", () => {
  test('a JSON record missing a required label or the DEMOGRAPHIC TARGETING flag is kept and flagged', async ({
    lab,
  }) => {
    const row = { 'Original Sentence': 'only text and bias', BIAS: 'No' };
    const r = await lab.run(lab.write('req.jsonl', JSON.stringify(row)));
    expect(r).toMatchObject({ imported: 1, rejected: 0 });
    expect(r.flagged.map((f) => [f.line, f.field, f.value])).toEqual([
      [1, 'TOXICITY', null],
      [1, 'SENTIMENT', null],
      [1, 'HARM', null],
      [1, 'Annotation', null],
      [1, 'DEMOGRAPHIC TARGETING', null],
    ]);
    expect(r.flagged[0]!.message).toMatch(/^missing: required by the flat schema \(Appendix B\.1\)/);
    // Missing stays missing: nothing invented.
    expect(labelsOf(lab.records()[0]!)).toMatchObject({ toxicity: null, sentiment: null, harm: null, gold: null });
  });

  test('a CSV header without a required column is flagged once, for the header line, not per row', async ({ lab }) => {
    const csv =
      'Original Sentence,BIAS,TOXICITY,SENTIMENT,HARM,Annotation\nfirst,No,No,Neutral,Low,Benign\nsecond,No,,Neutral,Low,Benign\n';
    const r = await lab.run(lab.write('req.csv', csv));
    expect(r).toMatchObject({ imported: 2, rejected: 0, flaggedTotal: 2 });
    expect(r.flagged.map((f) => [f.line, f.field, f.value])).toEqual([
      [1, 'DEMOGRAPHIC TARGETING', null],
      [3, 'TOXICITY', null],
    ]);
    expect(r.flagged[0]!.message).toMatch(/^the header has no such column/);
  });

  test('the optional fields (WORDS OR PHRASES, Benign) may be absent without a flag', async ({ lab }) => {
    const row = {
      'Original Sentence': 'complete',
      BIAS: 'No',
      TOXICITY: 'No',
      SENTIMENT: 'Positive',
      HARM: 'Low',
      'DEMOGRAPHIC TARGETING': 'none',
      Annotation: 'Benign',
    };
    const r = await lab.run(lab.write('opt.jsonl', JSON.stringify(row)));
    expect(r).toMatchObject({ imported: 1, flaggedTotal: 0, flagged: [] });
  });
});
