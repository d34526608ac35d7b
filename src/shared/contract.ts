import { z } from 'zod';

/**
 * Who may call a method, checked where a call enters (core.call, for every transport):
 * - `local`: the machine's own user — desktop IPC and the CLI. Methods that name a server path
 *   or run a program are local: such things never cross HTTP.
 * - `lab`: the lab's browser in serve mode (the lab token) — and every local caller.
 * - `evaluator`: a blind scorer's browser (a token for one evaluator and one session) — and
 *   every lab or local caller.
 */
export const SCOPES = ['local', 'lab', 'evaluator'] as const;
export type Scope = (typeof SCOPES)[number];

/** How much each scope may do: a caller may call a method whose scope ranks at or below its own. */
const SCOPE_RANK: Record<Scope, number> = { evaluator: 0, lab: 1, local: 2 };

export function scopeAllows(caller: Scope, method: Scope): boolean {
  return SCOPE_RANK[caller] >= SCOPE_RANK[method];
}

/**
 * Who is calling, as the transport established it: the machine's user (IPC, CLI), the lab's
 * browser (the lab token), or one evaluator's browser for one scoring session.
 */
export type Caller =
  { scope: 'local' } | { scope: 'lab' } | { scope: 'evaluator'; tokenId: number; evaluator: string; session: string };
export const LOCAL_CALLER: Caller = { scope: 'local' };

/**
 * One call of the srlab API: its channel name (`capability.verb`), who may call it, the zod
 * schema of its input and of its result. Every transport (IPC, HTTP, CLI) goes through
 * core.call, which checks the scope and validates input with `input`; `output` is checked in
 * development and tests.
 */
export interface Contract<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  channel: string;
  scope: Scope;
  input: I;
  output: O;
  /**
   * For a lab method whose input may name a server path or a program (an adapter file, an
   * output path): the dotted field that does so in this parsed input, or null. A call whose
   * input names one is a `local` call — refused over HTTP, allowed from desktop and CLI.
   */
  localWhen?: (input: z.output<I>) => string | null;
}

export function defineContract<I extends z.ZodType, O extends z.ZodType>(c: {
  channel: string;
  scope: Scope;
  input: I;
  output: O;
  localWhen?: (input: z.output<I>) => string | null;
}): Contract<I, O> {
  return c;
}

export type ContractInput<C> = C extends Contract<infer I, z.ZodType> ? z.input<I> : never;
export type ContractOutput<C> = C extends Contract<z.ZodType, infer O> ? z.output<O> : never;

/** Error kinds every transport maps the same way (HTTP status, CLI exit code). */
export const ERROR_KINDS = [
  'invalid-input',
  'unauthorized',
  /** The caller's scope does not allow this method (or this input): HTTP 403. */
  'forbidden',
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
  forbidden: 403,
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
  forbidden: 2,
  'not-found': 2,
  conflict: 1,
  busy: 1,
  cancelled: 1,
  failed: 1,
};

export function zodIssues(err: z.ZodError): { path: string; message: string }[] {
  return err.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }));
}
