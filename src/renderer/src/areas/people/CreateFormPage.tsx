// The page the New session and New round forms share: the form (checked here, not by the browser),
// its header with Cancel and the create button, the server's refusal in a banner above the fields
// and the problems that belong to no field below them. Cancel goes back to the selected one.
import type { ReactNode } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormPageHeader } from '../../components/PageHeader';
import type { FieldErrors } from './forms';
import { usePeopleStore } from './people';

export function CreateFormPage({
  title,
  intro,
  submitLabel,
  form,
  children,
}: {
  /** The heading, and the form's accessible name. */
  title: string;
  intro: string;
  submitLabel: string;
  /** What useCreateForm returns. */
  form: { errors: FieldErrors; error: string | null; busy: boolean; submit: () => Promise<void> };
  children: ReactNode;
}) {
  return (
    <form
      className="model-details people-form"
      aria-label={title}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit();
      }}
    >
      <FormPageHeader
        title={title}
        intro={intro}
        submitLabel={submitLabel}
        busyLabel="Creating…"
        busy={form.busy}
        onCancel={() => usePeopleStore.getState().setMode('view')}
      />
      <div className="lab-scroll">
        <ErrorBanner message={form.error} />
        {children}
        {form.errors.form && <p className="field-error">{form.errors.form}</p>}
      </div>
    </form>
  );
}
