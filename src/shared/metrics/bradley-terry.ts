// Bradley–Terry ranking from pairwise comparisons (A/B human evaluation, as Chatbot Arena
// does): P(i beats j) = p_i / (p_i + p_j). Fitted with Hunter's (2004) MM algorithm, with a
// seeded percentile bootstrap over comparisons. Pure: no Node, no DOM.
import { seededRandom } from './bootstrap';
import { quantileSorted } from './describe';

export interface PairComparison {
  /** Model indices 0..k−1, a !== b. */
  a: number;
  b: number;
  outcome: 'a' | 'b' | 'tie';
}

export interface BradleyTerryFit {
  /** log p_i (natural log), centred to mean 0: strengths[i] − strengths[j] is the log-odds that i beats j. */
  strengths: number[];
  iterations: number;
  converged: boolean;
}

export interface BradleyTerryOptions {
  /** Most MM iterations (default 10000). */
  maxIterations?: number;
  /**
   * Stop when no log-strength moves by more than this in one iteration (default 1e-10). MM
   * converges linearly, so the remaining error can be a few hundred times this when the data
   * barely separate two models; still far below any reported precision.
   */
  tolerance?: number;
  /** Virtual ties added to every pair of models (default 0.5); 0 gives the plain MLE. */
  prior?: number;
}

const OUTCOMES = new Set(['a', 'b', 'tie']);

/** Pairwise tallies: wins[i][j] = times i beat j (a tie is half a win each way), games[i][j] = comparisons. */
interface Tally {
  wins: Float64Array[];
  games: Float64Array[];
}

function emptyTally(k: number): Tally {
  return {
    wins: Array.from({ length: k }, () => new Float64Array(k)),
    games: Array.from({ length: k }, () => new Float64Array(k)),
  };
}

function add(t: Tally, c: PairComparison): void {
  const wa = c.outcome === 'a' ? 1 : c.outcome === 'b' ? 0 : 0.5;
  t.wins[c.a]![c.b]! += wa;
  t.wins[c.b]![c.a]! += 1 - wa;
  t.games[c.a]![c.b]! += 1;
  t.games[c.b]![c.a]! += 1;
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`Bradley–Terry: k must be an integer ≥ 2 (got ${k})`);
}

function checkComparisons(k: number, comparisons: readonly PairComparison[]): void {
  comparisons.forEach((c, i) => {
    for (const side of ['a', 'b'] as const) {
      const v = c[side];
      if (!Number.isInteger(v) || v < 0 || v >= k)
        throw new RangeError(`Bradley–Terry: comparisons[${i}].${side} is ${v}, outside the model indices 0..${k - 1}`);
    }
    if (c.a === c.b) throw new RangeError(`Bradley–Terry: comparisons[${i}] compares model ${c.a} with itself`);
    if (!OUTCOMES.has(c.outcome))
      throw new RangeError(
        `Bradley–Terry: comparisons[${i}].outcome is ${String(c.outcome)}, expected 'a', 'b' or 'tie'`,
      );
  });
}

function checkOptions(o: BradleyTerryOptions): Required<BradleyTerryOptions> {
  const maxIterations = o.maxIterations ?? 10000;
  const tolerance = o.tolerance ?? 1e-10;
  const prior = o.prior ?? 0.5;
  if (!Number.isInteger(maxIterations) || maxIterations < 1)
    throw new RangeError(`Bradley–Terry: maxIterations must be a positive integer (got ${maxIterations})`);
  if (!(tolerance > 0)) throw new RangeError(`Bradley–Terry: tolerance must be > 0 (got ${tolerance})`);
  if (!(prior >= 0) || !Number.isFinite(prior))
    throw new RangeError(`Bradley–Terry: prior must be a finite number ≥ 0 (got ${prior})`);
  return { maxIterations, tolerance, prior };
}

/**
 * Without a prior the MLE is finite only when, for every split of the models into two groups,
 * some model in each group beats (or ties) some model in the other (Hunter 2004, assumption 1):
 * the "beat or tied" graph must be strongly connected. Checked by reachability from model 0
 * along the edges and against them.
 */
function stronglyConnected(t: Tally, k: number): boolean {
  const reach = (forward: boolean): number => {
    const seen = new Uint8Array(k);
    const stack = [0];
    seen[0] = 1;
    let count = 1;
    while (stack.length > 0) {
      const i = stack.pop()!;
      for (let j = 0; j < k; j++) {
        const w = forward ? t.wins[i]![j]! : t.wins[j]![i]!;
        if (!seen[j] && w > 0) {
          seen[j] = 1;
          count++;
          stack.push(j);
        }
      }
    }
    return count;
  };
  return reach(true) === k && reach(false) === k;
}

