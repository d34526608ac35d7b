// Majority vote over annotators' labels: how a round's gold label is chosen before ties and
// disputes go to an expert (the CMD procedure). Pure: no Node, no DOM.

export interface MajorityResult<T extends string> {
  winner: T | null;
  tie: boolean;
  /** Votes per label, in the order labels first appear. */
  counts: Record<string, number>;
  /** Non-null votes. */
  votes: number;
}

/**
 * Strict majority (> half) of the non-null votes; `tie` when there are votes but no strict
 * majority (so [Yes, No, Mild] is a tie too: no label has more than half). No votes at all →
 * winner null, tie false, votes 0. null/undefined are abstentions, not votes.
 */
export function majorityVote<T extends string>(votes: readonly (T | null | undefined)[]): MajorityResult<T> {
  // A Map (then Object.fromEntries) keeps labels such as "__proto__" as ordinary keys.
  const counts = new Map<T, number>();
  let total = 0;
  for (const v of votes) {
    if (v === null || v === undefined) continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    total++;
  }
  let winner: T | null = null;
  for (const [label, c] of counts) if (c * 2 > total) winner = label;
  return { winner, tie: total > 0 && winner === null, counts: Object.fromEntries(counts), votes: total };
}
