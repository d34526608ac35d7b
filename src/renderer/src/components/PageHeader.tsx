// The head of an area's main page (a selected session or round, a "New …" form): the title (its
// full text as a tooltip, for names cut short), a summary under it, the page's buttons, and what
// sits under the head's row (tabs).
import type { ReactNode } from 'react';

export function PageHeader({
  title,
  summary,
  actions,
  children,
}: {
  title: string;
  summary: ReactNode;
  actions: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="dataset-header">
      <div className="dataset-title">
        <h1 title={title}>{title}</h1>
        {summary}
      </div>
      <div className="dataset-actions">{actions}</div>
      {children}
    </div>
  );
}

/** A "New …" form's head: what it makes, then Cancel and the submit button (busy words while it runs). */
export function FormPageHeader({
  title,
  intro,
  submitLabel,
  busyLabel,
  busy,
  onCancel,
}: {
  title: string;
  intro: ReactNode;
  submitLabel: string;
  busyLabel: string;
  busy: boolean;
  onCancel: () => void;
}) {
  return (
    <PageHeader
      title={title}
      summary={<p className="muted">{intro}</p>}
      actions={
        <>
          <button type="button" className="btn ghost" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={busy}>
            {busy ? busyLabel : submitLabel}
          </button>
        </>
      }
    />
  );
}
