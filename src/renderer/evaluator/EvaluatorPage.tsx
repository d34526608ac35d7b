// The evaluator's page: blind human scoring or CMD annotation, whichever the link (or the lab's
// evaluator mode) is for. Loads the caller's own assignment, shows a content warning before any
// text, then the view. Everything comes through `call`; nothing of the lab's code is imported.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Assignment } from '../../shared/contracts/humaneval';
import { call as fetchCall, explainError, UnreachableError, type Call, type WhoAmI } from './api';
import { AnnotationView, type RoundAssignment } from './AnnotationView';
import { ContentWarning } from './ContentWarning';
import { ScoringView } from './ScoringView';
// Imported here, not only in main.tsx, so the lab's evaluator mode gets the styles with the component.
import './evaluator.css';

export type ActingAs =
  { kind: 'humaneval'; session: number; evaluator: string } | { kind: 'round'; round: number; annotator: string };

type Loaded =
  | { kind: 'humaneval'; assignment: Assignment; as?: { session: number; evaluator: string } }
  | { kind: 'round'; assignment: RoundAssignment; as?: { round: number; annotator: string } };

type State =
  | { kind: 'loading' }
  | { kind: 'error'; message: string; canRetry: boolean }
  | { kind: 'not-evaluator' }
  | { kind: 'waiting'; me: WhoAmI }
  | { kind: 'warning'; loaded: Loaded }
  | { kind: 'ready'; loaded: Loaded };

/** The token's session string → what it is for (`humaneval:<id>`, `round:<id>`). */
export function sessionKind(session: string | undefined): 'humaneval' | 'round' | null {
  if (session && /^humaneval:\d+$/.test(session)) return 'humaneval';
  if (session && /^round:\d+$/.test(session)) return 'round';
  return null;
}

async function load(
  call: Call,
  actingAs: ActingAs | undefined,
): Promise<Loaded | 'not-evaluator' | { waiting: WhoAmI }> {
  if (actingAs?.kind === 'humaneval') {
    const as = { session: actingAs.session, evaluator: actingAs.evaluator };
    return { kind: 'humaneval', as, assignment: await call<Assignment>('humaneval.assignment', { as }) };
  }
  if (actingAs?.kind === 'round') {
    const as = { round: actingAs.round, annotator: actingAs.annotator };
    return { kind: 'round', as, assignment: await call<RoundAssignment>('rounds.assignment', { as }) };
  }
  const me = await call<WhoAmI>('access.whoami', {});
  if (me.scope !== 'evaluator') return 'not-evaluator';
  const kind = sessionKind(me.session);
  if (kind === 'humaneval') return { kind, assignment: await call<Assignment>('humaneval.assignment', {}) };
  if (kind === 'round') return { kind, assignment: await call<RoundAssignment>('rounds.assignment', {}) };
  // A token for a session name that is no scoring session (yet): say who is signed in, and wait.
  return { waiting: me };
}

export function EvaluatorPage(props: { call?: Call; actingAs?: ActingAs; onLeave?: () => void }) {
  const call = props.call ?? fetchCall;
  const { actingAs } = props;
  // The loader reads the latest client without reloading when a host passes a new function.
  const callRef = useRef(call);
  useEffect(() => {
    callRef.current = call;
  }, [call]);
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // The identity of whom we act as, as a string, so a new object with the same values does not reload.
  const actingKey = actingAs ? JSON.stringify(actingAs) : '';

  useEffect(() => {
    let cancelled = false;
    setState({ kind: 'loading' });
    load(callRef.current, actingKey ? (JSON.parse(actingKey) as ActingAs) : undefined).then(
      (loaded) => {
        if (cancelled) return;
        if (loaded === 'not-evaluator') setState({ kind: 'not-evaluator' });
        else if ('waiting' in loaded) setState({ kind: 'waiting', me: loaded.waiting });
        else setState({ kind: 'warning', loaded });
      },
      (err: unknown) => {
        if (cancelled) return;
        const plain = err instanceof Error && err.constructor === Error;
        setState({
          kind: 'error',
          message: plain ? err.message : explainError(err),
          canRetry: err instanceof UnreachableError || !plain,
        });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [actingKey, attempt]);

  const retry = useCallback(() => setAttempt((a) => a + 1), []);

  if (state.kind === 'ready') {
    const { loaded } = state;
    return loaded.kind === 'humaneval' ? (
      <ScoringView assignment={loaded.assignment} call={call} as={loaded.as} onLeave={props.onLeave} />
    ) : (
      <AnnotationView assignment={loaded.assignment} call={call} as={loaded.as} onLeave={props.onLeave} />
    );
  }

  return (
    <div className="ev-page">
      <main className="ev-main ev-narrow">
        {state.kind === 'loading' && (
          <p className="ev-card" aria-busy="true">
            Opening your assignment…
          </p>
        )}
        {state.kind === 'error' && (
          <section className="ev-card" aria-labelledby="ev-error-title">
            <h1 id="ev-error-title">srlab evaluation</h1>
            <p className="ev-error" role="alert">
              {state.message}
            </p>
            {state.canRetry && (
              <button type="button" className="ev-btn" onClick={retry}>
                Try again
              </button>
            )}
          </section>
        )}
        {state.kind === 'not-evaluator' && (
          <section className="ev-card">
            <h1>srlab evaluation</h1>
            <p>
              This page is for evaluators. You are signed in with the lab&apos;s token: open the lab at the site root.
            </p>
          </section>
        )}
        {state.kind === 'waiting' && (
          <section className="ev-card">
            <h1>srlab evaluation</h1>
            <dl className="ev-who-list">
              <dt>Signed in as</dt>
              <dd data-testid="evaluator">{state.me.evaluator}</dd>
              <dt>Session</dt>
              <dd data-testid="session">{state.me.session}</dd>
            </dl>
            <p>Your assignments will appear here when the session starts.</p>
            <p className="ev-muted">
              You see only your own assignments; the texts are shown without the models or conditions that produced
              them.
            </p>
          </section>
        )}
        {state.kind === 'warning' && (
          <>
            <h1 className="ev-page-title">{state.loaded.assignment.title}</h1>
            <ContentWarning onAccept={() => setState({ kind: 'ready', loaded: state.loaded })} />
          </>
        )}
        {props.onLeave && (
          <p>
            <button type="button" className="ev-btn" onClick={props.onLeave}>
              Leave evaluator mode
            </button>
          </p>
        )}
      </main>
    </div>
  );
}
