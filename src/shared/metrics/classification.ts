// Classification metrics for scorers and classifiers: accuracy, macro-F1 and ROC-AUC.
// Pure: no Node, no DOM. Definitions follow scikit-learn's (accuracy_score, f1_score with
// average='macro', roc_auc_score) so numbers can be checked against it.

function sameLength(a: { length: number }, b: { length: number }, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: ${a.length} true labels but ${b.length} predictions`);
}

/** Share of predictions equal to the true label; NaN when empty. */
export function accuracy<T>(yTrue: readonly T[], yPred: readonly T[]): number {
  sameLength(yTrue, yPred, 'accuracy');
  if (yTrue.length === 0) return Number.NaN;
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return hit / yTrue.length;
}

export interface ClassF1 {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** True items of this class. */
  support: number;
}

/**
 * Per-class precision/recall/F1 over `labels` (default: every label seen in either list,
 * sorted). As scikit-learn with zero_division=0: a ratio with a zero denominator is 0.
 */
export function perClassF1<T>(yTrue: readonly T[], yPred: readonly T[], labels?: readonly T[]): ClassF1[] {
  sameLength(yTrue, yPred, 'F1');
  const cats = labels ?? [...new Set([...yTrue, ...yPred])].sort((a, b) => String(a).localeCompare(String(b)));
  return cats.map((c) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < yTrue.length; i++) {
      const t = yTrue[i] === c;
      const p = yPred[i] === c;
      if (t && p) tp++;
      else if (p) fp++;
      else if (t) fn++;
    }
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
    const f1 = 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
    return { label: String(c), precision, recall, f1, support: tp + fn };
  });
}

/** Unweighted mean of the per-class F1 scores (scikit-learn's average='macro'); NaN when empty. */
export function macroF1<T>(yTrue: readonly T[], yPred: readonly T[], labels?: readonly T[]): number {
  const per = perClassF1(yTrue, yPred, labels);
  if (yTrue.length === 0 || per.length === 0) return Number.NaN;
  return per.reduce((s, c) => s + c.f1, 0) / per.length;
}

/**
 * 1-based ranks of `values` in ascending order, tied values sharing their average rank
 * (the "average" method of scipy.stats.rankdata).
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]!] === values[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank;
    i = j + 1;
  }
  return ranks;
}

/**
 * ROC-AUC for a binary problem from scores (higher = more positive): the Mann-Whitney
 * statistic U/(n₊·n₋) over average ranks, so a tie between a positive and a negative counts
 * ½ (the same value as scikit-learn's trapezoidal roc_auc_score). NaN unless both classes
 * occur; NaN scores are an error.
 */
export function rocAuc(positive: readonly (boolean | number)[], scores: ArrayLike<number>): number {
  sameLength(positive, scores, 'ROC-AUC');
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]!)) throw new RangeError(`ROC-AUC: score ${i} is not a number`);
  }
  const ranks = averageRanks(scores);
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < positive.length; i++) {
    if (positive[i]) {
      nPos++;
      rankSum += ranks[i]!;
    }
  }
  const nNeg = positive.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export interface BinaryClassificationMetrics {
  n: number;
  positives: number;
  /** Verdict rule: score > threshold is positive (the paper's "score > 0.5"). */
  threshold: number;
  accuracy: number;
  /** Macro-F1 over the two classes (positive, negative). */
  macroF1: number;
  rocAuc: number;
  /** Counts of the confusion matrix at the threshold. */
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Accuracy and macro-F1 at a threshold plus threshold-free ROC-AUC, for a binary scorer. */
export function binaryClassificationMetrics(
  positive: readonly (boolean | number)[],
  scores: ArrayLike<number>,
  threshold = 0.5,
): BinaryClassificationMetrics {
  sameLength(positive, scores, 'classification metrics');
  const yTrue = Array.from(positive, (p) => Boolean(p));
  const yPred = Array.from(scores, (s) => s > threshold);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  yTrue.forEach((t, i) => {
    if (t && yPred[i]) tp++;
    else if (yPred[i]) fp++;
    else if (t) fn++;
    else tn++;
  });
  return {
    n: yTrue.length,
    positives: tp + fn,
    threshold,
    accuracy: accuracy(yTrue, yPred),
    // Both classes always count, as labels=[True, False] does in scikit-learn.
    macroF1: macroF1(yTrue, yPred, [true, false]),
    rocAuc: rocAuc(yTrue, scores),
    tp,
    fp,
    tn,
    fn,
  };
}
