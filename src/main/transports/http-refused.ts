// Fields serve mode refuses from a browser: a program to run on the server must not cross HTTP
// (the desktop app and the CLI, run by the machine's own user, may still name one). The smallest
// rule for now, per method and field; a fuller per-method scope system is a later issue.
import { ApiError } from '../../shared/contract';

const REFUSED_OVER_HTTP: Record<string, Record<string, string>> = {
  'worker.setup': {
    python:
      'a Python to run is not accepted over HTTP; serve mode sets up the worker with the default Python ' +
      '(to choose one, run `srlab worker setup --python PATH` on the server)',
  },
};

/** The error for an HTTP call that names a refused field, or null when the call may go on. */
export function refusedOverHttp(method: string, input: unknown): ApiError | null {
  const fields = REFUSED_OVER_HTTP[method];
  if (!fields || typeof input !== 'object' || input === null) return null;
  const issues = Object.entries(fields)
    .filter(([field]) => field in input)
    .map(([path, message]) => ({ path, message }));
  if (issues.length === 0) return null;
  return new ApiError('invalid-input', `${method}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}
