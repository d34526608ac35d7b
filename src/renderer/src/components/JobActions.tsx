// The Cancel / Resume / Remove buttons in the header of a job-backed run (generation runs,
// training runs). Cancel and resume disable the buttons until the call settles, so a double
// click sends one call; the caller says which actions apply now and what they do (its store
// reports failures), and Remove opens the caller's own confirmation.
import { useState } from 'react';

export interface JobAction {
  /** The button's text (its accessible name). */
  label: string;
  run(): Promise<void>;
}

interface JobActionsProps {
  /** Null while the job cannot be cancelled (not running). */
  cancel: JobAction | null;
  /** Null while there is nothing to resume. */
  resume: JobAction | null;
  /** Opens a confirmation; null or absent while removing is not possible (or not offered). */
  onRemove?: (() => void) | null;
}

export function JobActions({ cancel, resume, onRemove }: JobActionsProps) {
  const [busy, setBusy] = useState(false);
  const act = async (action: JobAction) => {
    setBusy(true);
    try {
      await action.run();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="dataset-actions">
      {cancel && (
        <button type="button" className="btn danger" disabled={busy} onClick={() => void act(cancel)}>
          {cancel.label}
        </button>
      )}
      {resume && (
        <button type="button" className="btn primary" disabled={busy} onClick={() => void act(resume)}>
          {resume.label}
        </button>
      )}
      {onRemove && (
        <button type="button" className="btn ghost danger" onClick={onRemove}>
          Remove
        </button>
      )}
    </div>
  );
}
