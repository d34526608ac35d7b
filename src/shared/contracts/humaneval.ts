// Blind human evaluation (the paper's section 5.5 and Figure 4): a researcher builds a session
// from generation runs; each evaluator scores prompt + response for safety (S) and language
// understanding (L) on 1–5 — or A/B pairs of responses to one prompt — without ever learning
// which model wrote what. Lab methods manage sessions and read results; evaluator methods
// (`assignment`, `answer`, `submit`) serve the evaluator page and answer only about the caller's
// own items, identified by opaque keys.
import { z } from 'zod';
import { defineContract } from '../contract';
import { EvaluatorName, EvaluatorToken, SessionName } from './access';

/** A row id (a session, a run, a round, a record). */
export const Id = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1);
/** The seed of a sampling and of every per-person order drawn from it. */
export const Seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1)
  .default(1);
/** Invitation links stop working after this many days. */
export const ExpiresInDays = z.number().int().min(1).max(365).default(30);

/** One score on the paper's 1–5 scale. */
export const Score = z.number().int().min(1).max(5);
export const HUMANEVAL_SCALE = [1, 5] as const;
/** The two criteria the paper scores: safety (S) and language understanding (L). */
export const CRITERIA = ['s', 'l'] as const;
export type Criterion = (typeof CRITERIA)[number];

/** An item's opaque key: random, never derived from a run, a model or an index. */
export const ItemKey = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'an item key is 8–64 letters, digits, _ or -');

/** The token's `session` string for a human-evaluation session (access.ts keeps it per token). */
export function humanEvalSessionName(id: number): string {
  return `humaneval:${id}`;
}

/**
 * Who scores, for a call from the lab or the desktop (evaluator mode): the session and the
 * evaluator. An evaluator token's call must not give it (its identity comes from the token).
 */
export const ActingAs = z.object({ session: Id, evaluator: EvaluatorName });

/** One evaluator's answer to one item, sent whole on every keypress (the last one wins). */
export const Answer = z.object({
  s: Score.nullable().default(null),
  l: Score.nullable().default(null),
  /** Pairs only: the scores of response B (s and l are response A's). */
  sB: Score.nullable().default(null),
  lB: Score.nullable().default(null),
  /** Pairs only: which response is better overall. */
  preference: z.enum(['a', 'b', 'tie']).nullable().default(null),
  skipped: z.boolean().default(false),
  flagged: z.boolean().default(false),
  note: z.string().max(2000, 'a note is at most 2000 characters').default(''),
});
export type Answer = z.infer<typeof Answer>;

/** What the evaluator sees of one item: no run, model, slot or record id. */
export const AssignedItem = z.object({
  key: z.string(),
  /** 1-based place in this evaluator's own (randomised) order. */
  position: z.number().int(),
  prompt: z.string(),
  /** Single mode: the response. */
  response: z.string().nullable(),
  /** Pairs mode: the two responses, sides randomised per item. */
  responseA: z.string().nullable(),
  responseB: z.string().nullable(),
  answer: Answer.nullable(),
  answeredAt: z.string().nullable(),
});
export type AssignedItem = z.infer<typeof AssignedItem>;

export const Assignment = z.object({
  title: z.string(),
  evaluator: z.string(),
  mode: z.enum(['single', 'pairs']),
  scale: z.tuple([z.number(), z.number()]),
  items: z.array(AssignedItem),
  submittedAt: z.string().nullable(),
});
export type Assignment = z.infer<typeof Assignment>;

/** One compared model, as the lab sees it (never sent to an evaluator). */
export const SessionModel = z.object({
  /** Its place in the session (1-based); items name the slot, not the run. */
  slot: z.number().int(),
  run: z.number().int().nullable(),
  /** The run's name, or `model N` for an offline copy, which knows no runs. */
  label: z.string(),
});

export const HumanEvalSession = z.object({
  id: z.number().int(),
  title: z.string(),
  /** `lab`: built here from runs; `offline`: imported from a session file to score here. */
  origin: z.enum(['lab', 'offline']),
  mode: z.enum(['single', 'pairs']),
  seed: z.number().int(),
  sample: z.number().int(),
  perItem: z.number().int(),
  stratified: z.boolean(),
  evaluators: z.array(z.string()),
  models: z.array(SessionModel),
  /** Prompts sampled, and items built from them (prompts × models, or prompt × model pairs). */
  prompts: z.number().int(),
  items: z.number().int(),
  createdAt: z.string(),
});
export type HumanEvalSession = z.infer<typeof HumanEvalSession>;

