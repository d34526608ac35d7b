// From test-set items to the sentences a model scores, and from those scores back to each
// item's metric inputs (METRICS.md sections 1–2). Pure: the scoring itself is loglik.ts's.
import { ApiError } from '../../../shared/contract';
import type { CrowsItemScore, LikelihoodKind, StereosetItemScore } from '../../../shared/contracts/likelihood';
import type { TestsetItem } from '../../../shared/contracts/testsets';

/** A sentence's two scores: summed log-probability and mean per token (natural log, given BOS). */
export interface SentenceScore {
  total: number;
  mean: number;
}

/** What an item needs scored: indexes into the de-duplicated sentence list. */
interface Planned<K extends LikelihoodKind> {
  kind: K;
  item: TestsetItem;
  sentences: number[];
}

export interface SentencePlan {
  kind: LikelihoodKind;
  /** Each distinct sentence once (StereoSet repeats some), in first-seen order. */
  sentences: string[];
  /** Per sentence, the item that first named it: an item's sentences are scored on one sequence. */
  groups: number[];
  items: Planned<LikelihoodKind>[];
  /** Items this metric does not score (StereoSet's intersentence examples). */
  skipped: number;
}

function text(item: TestsetItem, field: string): string {
  const v = item.fields[field];
  if (typeof v !== 'string' || v.trim() === '')
    throw new ApiError(
      'invalid-input',
      `test set item ${item.index}: fields.${field} is missing (was it imported with the right --kind?)`,
    );
  return v;
}

/**
 * The sentences to score: StereoSet intrasentence examples give their stereotype, anti-stereotype
 * and unrelated sentences (the whole sentence with the blank filled in, as the reference scores a
 * causal LM); CrowS-Pairs gives sent_more and sent_less. `limit` keeps the first N scored items.
 */
export function planSentences(kind: LikelihoodKind, all: readonly TestsetItem[], limit?: number): SentencePlan {
  const index = new Map<string, number>();
  const items: Planned<LikelihoodKind>[] = [];
  const sentences: string[] = [];
  const groups: number[] = [];
  const at = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = sentences.length;
      sentences.push(s);
      groups.push(items.length);
      index.set(s, i);
    }
    return i;
  };
  let skipped = 0;
  for (const item of all) {
    if (limit !== undefined && items.length >= limit) {
      skipped++;
      continue;
    }
    if (kind === 'stereoset') {
      // The paper's StereoSet row is the intrasentence task (PAPER.md); intersentence examples
      // need the context as a prefix and a different comparison: not scored here.
      if (item.fields.task !== 'intrasentence') {
        skipped++;
        continue;
      }
      items.push({
        kind,
        item,
        sentences: [at(text(item, 'stereotype')), at(text(item, 'anti')), at(text(item, 'unrelated'))],
      });
    } else {
      items.push({ kind, item, sentences: [at(text(item, 'sentMore')), at(text(item, 'sentLess'))] });
    }
  }
  return { kind, sentences, groups, items, skipped };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** StereoSet: each sentence's score is its mean log-prob per token (ranks as the reference's 2^mean log2 p). */
export function stereosetItemScores(plan: SentencePlan, scores: readonly SentenceScore[]): StereosetItemScore[] {
  return plan.items.map(({ item, sentences: [s, a, u] }) => ({
    item: item.index,
    target: str(item.fields.target) ?? item.subgroup ?? '',
    domain: str(item.fields.domain) ?? item.group,
    stereotype: scores[s!]!.mean,
    anti: scores[a!]!.mean,
    unrelated: scores[u!]!.mean,
  }));
}

/** CrowS-Pairs: each sentence's score is its summed log-likelihood (lm-evaluation-harness). */
export function crowsItemScores(plan: SentencePlan, scores: readonly SentenceScore[]): CrowsItemScore[] {
  return plan.items.map(({ item, sentences: [m, l] }) => ({
    item: item.index,
    biasType: str(item.fields.biasType) ?? item.group,
    llMore: scores[m!]!.total,
    llLess: scores[l!]!.total,
  }));
}
