// Who labels what, decided once when a round is created and reproducible from its seed: the
// records drawn, which annotators get each record (balanced load), and each annotator's own order
// (shuffled per annotator, so no two see the records in the same sequence and order effects do
// not line up across annotators). Pure functions: no database, no clock.
import { seededRandom } from '../../../shared/metrics/bootstrap';

/** Fisher–Yates on a copy, driven by `rand`. */
export function shuffle<T>(xs: readonly T[], rand: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `n` of `ids` drawn without replacement, in the order drawn (the same seed, the same draw). */
export function drawRecords(ids: readonly number[], n: number, seed: number): number[] {
  if (n > ids.length) throw new RangeError(`cannot draw ${n} of ${ids.length}`);
  return shuffle(ids, seededRandom(seed)).slice(0, n);
}

/**
 * For each record (in order), the `perRecord` annotators with the fewest records so far; ties
 * go by a seeded shuffle drawn afresh per record, so which annotators share records varies while
 * every annotator ends within one record of every other.
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
  const load = new Map(annotators.map((a) => [a, 0]));
  const out = new Map<number, string[]>();
  for (const record of records) {
    // Array.prototype.sort is stable: equal loads keep the shuffled order.
    const chosen = shuffle(annotators, rand)
      .sort((a, b) => load.get(a)! - load.get(b)!)
      .slice(0, perRecord);
    for (const a of chosen) load.set(a, load.get(a)! + 1);
    out.set(record, chosen);
  }
  return out;
}

/** One annotator's records in their own order: a shuffle seeded by the round's seed and their name. */
export function annotatorOrder(records: readonly number[], seed: number, annotator: string): number[] {
  return shuffle(records, seededRandom(mix(seed, annotator)));
}

/** A 32-bit seed from the round's seed and a name (FNV-1a), for the per-annotator streams. */
export function mix(seed: number, name: string): number {
  let h = 0x811c9dc5;
  const s = `${seed}:${name}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
