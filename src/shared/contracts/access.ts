// Serve-mode access: tokens for blind evaluators. The lab creates one per evaluator and scoring
// session (the plain token is shown once; the server keeps only its sha256), lists and revokes
// them; an evaluator's browser asks who it is.
import { z } from 'zod';
import { defineContract } from '../contract';

/** A person-facing name (an evaluator's pseudonym or e-mail, a session's title): one line, bounded. */
const Label = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is required`)
    .max(120, `${what} is at most 120 characters`)
    .regex(/^[^\p{Cc}\p{Cf}]+$/u, `${what} is one line of text without control characters`);

export const EvaluatorName = Label('an evaluator name');
/** A scoring session's name (issue 13 gives sessions their own table; until then a bounded name). */
export const SessionName = Label('a session name');

export const EvaluatorToken = z.object({
  id: z.number().int(),
  evaluator: z.string(),
  session: z.string(),
  createdAt: z.string(),
  /** When the lab revoked it; a revoked token answers 401 from then on. */
  revokedAt: z.string().nullable(),
  /** When it stops working by itself (null: never); an expired token answers 401. */
  expiresAt: z.string().nullable(),
});
export type EvaluatorToken = z.infer<typeof EvaluatorToken>;

export const access = {
  createEvaluatorToken: defineContract({
    channel: 'access.createEvaluatorToken',
    scope: 'lab',
    input: z.object({
      evaluator: EvaluatorName,
      session: SessionName,
      /** The link stops working after this many days (default: never). */
      expiresInDays: z.number().int().min(1).max(365).optional(),
    }),
    output: z.object({
      /** The plain token: returned this once, never stored (the server keeps its sha256). */
      token: z.string(),
      id: z.number().int(),
      /** The link to hand the evaluator, relative to the server's origin (`/?token=…`). */
      path: z.string(),
      info: EvaluatorToken,
    }),
  }),
  listEvaluatorTokens: defineContract({
    channel: 'access.listEvaluatorTokens',
    scope: 'lab',
    input: z.object({ includeRevoked: z.boolean().default(true) }).default({ includeRevoked: true }),
    output: z.object({ tokens: z.array(EvaluatorToken) }),
  }),
  revokeEvaluatorToken: defineContract({
    channel: 'access.revokeEvaluatorToken',
    scope: 'lab',
    input: z.object({ id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
    output: z.object({ token: EvaluatorToken }),
  }),
  whoami: defineContract({
    channel: 'access.whoami',
    scope: 'evaluator',
    input: z.object({}).default({}),
    output: z.object({
      scope: z.enum(['local', 'lab', 'evaluator']),
      evaluator: z.string().optional(),
      session: z.string().optional(),
    }),
  }),
};

// What this capability gives the registry (src/shared/capabilities.ts): its contract groups,
// its events and its job kinds.
export const contracts = { access };
export const events = [] as const;
export const JOB_KINDS = [] as const;
