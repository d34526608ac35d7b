// The annotator's side of a round: who the caller is, their assignment, saving an answer and
// handing in. Everything here answers only about the caller's own records, by opaque keys: never
// a record id, the record's current labels (they would anchor the annotator) or anyone else's
// answers. A key outside the caller's assignment is "not found" whether or not it exists in
// someone else's, so keys cannot be probed.
import { ApiError, type Caller } from '../../../shared/contract';
import { roundSessionName, type AnnotationItem, type RoundAnswer } from '../../../shared/contracts/rounds';
import { actingFor, type Door } from '../people/acting-as';
import { isDone } from './gold';
import { defaultTitle, parseAnswer, type RoundStore } from './store';

export interface Annotator {
  round: number;
  annotator: string;
}

/** Annotation rounds' door for the identity rule (people/acting-as.ts). */
const DOOR: Door = {
  sessionName: roundSessionName,
  place: 'an annotation round',
  person: 'annotator',
  asFields: '{round, annotator}',
};

/**
 * The identity an evaluator method acts for (the shared identity rule). Whether the round and the
 * annotator exist is the annotator side's `member` check.
 */
export function actingAs(caller: Caller, as: Annotator | undefined): Annotator {
  const who = actingFor(caller, as, DOOR);
  return who.by === 'token' ? { round: who.id, annotator: who.evaluator } : who.as;
}

export function createAnnotatorSide(deps: { store: RoundStore }) {
  const { store } = deps;

  /** The round and the annotator's place in it, or not-found (the same for a removed round). */
  function member(who: Annotator): { title: string; submittedAt: string | null } {
    const round = store.maybeRound(who.round);
    const submittedAt = round ? store.submittedAt(who.round, who.annotator) : undefined;
    if (!round || submittedAt === undefined)
      throw new ApiError('not-found', `${who.annotator} has no assignment in annotation round ${who.round}`);
    return { title: round.title ?? defaultTitle(round.id), submittedAt };
  }

  function progress(who: Annotator): { done: number; total: number } {
    const items = store.itemsOf(who.round, who.annotator);
    return { done: items.filter((i) => isDone(parseAnswer(i.answer))).length, total: items.length };
  }

  return {
    assignment(who: Annotator) {
      const { title, submittedAt } = member(who);
      const items: AnnotationItem[] = store.itemsOf(who.round, who.annotator).map((i) => {
        const record = store.recordText(i.record_id);
        return {
          key: i.key,
          position: i.position,
          text: record?.text ?? '',
          benignSuggestion: record?.benign ?? null,
          answer: parseAnswer(i.answer),
          answeredAt: i.answered_at,
        };
      });
      return { title, annotator: who.annotator, items, submittedAt };
    },

    /** Checks an answer against the caller's item; returns what to save (throws when refused). */
    check(who: Annotator, key: string, answer: RoundAnswer) {
      const { submittedAt } = member(who);
      const item = store.itemByKey(who.round, who.annotator, key);
      if (!item) throw new ApiError('not-found', `no item ${key} in your assignment`);
      if (submittedAt !== null)
        throw new ApiError('conflict', `you submitted this round at ${submittedAt}: answers can no longer change`);
      const text = (store.recordText(item.record_id)?.text ?? '').toLowerCase();
      const missing = answer.biasedWords
        .map((word, i) => ({ word, i }))
        .filter(({ word }) => !text.includes(word.toLowerCase()));
      if (missing.length > 0)
        throw new ApiError(
          'invalid-input',
          missing.map(({ word }) => `"${word}" does not occur in the text`).join('; '),
          missing.map(({ word, i }) => ({
            path: `answer.biasedWords.${i}`,
            message: `"${word}" does not occur in the text`,
          })),
        );
      return item;
    },

    progress,

    /** Whether the annotator may hand in (throws when not); submittedAt: when they already did. */
    checkSubmit(who: Annotator) {
      const { submittedAt } = member(who);
      const p = progress(who);
      // Handing in twice is harmless: the first time stands.
      if (submittedAt !== null) return { submittedAt, ...p };
      const left = p.total - p.done;
      if (left > 0)
        throw new ApiError(
          'conflict',
          `${left} of ${p.total} records are not labelled in all four categories yet: finish them before submitting`,
        );
      return { submittedAt: null, ...p };
    },
  };
}