/** Hunter's MM iteration on a tally: p_i ← W_i / Σ_j n_ij / (p_i + p_j), renormalised each step. */
function fitTally(t: Tally, k: number, o: Required<BradleyTerryOptions>): BradleyTerryFit {
  // srlab's choice of regulariser: every pair of models gets `prior` virtual ties (half a win
  // each way). It keeps every strength finite when a model never loses (or never wins) or a
  // model was never compared, pulls sparse pairs gently towards equal strength, and leaves
  // the ranking of well-sampled models unchanged in practice. prior = 0 is the plain MLE.
  const W = new Float64Array(k);
  const n: Float64Array[] = t.games.map((row) => Float64Array.from(row, (g) => g + o.prior));
  for (let i = 0; i < k; i++) {
    n[i]![i] = 0;
    for (let j = 0; j < k; j++) if (j !== i) W[i]! += t.wins[i]![j]! + o.prior / 2;
  }
  let logp = new Float64Array(k);
  let iterations = 0;
  let converged = false;
  while (iterations < o.maxIterations && !converged) {
    iterations++;
    const p = logp.map(Math.exp);
    const next = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let denom = 0;
      for (let j = 0; j < k; j++) if (n[i]![j]! > 0) denom += n[i]![j]! / (p[i]! + p[j]!);
      next[i] = Math.log(W[i]! / denom);
    }
    // Centre on the log scale (geometric mean 1): the likelihood only sees differences.
    const mean = next.reduce((s, v) => s + v, 0) / k;
    let moved = 0;
    for (let i = 0; i < k; i++) {
      next[i]! -= mean;
      moved = Math.max(moved, Math.abs(next[i]! - logp[i]!));
    }
    logp = next;
    converged = moved < o.tolerance;
  }
  return { strengths: Array.from(logp), iterations, converged };
}

/**
 * Bradley–Terry strengths on the log scale (natural log), centred to mean 0; ties count as
 * half a win for each side. With `prior` 0 the data must tie the models together (see
 * `stronglyConnected`), otherwise some strength would be ±∞ and a RangeError says so.
 */
export function bradleyTerry(
  k: number,
  comparisons: readonly PairComparison[],
  opts: BradleyTerryOptions = {},
): BradleyTerryFit {
  checkK(k);
  checkComparisons(k, comparisons);
  const o = checkOptions(opts);
  const t = emptyTally(k);
  for (const c of comparisons) add(t, c);
  if (o.prior === 0 && !stronglyConnected(t, k))
    throw new RangeError(
      'Bradley–Terry: with prior 0 some model never wins or never loses against the rest, so its strength is infinite; use prior > 0',
    );
  return fitTally(t, k, o);
}

/**
 * Percentile bootstrap intervals for the strengths: the comparisons are resampled with
 * replacement (`seededRandom(seed)`, so the same seed gives the same intervals everywhere) and
 * refitted with the default prior, which keeps every resample's fit finite. `confidence` is
 * the coverage (0.95 → the 2.5% and 97.5% quantiles). A model that takes part in no comparison
 * gets `null`: its strength is the prior alone.
 */
export function bradleyTerryBootstrap(
  k: number,
  comparisons: readonly PairComparison[],
  opts: { resamples: number; confidence: number; seed: number },
): { fit: BradleyTerryFit; ci: ([number, number] | null)[] } {
  const { resamples, confidence, seed } = opts;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`Bradley–Terry bootstrap: resamples must be a positive integer (got ${resamples})`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`Bradley–Terry bootstrap: confidence must lie in (0, 1) (got ${confidence})`);
  if (!Number.isFinite(seed))
    throw new RangeError(`Bradley–Terry bootstrap: seed must be a finite number (got ${seed})`);
  const fit = bradleyTerry(k, comparisons);
  const o = checkOptions({});
  const seen = new Uint8Array(k);
  for (const c of comparisons) seen[c.a] = seen[c.b] = 1;
  const stats = Array.from({ length: k }, () => new Float64Array(resamples));
  const rand = seededRandom(seed);
  const m = comparisons.length;
  for (let r = 0; r < resamples; r++) {
    const t = emptyTally(k);
    for (let d = 0; d < m; d++) add(t, comparisons[Math.floor(rand() * m)]!);
    const s = fitTally(t, k, o).strengths;
    for (let i = 0; i < k; i++) stats[i]![r] = s[i]!;
  }
  const tail = (1 - confidence) / 2;
  const ci = stats.map((x, i): [number, number] | null => {
    if (!seen[i]) return null;
    x.sort();
    return [quantileSorted(x, tail), quantileSorted(x, 1 - tail)];
  });
  return { fit, ci };
}
