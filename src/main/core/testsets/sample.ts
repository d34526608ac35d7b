// A seeded sample without replacement, identical on every machine for the same (total, n, seed).

/**
 * mulberry32: a small 32-bit PRNG (srlab's choice; public domain, Tommy Ettinger). Its quality is
 * ample for drawing a sample, and unlike Math.random it can be seeded and replayed.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` distinct indexes of [0, total), ascending (Floyd's algorithm: n draws, whatever the total).
 * n ≥ total gives every index.
 */
export function sampleIndexes(total: number, n: number, seed: number): number[] {
  if (n >= total) return Array.from({ length: total }, (_, i) => i);
  const rand = mulberry32(seed);
  const chosen = new Set<number>();
  for (let j = total - n; j < total; j++) {
    const t = Math.floor(rand() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}

/**
 * The items a `sample` option keeps: a seeded sample in source order (srlab's option for the
 * generation sets, whose full size the paper does not evaluate: BOLD 7,200 of about 23,700
 * prompts, ToxiGen 430). Without `sample`, every item and no options to record.
 */
export function keepSample<T>(
  items: T[],
  options: { sample?: number | undefined; seed?: number | undefined },
): { items: T[]; options: Record<string, unknown> } {
  if (options.sample === undefined) return { items, options: {} };
  const seed = options.seed ?? 0;
  return {
    items: sampleIndexes(items.length, options.sample, seed).map((i) => items[i]!),
    options: { sample: options.sample, seed, of: items.length },
  };
}