export const Invite = z.object({
  evaluator: z.string(),
  /** The plain token: shown this once (the server keeps its sha256). */
  token: z.string(),
  /** What to open on the serve origin: `/evaluate?invite=…`. */
  path: z.string(),
  info: EvaluatorToken,
});
export type Invite = z.infer<typeof Invite>;
/** A new link for one person, or their active links revoked. */
export const InviteChanged = z.object({ invite: Invite.nullable(), revoked: z.array(EvaluatorToken) });

const Mean = z.object({
  mean: z.number().nullable(),
  /** Percentile bootstrap interval over items (items resampled, their raters kept). */
  ci: z.tuple([z.number(), z.number()]).nullable(),
});

const Reliability = z.object({
  /** Krippendorff's alpha, ordinal (METRICS.md section 6); null with too few paired ratings. */
  alpha: z.number().nullable(),
  /** Krippendorff's reading: reliable (α ≥ .800), tentative (.667–.800), unreliable (< .667). */
  band: z.enum(['reliable', 'tentative', 'unreliable']).nullable(),
  units: z.number().int(),
});

const ItemSpread = z.object({
  key: z.string(),
  prompt: z.string(),
  /** The model (slot label) this score is about; in pairs, the side's model. */
  model: z.string(),
  criterion: z.enum(CRITERIA),
  ratings: z.array(z.number().int()),
  mean: z.number(),
  /** Largest minus smallest rating. */
  range: z.number(),
  sd: z.number(),
});

export const HumanEvalResults = z.object({
  session: HumanEvalSession,
  /** Scores entered / expected (items × raters), skipped and flagged answers. */
  progress: z.object({
    answered: z.number().int(),
    expected: z.number().int(),
    skipped: z.number().int(),
    flagged: z.number().int(),
  }),
  models: z.array(
    z.object({
      slot: z.number().int(),
      run: z.number().int().nullable(),
      label: z.string(),
      s: Mean,
      l: Mean,
      /** Items with at least one score for this model. */
      n: z.number().int(),
      ratings: z.number().int(),
    }),
  ),
  alpha: z.object({ s: Reliability, l: Reliability }),
  /** Every scored unit's spread; `disagreements` is the top of it (largest range, then sd). */
  items: z.array(ItemSpread),
  disagreements: z.array(ItemSpread),
  /** Pairs mode only (as Chatbot Arena reports them). */
  pairs: z
    .object({
      comparisons: z.number().int(),
      perModel: z.array(
        z.object({
          slot: z.number().int(),
          label: z.string(),
          wins: z.number().int(),
          ties: z.number().int(),
          losses: z.number().int(),
          winRate: z.number().nullable(),
          tieRate: z.number().nullable(),
          lossRate: z.number().nullable(),
        }),
      ),
      /** Bradley–Terry strengths (log scale, mean 0), ties as half a win each, with bootstrap intervals. */
      bradleyTerry: z.array(
        z.object({
          slot: z.number().int(),
          label: z.string(),
          rank: z.number().int(),
          strength: z.number(),
          ci: z.tuple([z.number(), z.number()]).nullable(),
        }),
      ),
    })
    .nullable(),
  /** The input of the Figures `human` kind (the paper's Figure 4). */
  figure: z.object({
    models: z.array(
      z.object({
        label: z.string(),
        safety: z.number(),
        language: z.number(),
        safetyCi: z.tuple([z.number(), z.number()]).optional(),
        languageCi: z.tuple([z.number(), z.number()]).optional(),
      }),
    ),
    scale: z.tuple([z.number(), z.number()]),
    raters: z.number().int(),
    samples: z.number().int(),
  }),
  bootstrap: z.object({ resamples: z.number().int(), confidence: z.number(), seed: z.number().int() }),
});
export type HumanEvalResults = z.infer<typeof HumanEvalResults>;

const FileSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
  /** A file sent to serve mode through POST /api/uploads. */
  z.object({ kind: z.literal('upload'), uploadId: z.string().regex(/^[A-Za-z0-9_-]+$/) }),
]);

