// From annotators' answers to gold labels, the adjudication queue and agreement (pure: the
// service reads the rows and hands them here). The CMD's procedure as srlab applies it:
// - a record is complete once every annotator assigned to it has set all four labels;
// - each category's gold label is the strict majority of those labels (majorityVote);
// - a complete record with no strict majority in some category ("tie"), or that any of its
//   annotators flagged, waits for an expert; the expert's labels replace the tied ones (and may
//   override others); records with neither are "agreed";
// - agreement is Fleiss' kappa per category and srlab's pooled kappa over the four (METRICS.md
//   section 6), with Landis & Koch's bands.
import { fleissKappa } from '../../../shared/metrics/agreement';
import { kappaBand } from '../../../shared/metrics/bands';
import { majorityVote } from '../../../shared/metrics/majority';
import { pooledFleissKappa } from '../../../shared/metrics/spread';
import { LABEL_VALUES } from '../../../shared/domain';
import {
  ROUND_LABELS,
  type QueueItem,
  type RoundAnswer,
  type RoundLabel,
  type RoundLabels,
} from '../../../shared/contracts/rounds';
import type { RecordText } from './store';

export interface Adjudication {
  labels: RoundLabels;
  benign: string | null;
  by: string;
  at: string;
  note: string;
}

/** One record of a round with what its assigned annotators answered (null: nothing yet). */
export interface RecordAnswers {
  record: RecordText;
  answers: { annotator: string; answer: RoundAnswer | null }[];
  adjudication: Adjudication | null;
}

export type GoldState = 'incomplete' | 'agreed' | 'queued' | 'adjudicated';

export interface RecordGold {
  record: RecordText;
  complete: boolean;
  state: GoldState;
  reasons: ('tie' | 'flagged')[];
  tied: RoundLabel[];
  votes: Record<RoundLabel, Record<string, number>>;
  majority: RoundLabels;
  /** The labels to write: the expert's where given, else the majority's. */
  gold: RoundLabels;
  /** Words marked by a strict majority of the record's annotators (srlab's rule for gold biased words). */
  majorityWords: string[];
  /** The benign variation to write, or null to leave the record's as it is (see goldBenign). */
  benign: string | null;
  item: QueueItem;
}

const EMPTY_LABELS: RoundLabels = { bias: null, toxicity: null, sentiment: null, harm: null };

/** All four labels set: the annotator is done with the record. */
export function isDone(answer: RoundAnswer | null): boolean {
  return answer !== null && ROUND_LABELS.every((l) => answer[l] !== null);
}

/** Value → count of the non-null votes, most votes first (ties in the order first voted). */
export function countVotes(votes: readonly (string | null)[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const v of votes) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
}

/** "Yes 1, No 1" */
export function describeVotes(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');
}

/**
 * Biased words as marked, counted once per annotator (case-insensitively; the first spelling
 * seen is shown), most marked first.
 */
export function countWords(lists: readonly (readonly string[])[]): { word: string; count: number }[] {
  const seen = new Map<string, { word: string; count: number }>();
  for (const list of lists) {
    const mine = new Set<string>();
    for (const w of list) {
      const k = w.trim().toLowerCase();
      if (k === '' || mine.has(k)) continue;
      mine.add(k);
      const e = seen.get(k);
      if (e) e.count++;
      else seen.set(k, { word: w.trim(), count: 1 });
    }
  }
  return [...seen.values()].sort((a, b) => b.count - a.count || a.word.localeCompare(b.word));
}

/**
 * srlab's rule for the gold benign variation: the expert's if they gave one; otherwise the
 * annotators' text when every annotator who wrote one wrote the same (after trimming); otherwise
 * null, which leaves the record's variation as it is (differing rewrites need a person to choose).
 */
export function goldBenign(written: readonly string[], adjudicated: string | null): string | null {
  if (adjudicated !== null && adjudicated.trim() !== '') return adjudicated.trim();
  const texts = new Set(written.map((t) => t.trim()).filter((t) => t !== ''));
  return texts.size === 1 ? [...texts][0]! : null;
}

