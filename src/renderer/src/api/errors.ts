import type { ApiErrorBody, ErrorKind } from '../../../shared/contract';

/** A failed call: the server's error kind, message and per-field issues, unchanged. */
export class ApiCallError extends Error {
  readonly kind: ErrorKind;
  readonly issues: { path: string; message: string }[];
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiCallError';
    this.kind = body.kind;
    this.issues = body.issues ?? [];
  }
}

/** A message fit for an error banner, from anything a call or upload threw. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function errorIssues(err: unknown): { path: string; message: string }[] {
  return err instanceof ApiCallError ? err.issues : [];
}
