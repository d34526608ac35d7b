// L2-regularised logistic regression, fitted with L-BFGS (srlab's own implementation; no npm
// library is installed for it). The objective is convex, so L-BFGS converges to its one minimum:
//   f(w, b) = (1/n) Σ log(1 + exp(−y_i (w·x_i + b))) + (λ/2) ‖w‖²,   y_i ∈ {−1, +1}
// (the bias b is not penalised). Everything is deterministic: no random initialisation, no
// shuffling — the same data and settings give the same weights bit for bit.
import type { FeatureMatrix } from './features';

export interface LogregSettings {
  l2: number;
  maxIterations: number;
  /** Stop when the gradient's largest entry falls below this. */
  tolerance: number;
}

export interface LogregModel {
  weights: Float32Array;
  bias: number;
  iterations: number;
  /** The objective at the end. */
  loss: number;
}

const HISTORY = 10;

/** log(1 + exp(−m)) without overflow. */
function logLoss(m: number): number {
  return m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
}

/** σ(−m) = 1 / (1 + exp(m)), without overflow. */
function sigmoidNeg(m: number): number {
  if (m >= 0) {
    const e = Math.exp(-m);
    return e / (1 + e);
  }
  return 1 / (1 + Math.exp(m));
}

/** The objective and its gradient at theta (weights, then the bias last), into `grad`. */
function objective(x: FeatureMatrix, y: Int8Array, l2: number, theta: Float64Array, grad: Float64Array): number {
  const dim = theta.length - 1;
  const bias = theta[dim]!;
  const n = x.rows;
  let loss = 0;
  let gBias = 0;
  grad.fill(0);
  for (let r = 0; r < n; r++) {
    const from = x.rowStart[r]!;
    const to = x.rowStart[r + 1]!;
    let z = bias;
    for (let k = from; k < to; k++) z += theta[x.indices[k]!]! * x.values[k]!;
    const yi = y[r]!;
    const m = yi * z;
    loss += logLoss(m);
    // d/dz log(1 + exp(−y z)) = −y σ(−y z)
    const dz = (-yi * sigmoidNeg(m)) / n;
    gBias += dz;
    for (let k = from; k < to; k++) grad[x.indices[k]!]! += dz * x.values[k]!;
  }
  loss /= n;
  let sq = 0;
  for (let j = 0; j < dim; j++) {
    const w = theta[j]!;
    sq += w * w;
    grad[j]! += l2 * w;
  }
  grad[dim] = gBias;
  return loss + 0.5 * l2 * sq;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m) m = v;
  }
  return m;
}

/**
 * Fit on rows `x` with labels `positive[r]` (true: the positive class). `onIteration` runs after
 * each iteration and may await (the caller yields to the event loop there and checks for cancel).
 */
export async function fitLogreg(
  x: FeatureMatrix,
  positive: readonly boolean[],
  dim: number,
  settings: LogregSettings,
  onIteration?: (iteration: number, loss: number) => void | Promise<void>,
): Promise<LogregModel> {
  if (x.rows === 0) throw new Error('no training examples');
  // Optimise only the buckets some training text uses: the others have zero gradient from the
  // start and every L-BFGS direction is a combination of gradients, so they stay exactly 0 —
  // the same weights, with dense steps over the used buckets instead of all of them.
  const { compact, used } = compactColumns(x, dim);
  const fitted = await fitDense(compact, positive, used.length, settings, onIteration);
  const weights = new Float32Array(dim);
  used.forEach((bucket, j) => (weights[bucket] = fitted.weights[j]!));
  return { ...fitted, weights };
}

/** The matrix with its columns renumbered 0..used.length-1 in bucket order, and the buckets used. */
function compactColumns(x: FeatureMatrix, dim: number): { compact: FeatureMatrix; used: Int32Array } {
  const column = new Int32Array(dim).fill(-1);
  for (let k = 0; k < x.indices.length; k++) column[x.indices[k]!] = 0;
  let n = 0;
  for (let b = 0; b < dim; b++) if (column[b] === 0) column[b] = n++;
  const used = new Int32Array(n);
  for (let b = 0; b < dim; b++) if (column[b]! >= 0) used[column[b]!] = b;
  const indices = new Int32Array(x.indices.length);
  for (let k = 0; k < indices.length; k++) indices[k] = column[x.indices[k]!]!;
  return { compact: { ...x, indices }, used };
}

