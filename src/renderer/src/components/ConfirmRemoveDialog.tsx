// The "Remove …?" confirmation of a stored thing (a run, an evaluation): Keep it / Remove, the
// remove button disabled while the call runs, the dialog closed when it succeeds and the error
// shown in it when it fails (the caller's `remove` throws; the thing stays).
import type { ReactNode } from 'react';
import { ConfirmDialog } from './ConfirmDialog';

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
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={removeLabel}
      busyLabel="Removing…"
      cancelLabel="Keep it"
      danger
      run={remove}
      onClose={onClose}
    >
      {children}
    </ConfirmDialog>
  );
}
