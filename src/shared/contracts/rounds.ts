// CMD annotation rounds (how the CMD was made): a researcher gives a set of records to several
// annotators; each labels bias, toxicity, sentiment and harm, marks biased words and writes or
// edits the benign variation. Gold labels come by majority vote; ties and flagged records wait
// for an expert's adjudication; the gold labels are written back to the dataset as label edits
// (who, when). Agreement: Fleiss' kappa per category and overall (the paper reports 0.70–0.78 and 0.69).
// Lab methods manage rounds; evaluator methods (`assignment`, `annotate`, `submit`) serve the
// annotator's page and answer only about the caller's own records, by opaque keys.
import { z } from 'zod';
import { defineContract } from '../contract';
import { LABEL_VALUES, SPLITS } from '../domain';
import { EvaluatorName, EvaluatorToken, SessionName } from './access';
import { ExpiresInDays, Id, Invite, InviteChanged, ItemKey, Seed } from './humaneval';

/** The token's `session` string for an annotation round. */
export function roundSessionName(id: number): string {
  return `round:${id}`;
}

export const RoundActingAs = z.object({ round: Id, annotator: EvaluatorName });

/** The four categories annotators label, with the CMD's canonical values. */
export const ROUND_LABELS = ['bias', 'toxicity', 'sentiment', 'harm'] as const;
export type RoundLabel = (typeof ROUND_LABELS)[number];

const RoundLabels = z.object({
  bias: z.enum(LABEL_VALUES.bias).nullable().default(null),
  toxicity: z.enum(LABEL_VALUES.toxicity).nullable().default(null),
  sentiment: z.enum(LABEL_VALUES.sentiment).nullable().default(null),
  harm: z.enum(LABEL_VALUES.harm).nullable().default(null),
});
export type RoundLabels = z.infer<typeof RoundLabels>;

/** One annotator's work on one record, sent whole on every change (the last one wins). */
export const RoundAnswer = RoundLabels.extend({
  /** Words or phrases of the text the annotator marked as biased (each must occur in the text). */
  biasedWords: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  /** The benign variation as the annotator wrote or edited it; null: none needed / none written. */
  benign: z.string().max(5000, 'a benign variation is at most 5000 characters').nullable().default(null),
  /** "I am unsure / this needs an expert": the record goes to adjudication whatever the vote. */
  flagged: z.boolean().default(false),
  note: z.string().max(2000, 'a note is at most 2000 characters').default(''),
});
export type RoundAnswer = z.infer<typeof RoundAnswer>;

export const AnnotationItem = z.object({
  key: z.string(),
  position: z.number().int(),
  text: z.string(),
  /** The record's current benign variation, to start from (never its labels: they would anchor the annotator). */
  benignSuggestion: z.string().nullable(),
  answer: RoundAnswer.nullable(),
  answeredAt: z.string().nullable(),
});
export type AnnotationItem = z.infer<typeof AnnotationItem>;

export const RoundInfo = z.object({
  id: z.number().int(),
  title: z.string(),
  dataset: z.string(),
  split: z.enum([...SPLITS, 'all']),
  seed: z.number().int(),
  records: z.number().int(),
  perRecord: z.number().int(),
  annotators: z.array(z.string()),
  createdAt: z.string(),
  /** When gold labels were last written back to the dataset. */
  appliedAt: z.string().nullable(),
});
export type RoundInfo = z.infer<typeof RoundInfo>;

const Kappa = z.number().nullable();
const KappaBand = z.enum(['poor', 'slight', 'fair', 'moderate', 'substantial', 'almost perfect']).nullable();

export const RoundAgreement = z.object({
  /** Fleiss' kappa (METRICS.md section 6) over records every assigned annotator labelled in that category. */
  kappa: z.object({
    /** srlab's pooled kappa: every (record, category) a unit, values kept apart by category. */
    overall: Kappa,
    perLabel: z.object({ bias: Kappa, toxicity: Kappa, sentiment: Kappa, harm: Kappa }),
  }),
  /** Landis & Koch's reading of each kappa. */
  band: z.object({
    overall: KappaBand,
    perLabel: z.object({ bias: KappaBand, toxicity: KappaBand, sentiment: KappaBand, harm: KappaBand }),
  }),
  /** Records used for each kappa (complete ones). */
  units: z.object({
    overall: z.number().int(),
    bias: z.number().int(),
    toxicity: z.number().int(),
    sentiment: z.number().int(),
    harm: z.number().int(),
  }),
});

const Votes = z.record(z.string(), z.number().int());

export const QueueItem = z.object({
  record: z.number().int(),
  text: z.string(),
  /** Why it waits: no strict majority in some category, or an annotator flagged it. */
  reasons: z.array(z.enum(['tie', 'flagged'])),
  /** The categories without a strict majority. */
  tied: z.array(z.enum(ROUND_LABELS)),
  votes: z.object({ bias: Votes, toxicity: Votes, sentiment: Votes, harm: Votes }),
  /** Majority gold where there is one. */
  majority: RoundLabels,
  notes: z.array(z.object({ annotator: z.string(), note: z.string(), flagged: z.boolean() })),
  biasedWords: z.array(z.object({ word: z.string(), count: z.number().int() })),
  benign: z.array(z.object({ annotator: z.string(), text: z.string() })),
  adjudication: z
    .object({ labels: RoundLabels, benign: z.string().nullable(), by: z.string(), at: z.string(), note: z.string() })
    .nullable(),
});
export type QueueItem = z.infer<typeof QueueItem>;

