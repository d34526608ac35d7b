// What every scorer is, whatever computes it (an embedded classifier, a Hugging Face classifier
// in the worker, an LLM judge, a moderation API, a style-trait classifier): an id and a version
// (scores are cached under both, with the text's hash), what it measures, and one batched
// score function. A scorer that fails on some texts reports the error on those items only.

/** What a scorer's `score` means: the probability of its positive class. */
export type ScorerMeasure = 'unsafe' | 'toxicity' | 'flagged' | 'bias' | 'sentiment' | 'harm' | 'style';

export interface ScoreResult {
  /** Probability (0–1) of the scorer's positive class (unsafe, toxic, flagged, …); null on error. */
  score: number | null;
  /** The scorer's own verdict label, e.g. 'unsafe' / 'safe', or the top style trait. */
  label: string | null;
  /** Per-class probabilities where the scorer has them (style traits: one per trait). */
  probs: Record<string, number> | null;
  /** Why this text has no score; the other texts still get theirs. */
  error: string | null;
}

export interface ScorerInfo {
  /** Stable id, e.g. 'embedded:cmd-annotation', 'hf:toxigen-roberta', 'judge:llama-guard-3', 'moderation:openai'. */
  id: string;
  /** Bumped whenever the same texts could get different scores (new weights, prompt, threshold). */
  version: string;
  measure: ScorerMeasure;
  /** Threshold on `score` for a positive verdict (the paper: 0.5). */
  threshold: number;
  /** Human-readable description, shown beside results (e.g. the model's sha256, validation metrics). */
  description: string;
  /** Validation metrics where the scorer has them (embedded and trained classifiers). */
  validation: { accuracy: number; macroF1: number; rocAuc: number | null; n: number } | null;
}

export interface Scorer {
  info: ScorerInfo;
  /** Score texts in input order; one result per text. Throw only for a failure of the whole batch. */
  score(
    texts: readonly string[],
    opts?: { signal?: AbortSignal; onProgress?: (done: number) => void },
  ): Promise<ScoreResult[]>;
  /** Release models/processes the scorer holds. */
  close?(): Promise<void>;
}
