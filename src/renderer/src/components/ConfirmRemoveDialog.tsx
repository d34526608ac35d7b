// The "Remove …?" confirmation of a stored thing (a run, an evaluation): Keep it / Remove, the
// remove button disabled while the call runs, the dialog closed when it succeeds and the error
// shown in it when it fails (the caller's `remove` throws; the thing stays).
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api';
import { Dialog } from './Dialog';
import { ErrorBanner } from './ErrorBanner';

export function ConfirmRemoveDialog({
  title,
  removeLabel,
  remove,
  onClose,
  children,
}: {
  title: string;
  /** The confirming button's text, e.g. "Remove run". */
  removeLabel: string;
  remove: () => Promise<void>;
  onClose: () => void;
  /** What removing deletes and what it keeps. */
  children: ReactNode;
}) {
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setRunning(true);
    try {
      await remove();
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setRunning(false);
    }
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn ghost" onClick={onClose}>
            Keep it
          </button>
          <button type="button" className="btn danger" disabled={running} onClick={() => void confirm()}>
            {running ? 'Removing…' : removeLabel}
          </button>
        </>
      }
    >
      {children}
      <ErrorBanner message={error} />
    </Dialog>
  );
}
