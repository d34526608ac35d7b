// The pieces both views share: the header with progress and save state, the item navigation,
// the submit confirmation and the thank-you banner.
import { useEffect, useRef, type ReactNode } from 'react';
import { saveStateText, type SaveStatus } from './autosave';

export function Kbd({ children }: { children: ReactNode }) {
  // A visible hint only: hidden from the accessible name of the control it sits in.
  return (
    <kbd className="ev-kbd" aria-hidden="true">
      {children}
    </kbd>
  );
}

export function TopBar(props: {
  title: string;
  who: string;
  done: number;
  total: number;
  status: SaveStatus;
  onLeave?: () => void;
}) {
  const { status } = props;
  const tone = status.kind === 'saved' ? 'ok' : status.kind === 'saving' ? 'busy' : 'bad';
  return (
    <header className="ev-top">
      <div className="ev-top-title">
        <h1>{props.title}</h1>
        <span className="ev-who">{props.who}</span>
      </div>
      <div className="ev-top-state">
        <span data-testid="progress" className="ev-progress">
          {props.done} of {props.total} done
        </span>
        <progress max={Math.max(1, props.total)} value={props.done} aria-hidden="true" />
        <span data-testid="save-state" className={`ev-save ev-save-${tone}`} aria-live="polite" role="status">
          {saveStateText(status)}
        </span>
        {props.onLeave && (
          <button type="button" className="ev-btn" onClick={props.onLeave}>
            Leave evaluator mode
          </button>
        )}
      </div>
    </header>
  );
}

export function ItemNav(props: { index: number; total: number; go: (index: number) => void; extra?: ReactNode }) {
  return (
    <nav className="ev-nav" aria-label="Items">
      <button type="button" className="ev-btn" disabled={props.index <= 0} onClick={() => props.go(props.index - 1)}>
        Previous <Kbd>←</Kbd>
      </button>
      {props.extra}
      <button
        type="button"
        className="ev-btn ev-primary"
        disabled={props.index >= props.total - 1}
        onClick={() => props.go(props.index + 1)}
      >
        Next <Kbd>→</Kbd>
      </button>
    </nav>
  );
}

/**
 * "Submit …" → this dialog. With items still open it says how many and offers the first of them;
 * submitting anyway stays possible (the server keeps what was answered).
 */
export function SubmitDialog(props: {
  what: string;
  open: number;
  openWord: string;
  busy: boolean;
  error: string | null;
  onSubmit: () => void;
  onCancel: () => void;
  onGoToOpen: () => void;
}) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div className="ev-overlay">
      <div
        className="ev-card ev-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="ev-dialog-title"
        onKeyDown={(e) => {
          if (e.key === 'Escape') props.onCancel();
        }}
      >
        <h2 id="ev-dialog-title">Submit your {props.what}?</h2>
        {props.open > 0 ? (
          <p data-testid="open-items">
            {props.open === 1 ? `1 item is ${props.openWord}.` : `${props.open} items are ${props.openWord}.`} You can
            go back to {props.open === 1 ? 'it' : 'the first of them'}, or submit anyway.
          </p>
        ) : (
          <p>After submitting you can still read your answers, but not change them.</p>
        )}
        {props.error && (
          <p className="ev-error" role="alert">
            {props.error}
          </p>
        )}
        <div className="ev-dialog-buttons">
          {props.open > 0 && (
            <button type="button" className="ev-btn" onClick={props.onGoToOpen}>
              Go to the first open item
            </button>
          )}
          <button type="button" className="ev-btn" onClick={props.onCancel}>
            Cancel
          </button>
          <button
            ref={first}
            type="button"
            className="ev-btn ev-primary"
            disabled={props.busy}
            onClick={props.onSubmit}
          >
            Submit
          </button>
        </div>
      </div>
    </div>
  );
}

export function ThankYou({ submittedAt, what }: { submittedAt: string; what: string }) {
  const when = new Date(submittedAt);
  return (
    <section className="ev-card ev-thanks" aria-labelledby="ev-thanks-title">
      <h2 id="ev-thanks-title">Thank you</h2>
      <p>
        Your {what} were submitted{Number.isNaN(when.getTime()) ? '' : ` on ${when.toLocaleString()}`}. You can read
        them below; they can no longer be changed.
      </p>
    </section>
  );
}