async function fitDense(
  x: FeatureMatrix,
  positive: readonly boolean[],
  dim: number,
  settings: LogregSettings,
  onIteration?: (iteration: number, loss: number) => void | Promise<void>,
): Promise<LogregModel> {
  const y = new Int8Array(x.rows);
  for (let r = 0; r < x.rows; r++) y[r] = positive[r] ? 1 : -1;
  const size = dim + 1;
  const theta = new Float64Array(size);
  const grad = new Float64Array(size);
  const nextTheta = new Float64Array(size);
  const nextGrad = new Float64Array(size);
  const direction = new Float64Array(size);
  const s: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(HISTORY);

  let loss = objective(x, y, settings.l2, theta, grad);
  let iterations = 0;
  for (; iterations < settings.maxIterations; iterations++) {
    if (maxAbs(grad) < settings.tolerance) break;
    // Two-loop recursion: direction = −H·grad.
    for (let i = 0; i < size; i++) direction[i] = -grad[i]!;
    for (let k = s.length - 1; k >= 0; k--) {
      const a = rho[k]! * dot(s[k]!, direction);
      alpha[k] = a;
      const yk = yHist[k]!;
      for (let i = 0; i < size; i++) direction[i]! -= a * yk[i]!;
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const gamma = dot(s[last]!, yHist[last]!) / dot(yHist[last]!, yHist[last]!);
      for (let i = 0; i < size; i++) direction[i]! *= gamma;
    }
    for (let k = 0; k < s.length; k++) {
      const b = rho[k]! * dot(yHist[k]!, direction);
      const sk = s[k]!;
      const a = alpha[k]!;
      for (let i = 0; i < size; i++) direction[i]! += (a - b) * sk[i]!;
    }
    let slope = dot(grad, direction);
    if (slope >= 0) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      s.length = yHist.length = rho.length = 0;
      for (let i = 0; i < size; i++) direction[i] = -grad[i]!;
      slope = dot(grad, direction);
    }
    // Backtracking line search (Armijo); the first step is scaled so it is not huge.
    let step = iterations === 0 ? 1 / Math.max(1, Math.sqrt(-slope)) : 1;
    let nextLoss = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < size; i++) nextTheta[i] = theta[i]! + step * direction[i]!;
      nextLoss = objective(x, y, settings.l2, nextTheta, nextGrad);
      if (nextLoss <= loss + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(nextLoss < loss)) break; // no progress possible at float precision
    const sNew = new Float64Array(size);
    const yNew = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      sNew[i] = nextTheta[i]! - theta[i]!;
      yNew[i] = nextGrad[i]! - grad[i]!;
    }
    const sy = dot(sNew, yNew);
    if (sy > 1e-12) {
      if (s.length === HISTORY) {
        s.shift();
        yHist.shift();
        rho.shift();
      }
      s.push(sNew);
      yHist.push(yNew);
      rho.push(1 / sy);
    }
    const relative = (loss - nextLoss) / Math.max(1, Math.abs(loss));
    theta.set(nextTheta);
    grad.set(nextGrad);
    loss = nextLoss;
    await onIteration?.(iterations + 1, loss);
    if (relative < 1e-10) {
      iterations++;
      break;
    }
  }
  return { weights: Float32Array.from(theta.subarray(0, dim)), bias: theta[dim]!, iterations, loss };
}

/** The raw logit w·x + b of one featurised text. */
export function logit(
  weights: Float32Array,
  bias: number,
  indices: Int32Array,
  values: Float32Array,
  length: number,
): number {
  let z = bias;
  for (let k = 0; k < length; k++) z += weights[indices[k]!]! * values[k]!;
  return z;
}