export const rounds = {
  create: defineContract({
    channel: 'rounds.create',
    scope: 'lab',
    input: z.object({
      dataset: z.string().trim().min(1).max(200),
      title: SessionName.optional(),
      /** How many records to draw (seeded) from the dataset or split. */
      records: z.number().int().min(1).max(100_000),
      split: z.enum([...SPLITS, 'all']).default('all'),
      annotators: z.array(EvaluatorName).min(1).max(100),
      /** Annotators per record (the CMD's gold labels came from 3). */
      perRecord: z.number().int().min(1).max(100).default(3),
      seed: Seed,
      expiresInDays: ExpiresInDays,
    }),
    output: z.object({ round: RoundInfo, records: z.number().int(), invites: z.array(Invite) }),
  }),
  list: defineContract({
    channel: 'rounds.list',
    scope: 'lab',
    input: z.object({}).default({}),
    output: z.object({ rounds: z.array(RoundInfo) }),
  }),
  status: defineContract({
    channel: 'rounds.status',
    scope: 'lab',
    input: z.object({ id: Id }),
    output: z
      .object({
        round: RoundInfo,
        progress: z.object({ done: z.number().int(), total: z.number().int() }),
        annotators: z.array(
          z.object({
            annotator: z.string(),
            assigned: z.number().int(),
            done: z.number().int(),
            flagged: z.number().int(),
            lastActivityAt: z.string().nullable(),
            submittedAt: z.string().nullable(),
            invites: z.array(EvaluatorToken),
          }),
        ),
        gold: z.object({
          /** Records with a strict majority in every category and no flag. */
          agreed: z.number().int(),
          /** Records waiting for an expert (ties or flags), and those an expert resolved. */
          queued: z.number().int(),
          adjudicated: z.number().int(),
          /** Records not yet labelled by all their annotators. */
          incomplete: z.number().int(),
        }),
      })
      .merge(RoundAgreement),
  }),
  queue: defineContract({
    channel: 'rounds.queue',
    scope: 'lab',
    input: z.object({ id: Id, includeResolved: z.boolean().default(false) }),
    output: z.object({ items: z.array(QueueItem) }),
  }),
  adjudicate: defineContract({
    channel: 'rounds.adjudicate',
    scope: 'lab',
    input: z.object({
      id: Id,
      record: Id,
      /** The expert's labels; a category left null keeps the majority's. */
      labels: RoundLabels,
      benign: z.string().max(5000).nullable().default(null),
      by: EvaluatorName,
      note: z.string().max(2000).default(''),
    }),
    output: z.object({ item: QueueItem }),
  }),
  apply: defineContract({
    channel: 'rounds.apply',
    scope: 'lab',
    input: z.object({ id: Id, by: EvaluatorName }),
    output: z.object({
      /** Records whose labels were written back, and the label edits that made (one per changed field). */
      records: z.number().int(),
      edits: z.number().int(),
      /** Records still waiting (not labelled by all, or queued and unresolved): not written. */
      pending: z.number().int(),
      appliedAt: z.string(),
    }),
  }),
  invite: defineContract({
    channel: 'rounds.invite',
    scope: 'lab',
    input: z.object({
      id: Id,
      annotator: EvaluatorName,
      revoke: z.boolean().default(false),
      expiresInDays: ExpiresInDays,
    }),
    output: InviteChanged,
  }),
  remove: defineContract({
    channel: 'rounds.remove',
    scope: 'lab',
    input: z.object({ id: Id }),
    output: z.object({ removed: z.boolean() }),
  }),
  assignment: defineContract({
    channel: 'rounds.assignment',
    scope: 'evaluator',
    input: z.object({ as: RoundActingAs.optional() }).default({}),
    output: z.object({
      title: z.string(),
      annotator: z.string(),
      items: z.array(AnnotationItem),
      submittedAt: z.string().nullable(),
    }),
  }),
  annotate: defineContract({
    channel: 'rounds.annotate',
    scope: 'evaluator',
    input: z.object({ as: RoundActingAs.optional(), key: ItemKey, answer: RoundAnswer }),
    output: z.object({ savedAt: z.string(), done: z.number().int(), total: z.number().int() }),
  }),
  submit: defineContract({
    channel: 'rounds.submit',
    scope: 'evaluator',
    input: z.object({ as: RoundActingAs.optional() }).default({}),
    output: z.object({ submittedAt: z.string(), done: z.number().int(), total: z.number().int() }),
  }),
};

export const contracts = { rounds };
export const events = [z.object({ type: z.literal('rounds-changed'), round: z.number().int().nullable() })] as const;
export const JOB_KINDS = [] as const;
