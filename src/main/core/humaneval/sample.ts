// Pure planning of a session: which prompts (seeded, optionally stratified by group), which items
// (one per prompt and model, or per prompt and model pair with sides drawn at random), who scores
// each item (balanced load) and in which order each evaluator sees theirs. Same seed, same plan.
import { seededRandom } from '../../../shared/metrics/bootstrap';
import { assignLeastLoaded, fnv1a32, indexes, shuffled, type Rand } from '../people/draw';

export interface Candidate {
  prompt: string;
  /** Its stratum (the record's target group); null: none. */
  group: string | null;
}

export const NO_GROUP = '(none)';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Largest-remainder allocation of `n` over groups of the given sizes, proportional to size; ties
 * of the remainder go to the larger group, then by name, so it is deterministic.
 */
export function allocate(sizes: ReadonlyMap<string, number>, n: number): Map<string, number> {
  const total = [...sizes.values()].reduce((s, v) => s + v, 0);
  n = Math.min(n, total);
  const out = new Map<string, number>();
  const rems: { g: string; rem: number; size: number }[] = [];
  let given = 0;
  for (const [g, size] of sizes) {
    const exact = (n * size) / total;
    const q = Math.min(size, Math.floor(exact));
    out.set(g, q);
    given += q;
    rems.push({ g, rem: exact - q, size });
  }
  rems.sort((a, b) => b.rem - a.rem || b.size - a.size || byText(a.g, b.g));
  for (let i = 0; given < n && rems.length > 0; i = (i + 1) % rems.length) {
    const r = rems[i]!;
    if (out.get(r.g)! < r.size) {
      out.set(r.g, out.get(r.g)! + 1);
      given++;
    }
  }
  return out;
}

/**
 * `n` prompts drawn without replacement with seededRandom(seed). The candidates are sorted first,
 * so the draw does not depend on the order the database returned them in. With `stratify`, each
 * group gets its proportional share (largest remainder) and is drawn within.
 */
export function samplePrompts(
  candidates: readonly Candidate[],
  n: number,
  seed: number,
  stratify: boolean,
): Candidate[] {
  const sorted = [...candidates].sort((a, b) => byText(a.prompt, b.prompt));
  const rand = seededRandom(seed);
  if (!stratify) return shuffled(sorted, rand).slice(0, n);
  const groups = new Map<string, Candidate[]>();
  for (const c of sorted) {
    const g = c.group ?? NO_GROUP;
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(c);
  }
  const names = [...groups.keys()].sort(byText);
  const quota = allocate(new Map(names.map((g) => [g, groups.get(g)!.length])), n);
  return names.flatMap((g) => shuffled(groups.get(g)!, rand).slice(0, quota.get(g)!));
}

export interface PlannedItem {
  /** Index into the sampled prompts. */
  prompt: number;
  /** The model's slot (1-based); in pairs, response A's. */
  slot: number;
  /** Pairs only: response B's slot. */
  slotB: number | null;
}

/** Single: one item per (prompt, model). Pairs: one per prompt and unordered model pair, sides at random. */
export function buildItems(prompts: number, models: number, pairs: boolean, rand: Rand): PlannedItem[] {
  const items: PlannedItem[] = [];
  for (let p = 0; p < prompts; p++) {
    if (!pairs) {
      for (let m = 1; m <= models; m++) items.push({ prompt: p, slot: m, slotB: null });
      continue;
    }
    for (let i = 1; i <= models; i++) {
      for (let j = i + 1; j <= models; j++) {
        const flip = rand() < 0.5;
        items.push({ prompt: p, slot: flip ? j : i, slotB: flip ? i : j });
      }
    }
  }
  return items;
}

/**
 * Each item to `perItem` distinct evaluators, the least loaded first (people/draw.ts); ties go by
 * a fresh seeded draw per item, one number per evaluator, lowest first. Returns, per evaluator
 * (by index), the items they score.
 */
export function assign(items: number, evaluators: number, perItem: number, rand: Rand): number[][] {
  if (perItem > evaluators) throw new RangeError('perItem exceeds the evaluators');
  const tieOrder = () => {
    const tie = indexes(evaluators).map(() => rand());
    return indexes(evaluators).sort((a, b) => tie[a]! - tie[b]!);
  };
  const out: number[][] = indexes(evaluators).map(() => []);
  assignLeastLoaded(items, evaluators, perItem, tieOrder).forEach((chosen, it) => {
    for (const e of chosen) out[e]!.push(it);
  });
  return out;
}

/** One evaluator's own order of their items: seeded from (seed, their name), so it differs per evaluator and repeats. */
export function evaluatorOrder<T>(items: readonly T[], seed: number, evaluator: string): T[] {
  return shuffled(items, seededRandom((seed ^ fnv1a32(evaluator, 'utf8')) >>> 0));
}
