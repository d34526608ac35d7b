// The evaluator page's own tiny client: JSON POSTs to this origin, the session cookie riding
// along. Deliberately not the lab's api module, so nothing of the lab's bundle is pulled in.
import type { ApiErrorBody, CallResult } from '../../shared/contract';

export class EvaluatorApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | null,
  ) {
    super(body?.message ?? `the server answered ${status}`);
    this.name = 'EvaluatorApiError';
  }
}

export async function call<T>(method: string, input: unknown = {}): Promise<T> {
  const res = await fetch(`/api/${method}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json().catch(() => null)) as CallResult<T> | null;
  if (body && body.ok) return body.result;
  throw new EvaluatorApiError(res.status, body && !body.ok ? body.error : null);
}

export interface WhoAmI {
  scope: 'local' | 'lab' | 'evaluator';
  evaluator?: string;
  session?: string;
}
