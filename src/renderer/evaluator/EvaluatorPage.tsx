import { useEffect, useState } from 'react';
import { call, EvaluatorApiError, type WhoAmI } from './api';

type State = { kind: 'loading' } | { kind: 'ready'; me: WhoAmI } | { kind: 'error'; message: string };

function explain(err: unknown): string {
  if (err instanceof EvaluatorApiError && err.status === 401)
    return 'This link no longer works: it may have been revoked. Ask the lab that sent it for a new one.';
  if (err instanceof EvaluatorApiError) return `The server refused: ${err.message}`;
  return `Cannot reach the srlab server (${err instanceof Error ? err.message : String(err)}).`;
}

export function EvaluatorPage() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    call<WhoAmI>('access.whoami').then(
      (me) => setState({ kind: 'ready', me }),
      (err: unknown) => setState({ kind: 'error', message: explain(err) }),
    );
  }, []);

  return (
    <main className="ev-card">
      <h1>srlab evaluation</h1>
      {state.kind === 'loading' && <p aria-busy="true">Checking your link…</p>}
      {state.kind === 'error' && (
        <p className="ev-error" role="alert">
          {state.message}
        </p>
      )}
      {state.kind === 'ready' && state.me.scope === 'evaluator' && (
        <>
          <dl>
            <dt>Signed in as</dt>
            <dd data-testid="evaluator">{state.me.evaluator}</dd>
            <dt>Session</dt>
            <dd data-testid="session">{state.me.session}</dd>
          </dl>
          <p>Your assignments will appear here when the session starts.</p>
          <p className="ev-note">
            You see only your own assignments; the texts are shown without the models or conditions that produced them.
          </p>
        </>
      )}
      {state.kind === 'ready' && state.me.scope !== 'evaluator' && (
        <p>This page is for evaluators. You are signed in with the lab&apos;s token: open the lab at the site root.</p>
      )}
    </main>
  );
}
