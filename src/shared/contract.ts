import { z } from 'zod';

/**
 * One call of the srlab API: its channel name (`capability.verb`), the zod schema of its
 * input and of its result. Every transport (IPC, HTTP, CLI) validates input with `input`
 * at its boundary; `output` is checked in development and tests.
 */
export interface Contract<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  channel: string;
  input: I;
  output: O;
}

export function defineContract<I extends z.ZodType, O extends z.ZodType>(c: {
  channel: string;
  input: I;
  output: O;
}): Contract<I, O> {
  return c;
}

export type ContractInput<C> = C extends Contract<infer I, z.ZodType> ? z.input<I> : never;
export type ContractOutput<C> = C extends Contract<z.ZodType, infer O> ? z.output<O> : never;

/** Error kinds every transport maps the same way (HTTP status, CLI exit code). */
export const ERROR_KINDS = [
  'invalid-input',
  'unauthorized',
  'not-found',
  'conflict',
  'busy',
  'cancelled',
  'failed',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface ApiErrorBody {
  kind: ErrorKind;
  message: string;
  /** Per-field problems for invalid input: `path` is the dotted field path. */
  issues?: { path: string; message: string }[];
}

export type CallResult<T> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };

/** A typed error thrown by core services; transports turn it into an ApiErrorBody. */
export class ApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
  toBody(): ApiErrorBody {
    return { kind: this.kind, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }
}

export const HTTP_STATUS: Record<ErrorKind, number> = {
  'invalid-input': 400,
  unauthorized: 401,
  'not-found': 404,
  conflict: 409,
  busy: 503,
  cancelled: 409,
  failed: 500,
};

/** CLI exit codes: 0 ok, 1 failure, 2 bad input or usage. */
export const EXIT_CODE: Record<ErrorKind, number> = {
  'invalid-input': 2,
  unauthorized: 2,
  'not-found': 2,
  conflict: 1,
  busy: 1,
  cancelled: 1,
  failed: 1,
};

export function zodIssues(err: z.ZodError): { path: string; message: string }[] {
  return err.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }));
}