export function recordGold(r: RecordAnswers): RecordGold {
  const answers = r.answers.map((a) => a.answer);
  const complete = answers.length > 0 && answers.every(isDone);
  const votes = {} as Record<RoundLabel, Record<string, number>>;
  const majority: RoundLabels = { ...EMPTY_LABELS };
  const tied: RoundLabel[] = [];
  for (const label of ROUND_LABELS) {
    const cast = answers.map((a) => a?.[label] ?? null);
    votes[label] = countVotes(cast);
    const { winner } = majorityVote(cast);
    majority[label] = (winner ?? null) as never;
    if (complete && winner === null) tied.push(label);
  }
  const flagged = complete && answers.some((a) => a?.flagged === true);
  const reasons: ('tie' | 'flagged')[] = [];
  if (tied.length > 0) reasons.push('tie');
  if (flagged) reasons.push('flagged');
  const adj = r.adjudication;
  const state: GoldState = !complete
    ? 'incomplete'
    : adj !== null
      ? 'adjudicated'
      : reasons.length > 0
        ? 'queued'
        : 'agreed';
  const gold: RoundLabels = { ...EMPTY_LABELS };
  for (const label of ROUND_LABELS) gold[label] = (adj?.labels[label] ?? majority[label]) as never;

  const words = countWords(r.answers.map((a) => a.answer?.biasedWords ?? []));
  const annotators = r.answers.length;
  const majorityWords = words.filter((w) => w.count * 2 > annotators).map((w) => w.word);
  const benignTexts = r.answers
    .filter((a) => a.answer?.benign != null && a.answer.benign.trim() !== '')
    .map((a) => ({ annotator: a.annotator, text: a.answer!.benign! }));
  const item: QueueItem = {
    record: r.record.id,
    text: r.record.text,
    reasons,
    tied,
    votes,
    majority,
    notes: r.answers
      .filter((a) => a.answer !== null && (a.answer.note.trim() !== '' || a.answer.flagged))
      .map((a) => ({ annotator: a.annotator, note: a.answer!.note, flagged: a.answer!.flagged })),
    biasedWords: words,
    benign: benignTexts,
    adjudication: adj,
  };
  return {
    record: r.record,
    complete,
    state,
    reasons,
    tied,
    votes,
    majority,
    gold,
    majorityWords,
    benign: goldBenign(
      benignTexts.map((b) => b.text),
      adj?.benign ?? null,
    ),
    item,
  };
}

type Band = ReturnType<typeof kappaBand>;

export interface Agreement {
  kappa: { overall: number | null; perLabel: Record<RoundLabel, number | null> };
  band: { overall: Band | null; perLabel: Record<RoundLabel, Band | null> };
  units: { overall: number } & Record<RoundLabel, number>;
}

const finite = (k: number | null | undefined): number | null =>
  k === null || k === undefined || !Number.isFinite(k) ? null : k;

/**
 * Fleiss' kappa per category over the records every assigned annotator labelled in it (exactly
 * `perRecord` labels each), with the CMD's canonical values as the categories; the overall figure
 * is the pooled kappa over the four. Null where it is undefined: under 2 annotators per record,
 * no such records, or no variation at all (every label the same value: P_e = 1).
 */
export function roundAgreement(records: readonly RecordAnswers[], perRecord: number): Agreement {
  const perLabel = {} as Record<RoundLabel, number | null>;
  const units = { overall: 0 } as Agreement['units'];
  const groups: { categories: string[]; items: string[][] }[] = [];
  for (const label of ROUND_LABELS) {
    const items = records
      .map((r): (string | null)[] => r.answers.map((a) => a.answer?.[label] ?? null))
      .filter((vs): vs is string[] => vs.length === perRecord && vs.every((v) => v !== null));
    const categories = [...LABEL_VALUES[label]] as string[];
    units[label] = items.length;
    groups.push({ categories, items });
    perLabel[label] =
      perRecord >= 2 && items.length > 0
        ? finite(fleissKappa(items.map((vs) => categories.map((c) => vs.filter((v) => v === c).length))).kappa)
        : null;
  }
  const pooled = perRecord >= 2 && groups.some((g) => g.items.length > 0) ? pooledFleissKappa(groups) : null;
  const overall = finite(pooled?.kappa);
  units.overall = pooled?.items ?? 0;
  const band = (k: number | null): Band | null => (k === null ? null : kappaBand(k));
  return {
    kappa: { overall, perLabel },
    band: {
      overall: band(overall),
      perLabel: {
        bias: band(perLabel.bias),
        toxicity: band(perLabel.toxicity),
        sentiment: band(perLabel.sentiment),
        harm: band(perLabel.harm),
      },
    },
    units,
  };
}
