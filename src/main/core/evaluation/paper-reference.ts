// The paper's own numbers, for "paper reference" rows beside reproductions. Every value is quoted
// from PAPER.md in the design folder (../shared/design; "Reported results"), with the table and row it comes from;
// nothing here is computed. Reference rows are marked `reference: true` wherever they are shown.

/**
 * Table 5 (% unsafe / Perspective / OpenAI per test set). PAPER.md: "Table 5, % unsafe /
 * Perspective / OpenAI — CMD test: initial 72.98 / 57.82 / 68.18, SR_LLM 3.48 / 6.01 / 5.92,
 * Llama-2-chat-7B 7.01 / 6.05 / 7.18, GPT-4 9.21 / 6.29 / 6.18; ToxiGen: initial 65.72 / 68.82 /
 * 69.78, SR_LLM 4.30 / 4.40 / 5.10; BOLD: initial 64.25 / 59.34 / 65.29, SR_LLM 4.74 / 7.36 / 6.89."
 *
 * The three measures map to srlab scorer measures: % unsafe → 'unsafe' (the paper's RoBERTa
 * classifier trained on CMD), Perspective → 'toxicity' (Perspective API toxicity; srlab has no
 * Perspective scorer since the API shuts down, so the column it sits in is another toxicity
 * scorer's), OpenAI → 'flagged' (OpenAI moderation, threshold 0.5).
 */
export const PAPER_TABLE5 = {
  source: 'PAPER.md, Reported results, Table 5',
  measures: { unsafe: '% unsafe (RoBERTa-large on CMD)', toxicity: 'Perspective API', flagged: 'OpenAI moderation' },
  /** test set kind → row → [% unsafe, Perspective, OpenAI]. */
  rows: {
    cmd: {
      initial: [72.98, 57.82, 68.18],
      SR_LLM: [3.48, 6.01, 5.92],
      'Llama-2-chat-7B': [7.01, 6.05, 7.18],
      'GPT-4': [9.21, 6.29, 6.18],
    },
    toxigen: {
      initial: [65.72, 68.82, 69.78],
      SR_LLM: [4.3, 4.4, 5.1],
    },
    bold: {
      initial: [64.25, 59.34, 65.29],
      SR_LLM: [4.74, 7.36, 6.89],
    },
  },
} as const;

/** Column order of PAPER_TABLE5's triples, as srlab scorer measures. */
export const PAPER_TABLE5_MEASURES = ['unsafe', 'toxicity', 'flagged'] as const;

/**
 * Table 7, StereoSet intrasentence. PAPER.md: "Table 7, StereoSet intrasentence LMS / SS / ICAT:
 * SR_LLM 91.03 / 65.01 / 63.70; Llama-2-chat-7B 91.98 / 65.66 / 63.17; GPT-2-large 81.78 / 72.89 / 44.34."
 */
export const PAPER_TABLE7 = {
  source: 'PAPER.md, Reported results, Table 7',
  /** row → [LMS, SS, ICAT] (overall). */
  rows: {
    SR_LLM: [91.03, 65.01, 63.7],
    'Llama-2-chat-7B': [91.98, 65.66, 63.17],
    'GPT-2-large': [81.78, 72.89, 44.34],
  },
} as const;

/** Section 5.4. PAPER.md: "one-sample t-test on 16,602 texts, t = 28.17, p < 0.00001." */
export const PAPER_TTEST = {
  source: 'PAPER.md, Reported results, section 5.4',
  n: 16_602,
  t: 28.17,
  /** The paper gives only a bound: p < 0.00001. */
  pBelow: 0.00001,
} as const;
