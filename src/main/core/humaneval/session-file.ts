// Offline files: a session file takes one evaluator's items to another srlab; an answers file
// brings their scores back. Both are JSON, serialised canonically (keys sorted, no spaces) and
// signed with HMAC-SHA256 under a random key kept per (session, evaluator) in the lab's database.
// Neither carries anything about runs, models, slots or records: only keys, prompts and responses.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ApiError } from '../../../shared/contract';
import { EvaluatorName, SessionName } from '../../../shared/contracts/access';
import { Answer, HUMANEVAL_SCALE } from '../../../shared/contracts/humaneval';

export const SESSION_FORMAT = 'srlab-humaneval-session';
export const ANSWERS_FORMAT = 'srlab-humaneval-answers';
export const FILE_VERSION = 1;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  const norm = (v: unknown): Json => {
    if (Array.isArray(v)) return v.map(norm);
    if (v !== null && typeof v === 'object') {
      const o: Record<string, Json> = {};
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) o[k] = norm(x);
      }
      return o;
    }
    return v as Json;
  };
  return JSON.stringify(norm(value));
}

/** HMAC-SHA256 (hex) of the canonical JSON of `body` (which must not hold `signature`). */
export function sign(secret: string, body: object): string {
  return createHmac('sha256', secret).update(canonicalJson(body), 'utf8').digest('hex');
}

/** Whether `file.signature` is the HMAC of the rest of it under `secret` (constant-time compare). */
export function verify(secret: string, file: { signature: string }): boolean {
  const { signature, ...body } = file;
  const expected = Buffer.from(sign(secret, body), 'hex');
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const Uid = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a session uid is 8–64 letters, digits, _ or -');
const Key = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'an item key is 8–64 letters, digits, _ or -');
const Text = z.string().max(1_000_000);

export const SessionFile = z.object({
  format: z.literal(SESSION_FORMAT),
  version: z.literal(FILE_VERSION),
  sessionUid: Uid,
  evaluator: EvaluatorName,
  title: SessionName,
  mode: z.enum(['single', 'pairs']),
  scale: z.tuple([z.literal(HUMANEVAL_SCALE[0]), z.literal(HUMANEVAL_SCALE[1])]),
  items: z
    .array(
      z.object({
        key: Key,
        position: z.number().int().min(1),
        prompt: Text,
        response: Text.nullable(),
        responseA: Text.nullable(),
        responseB: Text.nullable(),
      }),
    )
    .min(1)
    .max(100_000),
  exportedAt: z.string(),
  secret: z.string().min(16).max(200),
  signature: z.string(),
});
export type SessionFile = z.infer<typeof SessionFile>;

export const AnswersFile = z.object({
  format: z.literal(ANSWERS_FORMAT),
  version: z.literal(FILE_VERSION),
  sessionUid: Uid,
  evaluator: EvaluatorName,
  items: z.array(z.object({ key: Key, answer: Answer, answeredAt: z.string().nullable() })).max(100_000),
  submittedAt: z.string().nullable(),
  exportedAt: z.string(),
  signature: z.string(),
});
export type AnswersFile = z.infer<typeof AnswersFile>;

/** A parsed file, with the object as read (`raw`): the signature is checked over what was read, not over the parse. */
export type OfflineFile =
  | { kind: 'session'; file: SessionFile; raw: { signature: string } }
  | { kind: 'answers'; file: AnswersFile; raw: { signature: string } };

/**
 * Parse a file's text: JSON, then its format and version, then its shape. Each failure is
 * invalid-input naming the file and what is wrong. The signature is checked by the caller, which
 * knows the key (the session file's own; the answers file's stored in the lab).
 */
export function parseOfflineFile(text: string, displayName: string): OfflineFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ApiError('invalid-input', `${displayName} is not valid JSON: ${(err as Error).message}`);
  }
  const head = (raw ?? {}) as { format?: unknown; version?: unknown };
  if (typeof raw !== 'object' || raw === null || (head.format !== SESSION_FORMAT && head.format !== ANSWERS_FORMAT)) {
    throw new ApiError(
      'invalid-input',
      `${displayName} is not a srlab human-evaluation file (format is ${JSON.stringify(head.format ?? null)}; expected "${SESSION_FORMAT}" or "${ANSWERS_FORMAT}")`,
    );
  }
  if (head.version !== FILE_VERSION) {
    throw new ApiError(
      'invalid-input',
      `${displayName} is version ${JSON.stringify(head.version ?? null)} of ${String(head.format)}; this srlab reads version ${FILE_VERSION}`,
    );
  }
  const schema = head.format === SESSION_FORMAT ? SessionFile : AnswersFile;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ApiError(
      'invalid-input',
      `${displayName}: ${issues
        .slice(0, 5)
        .map((i) => `${i.path || '(file)'}: ${i.message}`)
        .join('; ')}`,
      issues,
    );
  }
  const signed = raw as { signature: string };
  return head.format === SESSION_FORMAT
    ? { kind: 'session', file: parsed.data as SessionFile, raw: signed }
    : { kind: 'answers', file: parsed.data as AnswersFile, raw: signed };
}

/** A file-name-safe form of an evaluator's name. */
export function slug(s: string): string {
  const out = s
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60);
  return out === '' ? 'evaluator' : out;
}
