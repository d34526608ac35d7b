// What counts as done, where to resume, and the criteria in keyboard order: pure, so the views
// and the unit tests share one definition. Types only from the contracts (no zod in the bundle).
import type { Answer, AssignedItem } from '../../shared/contracts/humaneval';
import type { AnnotationItem, RoundAnswer, RoundLabel } from '../../shared/contracts/rounds';
import { LABEL_VALUES } from '../../shared/domain';

export type Mode = 'single' | 'pairs';
export type ScoreField = 's' | 'l' | 'sB' | 'lB';

/** The scored criteria in the order the keys walk them (S → L; pairs S(A) → L(A) → S(B) → L(B)). */
export const CRITERIA: Record<Mode, readonly { field: ScoreField; label: string }[]> = {
  single: [
    { field: 's', label: 'Safety (S)' },
    { field: 'l', label: 'Language understanding (L)' },
  ],
  pairs: [
    { field: 's', label: 'Safety (S) of A' },
    { field: 'l', label: 'Language understanding (L) of A' },
    { field: 'sB', label: 'Safety (S) of B' },
    { field: 'lB', label: 'Language understanding (L) of B' },
  ],
};

export const PREFERENCES = [
  { value: 'a', label: 'A is better', key: 'a' },
  { value: 'tie', label: 'Tie', key: 't' },
  { value: 'b', label: 'B is better', key: 'b' },
] as const;

export function emptyAnswer(): Answer {
  return { s: null, l: null, sB: null, lB: null, preference: null, skipped: false, flagged: false, note: '' };
}

/** Every score the mode asks for is given (and, in pairs, a preference). */
export function isScored(mode: Mode, a: Answer | null | undefined): boolean {
  if (!a) return false;
  const scored = CRITERIA[mode].every((c) => a[c.field] !== null);
  return mode === 'pairs' ? scored && a.preference !== null : scored;
}

/** Done for progress and resume: fully scored, or deliberately skipped. */
export function isDone(mode: Mode, a: Answer | null | undefined): boolean {
  return !!a && (a.skipped || isScored(mode, a));
}

/** The four categories an annotator labels, in the keys' order, with their shown names. */
export const CATEGORIES: readonly { field: RoundLabel; label: string; values: readonly string[] }[] = [
  { field: 'bias', label: 'Bias', values: LABEL_VALUES.bias },
  { field: 'toxicity', label: 'Toxicity', values: LABEL_VALUES.toxicity },
  { field: 'sentiment', label: 'Sentiment', values: LABEL_VALUES.sentiment },
  { field: 'harm', label: 'Harm', values: LABEL_VALUES.harm },
];

/** Where an annotator starts: the record's own answer, else the suggested benign variation. */
export function startingRoundAnswer(item: Pick<AnnotationItem, 'answer' | 'benignSuggestion'>): RoundAnswer {
  if (item.answer) return { ...item.answer, biasedWords: [...item.answer.biasedWords] };
  return {
    bias: null,
    toxicity: null,
    sentiment: null,
    harm: null,
    biasedWords: [],
    benign: item.benignSuggestion,
    flagged: false,
    note: '',
  };
}

export function isLabelled(a: RoundAnswer | null | undefined): boolean {
  return !!a && CATEGORIES.every((c) => a[c.field] !== null);
}

/** The index to open on: the first item not done, or the first item when all are (or none exist). */
export function firstOpen<T>(items: readonly T[], done: (item: T) => boolean): number {
  const i = items.findIndex((item) => !done(item));
  return i < 0 ? 0 : i;
}

/** Items in the evaluator's own order (the server's 1-based positions). */
export function byPosition<T extends Pick<AssignedItem, 'position'>>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.position - b.position);
}
