// Who labels what, decided once when a round is created and reproducible from its seed: the
// records drawn, which annotators get each record (balanced load), and each annotator's own order
// (shuffled per annotator, so no two see the records in the same sequence and order effects do
// not line up across annotators). Pure functions: no database, no clock. The draws themselves
// are the ones sessions use too (people/draw.ts).
import { seededRandom } from '../../../shared/metrics/bootstrap';
import { assignLeastLoaded, fnv1a32, indexes, shuffled } from '../people/draw';

/** `n` of `ids` drawn without replacement, in the order drawn (the same seed, the same draw). */
export function drawRecords(ids: readonly number[], n: number, seed: number): number[] {
  if (n > ids.length) throw new RangeError(`cannot draw ${n} of ${ids.length}`);
  return shuffled(ids, seededRandom(seed)).slice(0, n);
}

/**
 * For each record (in order), the `perRecord` annotators with the fewest records so far; ties
 * go by a seeded shuffle of the annotators drawn afresh per record, so which annotators share
 * records varies while every annotator ends within one record of every other.
 */
export function assignBalanced(
  records: readonly number[],
  annotators: readonly string[],
  perRecord: number,
  seed: number,
): Map<number, string[]> {
  if (perRecord > annotators.length)
    throw new RangeError(`${perRecord} per record but ${annotators.length} annotators`);
  // A different stream from the draw's (same seed), so the two choices do not mirror each other.
  const rand = seededRandom(mix(seed, 'assign'));
  const chosen = assignLeastLoaded(records.length, annotators.length, perRecord, () =>
    shuffled(indexes(annotators.length), rand),
  );
  return new Map(records.map((record, i) => [record, chosen[i]!.map((a) => annotators[a]!)]));
}

/** One annotator's records in their own order: a shuffle seeded by the round's seed and their name. */
export function annotatorOrder(records: readonly number[], seed: number, annotator: string): number[] {
  return shuffled(records, seededRandom(mix(seed, annotator)));
}

/** A 32-bit seed from the round's seed and a name, for the per-annotator streams. */
export function mix(seed: number, name: string): number {
  return fnv1a32(`${seed}:${name}`, 'utf16');
}
