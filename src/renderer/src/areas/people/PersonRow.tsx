// What a session's evaluator row and a round's annotator row have alike: the progress cell, the
// New link / Revoke links buttons, and the two confirmations they lead to (revoking the links,
// and working as that person in this window, evaluator mode).
import type { ReactNode } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ProgressBar } from '../../components/ProgressBar';
import { formatCount } from '../../lib/format';
import { useEvaluatorMode, type ActingAs } from '../../stores/evaluator-mode';

/** Done of assigned, as a bar (named for the person) and as numbers. */
export function ProgressCell({ person, done, assigned }: { person: string; done: number; assigned: number }) {
  return (
    <td className="people-progress">
      <ProgressBar done={done} total={assigned} label={`${person}’s progress`} />
      <span className="small">
        {formatCount(done)}/{formatCount(assigned)}
      </span>
    </td>
  );
}

/** A fresh link for the person (busy while it is made), and revoking theirs (only while one works). */
export function LinkButtons({
  person,
  making,
  activeLinks,
  onNewLink,
  onRevoke,
}: {
  person: string;
  making: boolean;
  activeLinks: number;
  onNewLink: () => void;
  onRevoke: () => void;
}) {
  return (
    <>
      <button
        type="button"
        className="btn small"
        aria-label={`New link for ${person}`}
        disabled={making}
        onClick={onNewLink}
      >
        New link
      </button>
      <button
        type="button"
        className="btn small"
        aria-label={`Revoke links of ${person}`}
        disabled={activeLinks === 0}
        onClick={onRevoke}
      >
        Revoke links
      </button>
    </>
  );
}

/** "Score here" / "Annotate here": opens the EvaluatorModeDialog for the person. */
export function WorkHereButton({ person, verb, onClick }: { person: string; verb: string; onClick: () => void }) {
  return (
    <button type="button" className="btn small primary" aria-label={`${verb} here as ${person}`} onClick={onClick}>
      {verb} here
    </button>
  );
}

/** Revokes the person's links (the caller's `revoke` does it and reports); `kept` says what stays. */
export function RevokeLinksDialog({
  person,
  revoke,
  onClose,
  kept,
}: {
  person: string;
  revoke: () => Promise<void>;
  onClose: () => void;
  kept: ReactNode;
}) {
  return (
    <ConfirmDialog
      title={`Revoke ${person}’s links?`}
      confirmLabel="Revoke links"
      busyLabel="Revoking…"
      danger
      onClose={onClose}
      run={revoke}
    >
      <p>Their links stop working at once. {kept}</p>
    </ConfirmDialog>
  );
}

/** Asks before this window becomes `as`'s evaluator page; `children` says what they will see. */
export function EvaluatorModeDialog({
  title,
  as,
  onClose,
  children,
}: {
  title: string;
  as: ActingAs;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <ConfirmDialog
      title={title}
      confirmLabel="Start evaluator mode"
      onClose={onClose}
      run={() => useEvaluatorMode.getState().enter(as)}
    >
      {children}
    </ConfirmDialog>
  );
}
