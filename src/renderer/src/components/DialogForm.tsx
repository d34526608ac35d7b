// The form inside a Dialog and its footer buttons: the footer sits outside the <form>, so the
// submit button names the form by id.
import type { ReactNode } from 'react';

/** A dialog's form: submitting (Enter or the footer's submit button) runs `onSubmit`. */
export function DialogForm({
  id,
  onSubmit,
  autoComplete,
  children,
}: {
  id: string;
  onSubmit: () => void;
  autoComplete?: 'off';
  children: ReactNode;
}) {
  return (
    <form
      id={id}
      className="import-form"
      autoComplete={autoComplete}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** Cancel, any extra buttons, then the primary submit of form `formId` ("Saving…" while busy). */
export function DialogFormButtons({
  formId,
  onCancel,
  submitLabel,
  busyLabel,
  busy,
  disabled = busy,
  children,
}: {
  formId: string;
  onCancel: () => void;
  submitLabel: string;
  busyLabel: string;
  busy: boolean;
  disabled?: boolean;
  children?: ReactNode;
}) {
  return (
    <>
      <button type="button" className="btn ghost" onClick={onCancel}>
        Cancel
      </button>
      {children}
      <button type="submit" form={formId} className="btn primary" disabled={disabled}>
        {busy ? busyLabel : submitLabel}
      </button>
    </>
  );
}
