// Seeded draws of "who gets what" that human-evaluation sessions and annotation rounds share:
// a Fisher–Yates shuffle, a name hash for each person's own stream, and the least-loaded
// assignment of items to people. Pure: the same seed gives the same plan, which is what lets a
// session or round be reproduced from its stored seed.

export type Rand = () => number;

/** Fisher–Yates on a copy, driven by `rand` (one draw per position, last to second). */
export function shuffled<T>(xs: readonly T[], rand: Rand): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * FNV-1a, 32 bits, over a string's UTF-8 bytes or its UTF-16 code units. Both agree on ASCII;
 * sessions have always hashed bytes and rounds code units, and a stored seed must keep giving a
 * person with a non-ASCII name the same order, so each keeps its own.
 */
export function fnv1a32(s: string, units: 'utf8' | 'utf16'): number {
  let h = 0x811c9dc5;
  const step = (u: number) => {
    h ^= u;
    h = Math.imul(h, 0x01000193);
  };
  if (units === 'utf8') for (const b of new TextEncoder().encode(s)) step(b);
  else for (let i = 0; i < s.length; i++) step(s.charCodeAt(i));
  return h >>> 0;
}

/**
 * Each of `items` items to `perItem` distinct people of `people`: the least loaded first, ties
 * going by `tieOrder()`, a fresh random order of the people (their indexes) drawn per item, so
 * who shares items with whom varies while every load ends within one item of every other.
 * Returns, per item, the chosen people's indexes in the order chosen. The caller checks
 * perItem ≤ people (it names its own fields in the error).
 */
export function assignLeastLoaded(
  items: number,
  people: number,
  perItem: number,
  tieOrder: () => number[],
): number[][] {
  const load = new Array<number>(people).fill(0);
  const out: number[][] = [];
  for (let it = 0; it < items; it++) {
    // Array.prototype.sort is stable: equal loads keep the tie order.
    const chosen = tieOrder()
      .sort((a, b) => load[a]! - load[b]!)
      .slice(0, perItem);
    for (const p of chosen) load[p]!++;
    out.push(chosen);
  }
  return out;
}

/** 0, 1, …, n − 1. */
export function indexes(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
