// The people a new session or round is planned for: each named once, and at least as many as
// each item needs. Both capabilities check this before drawing anything, in the same words.
import { ApiError } from '../../../shared/contract';

/** The input's field names and nouns, for the messages: evaluators/perItem/evaluator/item. */
export interface RosterFields {
  list: string;
  per: string;
  person: string;
  unit: string;
}

export function checkRoster(people: readonly string[], perUnit: number, f: RosterFields): void {
  people.forEach((p, i) => {
    if (people.indexOf(p) !== i)
      throw new ApiError('invalid-input', `${f.list}: "${p}" is listed twice`, [
        { path: `${f.list}.${i}`, message: `each ${f.person} once` },
      ]);
  });
  if (perUnit > people.length)
    throw new ApiError(
      'invalid-input',
      `${f.per}: ${perUnit} ${f.person}s per ${f.unit}, but only ${people.length} ${f.person}${people.length === 1 ? '' : 's'} given`,
      [{ path: f.per, message: `at most ${people.length}` }],
    );
}
