// A question before an action: a cancel button and the action's button, the latter disabled (with
// its busy words) while the action runs; the dialog closes when the action succeeds and shows the
// error when it fails (the caller's `run` throws; nothing is changed by the dialog itself).
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api';
import { Dialog } from './Dialog';
import { ErrorBanner } from './ErrorBanner';

export function ConfirmDialog({
  title,
  confirmLabel,
  busyLabel = 'Working…',
  cancelLabel = 'Cancel',
  danger = false,
  run,
  onClose,
  children,
}: {
  title: string;
  /** The confirming button's text, e.g. "Revoke links". */
  confirmLabel: string;
  busyLabel?: string;
  cancelLabel?: string;
  /** A red button for what cannot be undone; a primary one otherwise. */
  danger?: boolean;
  /** Resolves when done (the dialog closes); throws to keep it open with the error. */
  run: () => Promise<void> | void;
  onClose: () => void;
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await run();
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn ghost" onClick={onClose}>
            {cancelLabel}
          </button>
          <button
            type="button"
            className={danger ? 'btn danger' : 'btn primary'}
            disabled={busy}
            onClick={() => void confirm()}
          >
            {busy ? busyLabel : confirmLabel}
          </button>
        </>
      }
    >
      {children}
      <ErrorBanner message={error} />
    </Dialog>
  );
}