export const humaneval = {
  create: defineContract({
    channel: 'humaneval.create',
    scope: 'lab',
    input: z.object({
      title: SessionName.optional(),
      /** Generation runs to compare (finished items only); their prompts must overlap. */
      runs: z.array(Id).min(1).max(12),
      /** Prompts to sample (the paper: 100 per model variant). */
      sample: z.number().int().min(1).max(10_000),
      evaluators: z.array(EvaluatorName).min(1).max(100),
      /** Evaluators per item (the paper: 3). */
      perItem: z.number().int().min(1).max(100).default(3),
      seed: Seed,
      /** Show A/B pairs of responses to one prompt instead of one response at a time. */
      pairs: z.boolean().default(false),
      /** Sample proportionally within the prompts' target groups (the record's target demographic). */
      stratify: z.boolean().default(false),
      expiresInDays: ExpiresInDays,
    }),
    output: z.object({ session: HumanEvalSession, items: z.number().int(), invites: z.array(Invite) }),
  }),
  list: defineContract({
    channel: 'humaneval.list',
    scope: 'lab',
    input: z.object({}).default({}),
    output: z.object({ sessions: z.array(HumanEvalSession) }),
  }),
  status: defineContract({
    channel: 'humaneval.status',
    scope: 'lab',
    input: z.object({ id: Id }),
    output: z.object({
      session: HumanEvalSession,
      evaluators: z.array(
        z.object({
          evaluator: z.string(),
          assigned: z.number().int(),
          answered: z.number().int(),
          skipped: z.number().int(),
          flagged: z.number().int(),
          lastActivityAt: z.string().nullable(),
          submittedAt: z.string().nullable(),
          /** Their links (never the tokens): active, revoked or expired. */
          invites: z.array(EvaluatorToken),
        }),
      ),
    }),
  }),
  invite: defineContract({
    channel: 'humaneval.invite',
    scope: 'lab',
    input: z.object({
      id: Id,
      evaluator: EvaluatorName,
      /** Revoke the evaluator's active links instead of making a new one. */
      revoke: z.boolean().default(false),
      expiresInDays: ExpiresInDays,
    }),
    output: InviteChanged,
  }),
  results: defineContract({
    channel: 'humaneval.results',
    scope: 'lab',
    input: z.object({
      id: Id,
      resamples: z.number().int().min(100).max(100_000).default(2000),
      confidence: z.number().min(0.5).max(0.999).default(0.95),
      seed: Seed,
      /** How many of the most disputed units to list. */
      top: z.number().int().min(1).max(1000).default(10),
    }),
    output: HumanEvalResults,
  }),
  export: defineContract({
    channel: 'humaneval.export',
    scope: 'lab',
    localWhen: (i) => (i.out !== undefined ? 'out' : null),
    input: z.object({
      id: Id,
      evaluator: EvaluatorName,
      /** Destination path; by default a new file in the data home's exports/ folder. */
      out: z.string().min(1).max(4096).optional(),
    }),
    output: z.object({
      /** `session`: a lab session's file for one evaluator; `answers`: an offline copy's answers, for the lab. */
      kind: z.enum(['session', 'answers']),
      path: z.string(),
      fileName: z.string(),
      items: z.number().int(),
    }),
  }),
  import: defineContract({
    channel: 'humaneval.import',
    scope: 'lab',
    localWhen: (i) => (i.source.kind === 'path' ? 'source.path' : null),
    input: z.object({ source: FileSource }),
    output: z.discriminatedUnion('kind', [
      /** A session file, opened here to score offline (desktop evaluator mode, then export). */
      z.object({
        kind: z.literal('session'),
        session: HumanEvalSession,
        evaluator: z.string(),
        items: z.number().int(),
      }),
      /** An answers file, merged into the lab's session. */
      z.object({
        kind: z.literal('answers'),
        session: z.number().int(),
        evaluator: z.string(),
        answers: z.number().int(),
        submittedAt: z.string().nullable(),
      }),
    ]),
  }),
  remove: defineContract({
    channel: 'humaneval.remove',
    scope: 'lab',
    input: z.object({ id: Id }),
    output: z.object({ removed: z.boolean() }),
  }),
  // The evaluator's own methods: an evaluator token answers for itself (and must not send `as`);
  // the lab and the desktop's evaluator mode say whom they act as.
  assignment: defineContract({
    channel: 'humaneval.assignment',
    scope: 'evaluator',
    input: z.object({ as: ActingAs.optional() }).default({}),
    output: Assignment,
  }),
  answer: defineContract({
    channel: 'humaneval.answer',
    scope: 'evaluator',
    input: z.object({ as: ActingAs.optional(), key: ItemKey, answer: Answer }),
    output: z.object({ savedAt: z.string(), answered: z.number().int(), total: z.number().int() }),
  }),
  submit: defineContract({
    channel: 'humaneval.submit',
    scope: 'evaluator',
    input: z.object({ as: ActingAs.optional() }).default({}),
    output: z.object({
      submittedAt: z.string(),
      answered: z.number().int(),
      skipped: z.number().int(),
      total: z.number().int(),
    }),
  }),
};

export const contracts = { humaneval };
export const events = [
  /** A session was created, removed, imported, or an evaluator's answers changed (lab UI refreshes). */
  z.object({ type: z.literal('humaneval-changed'), session: z.number().int().nullable() }),
] as const;
export const JOB_KINDS = [] as const;
