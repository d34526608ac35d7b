// Calibration of a classifier's raw logits on held-out data (the dev split), so a score of 0.8
// means "about 80% of texts scored like this are positive" and the paper's 0.5 threshold means
// what it says.
// - Platt scaling: p = σ(a·z + b), fitted by Newton's method on the log loss with Platt's smoothed
//   targets (N₊+1)/(N₊+2) and 1/(N₋+2) (Platt 1999; the algorithm of Lin, Lin & Weng 2007).
// - Isotonic regression: the pool-adjacent-violators fit of the labels on the logit, read off by
//   linear interpolation between the pooled blocks' centres (flat beyond the ends).

export type Calibration =
  { method: 'none' } | { method: 'platt'; a: number; b: number } | { method: 'isotonic'; x: number[]; y: number[] };

function sigmoid(t: number): number {
  return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
}

export function fitPlatt(z: readonly number[], positive: readonly boolean[]): Calibration {
  let nPos = 0;
  for (const p of positive) if (p) nPos++;
  const nNeg = positive.length - nPos;
  const hi = (nPos + 1) / (nPos + 2);
  const lo = 1 / (nNeg + 2);
  const t = positive.map((p) => (p ? hi : lo));
  // Minimise F(a, b) = −Σ t log p + (1 − t) log(1 − p), p = σ(a z + b).
  const F = (a: number, b: number) => {
    let f = 0;
    for (let i = 0; i < z.length; i++) {
      const u = a * z[i]! + b;
      // −[t log σ(u) + (1−t) log σ(−u)] = log(1 + e^u) − t u, stably
      f += (u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u))) - t[i]! * u;
    }
    return f;
  };
  let a = 1;
  let b = Math.log((nPos + 1) / (nNeg + 1));
  let f = F(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < z.length; i++) {
      const p = sigmoid(a * z[i]! + b);
      const d = p - t[i]!;
      const w = p * (1 - p);
      ga += d * z[i]!;
      gb += d;
      haa += w * z[i]! * z[i]!;
      hab += w * z[i]!;
      hbb += w;
    }
    if (Math.abs(ga) < 1e-12 * z.length && Math.abs(gb) < 1e-12 * z.length) break;
    const det = haa * hbb - hab * hab;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(-hab * ga + haa * gb) / det;
    const slope = ga * da + gb * db;
    let step = 1;
    let improved = false;
    while (step > 1e-10) {
      const fNew = F(a + step * da, b + step * db);
      // Near the optimum F's changes fall below its rounding: a tiny slack lets Newton finish.
      if (fNew <= f + 1e-4 * step * slope + 1e-12 * Math.abs(f)) {
        a += step * da;
        b += step * db;
        f = fNew;
        improved = true;
        break;
      }
      step /= 2;
    }
    if (!improved) break;
  }
  return { method: 'platt', a, b };
}

export function fitIsotonic(z: readonly number[], positive: readonly boolean[]): Calibration {
  const order = z.map((_, i) => i).sort((i, j) => z[i]! - z[j]! || i - j);
  // Blocks of pooled points: sum of x, sum of y, count.
  const sx: number[] = [];
  const sy: number[] = [];
  const cnt: number[] = [];
  for (const i of order) {
    sx.push(z[i]!);
    sy.push(positive[i] ? 1 : 0);
    cnt.push(1);
    // Pool while the last block's mean is not above the one before it (equal means merge too: fewer breakpoints).
    while (sy.length > 1) {
      const k = sy.length - 1;
      if (sy[k - 1]! / cnt[k - 1]! < sy[k]! / cnt[k]!) break;
      sx[k - 1]! += sx[k]!;
      sy[k - 1]! += sy[k]!;
      cnt[k - 1]! += cnt[k]!;
      sx.pop();
      sy.pop();
      cnt.pop();
    }
  }
  return { method: 'isotonic', x: sx.map((v, k) => v / cnt[k]!), y: sy.map((v, k) => v / cnt[k]!) };
}

/** The calibrated probability of a raw logit. */
export function calibrate(c: Calibration, z: number): number {
  switch (c.method) {
    case 'none':
      return sigmoid(z);
    case 'platt':
      return sigmoid(c.a * z + c.b);
    case 'isotonic': {
      const { x, y } = c;
      const n = x.length;
      if (n === 0) return sigmoid(z);
      if (z <= x[0]!) return y[0]!;
      if (z >= x[n - 1]!) return y[n - 1]!;
      let lo = 0;
      let hi = n - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (x[mid]! <= z) lo = mid;
        else hi = mid;
      }
      const span = x[hi]! - x[lo]!;
      return span > 0 ? y[lo]! + ((y[hi]! - y[lo]!) * (z - x[lo]!)) / span : y[lo]!;
    }
  }
}

export function describeCalibration(c: Calibration): string {
  switch (c.method) {
    case 'none':
      return 'none: σ(logit)';
    case 'platt':
      return `platt: σ(${c.a.toFixed(4)}·logit ${c.b >= 0 ? '+' : '−'} ${Math.abs(c.b).toFixed(4)})`;
    case 'isotonic':
      return `isotonic: ${c.x.length} blocks`;
  }
}
