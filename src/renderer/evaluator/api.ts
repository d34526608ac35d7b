// The evaluator page's own tiny client: JSON POSTs to this origin, the session cookie riding
// along. Deliberately not the lab's api module, so nothing of the lab's bundle is pulled in.
import type { ApiErrorBody, CallResult } from '../../shared/contract';

/** How the page reaches the server: this module's fetch client, or the lab's when it hosts the page. */
export type Call = <T>(method: string, input: unknown) => Promise<T>;

/** The server answered, with an error. */
export class EvaluatorApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | null,
  ) {
    super(body?.message ?? `the server answered ${status}`);
    this.name = 'EvaluatorApiError';
  }
}

/** The server could not be reached at all (offline, stopped, proxy down). */
export class UnreachableError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'UnreachableError';
  }
}

export async function call<T>(method: string, input: unknown = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/${method}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
  } catch (err) {
    throw new UnreachableError(err);
  }
  const body = (await res.json().catch(() => null)) as CallResult<T> | null;
  if (body && body.ok) return body.result;
  throw new EvaluatorApiError(res.status, body && !body.ok ? body.error : null);
}

export interface WhoAmI {
  scope: 'local' | 'lab' | 'evaluator';
  evaluator?: string;
  session?: string;
}

/** The HTTP status an error stands for: from the fetch client, or the kind a host's client kept. */
function statusOf(err: unknown): number | null {
  if (err instanceof EvaluatorApiError) return err.status;
  const kind = (err as { kind?: unknown } | null)?.kind;
  const byKind: Record<string, number> = {
    unauthorized: 401,
    forbidden: 403,
    'not-found': 404,
    'invalid-input': 400,
    conflict: 409,
    busy: 503,
    cancelled: 409,
    failed: 500,
  };
  return typeof kind === 'string' && kind in byKind ? (byKind[kind] ?? null) : null;
}

export const LINK_GONE =
  'This link no longer works: it may have been revoked or have expired. Please ask the person who sent it to you for a new one.';
export const UNREACHABLE =
  'The srlab server cannot be reached right now. Check your connection; what you already saved is kept.';

/** Kind words for an error, for the evaluator (never a stack or a status code alone). */
export function explainError(err: unknown): string {
  if (err instanceof UnreachableError) return UNREACHABLE;
  const status = statusOf(err);
  const detail = err instanceof Error && err.message ? err.message : '';
  if (status === 401) return LINK_GONE;
  if (status === 403) return `This page is not open to you${detail ? `: ${detail}` : '.'}`;
  if (status === 404) return `Nothing to score was found for this link${detail ? `: ${detail}` : '.'}`;
  if (status === null && !(err instanceof EvaluatorApiError)) return UNREACHABLE;
  return detail ? `Something went wrong: ${detail}` : 'Something went wrong on the server.';
}

/**
 * Worth trying again: the network or the server had a moment (5xx, busy, unreachable). A
 * refusal (bad input, revoked link, not allowed, already submitted) will not change by retrying.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof UnreachableError) return true;
  const status = statusOf(err);
  // An error of unknown shape (a host's client): trying again is the kind default.
  if (status === null) return true;
  return status >= 500 || status === 0 || status === 408 || status === 429;
}
