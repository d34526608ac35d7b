// Small pieces the People views share: a labelled field with its error beside it, a Copy button,
// link-state and band pills, and a file picker. (Confirmations and tabs are in components/.)
import { useId, useState, type ReactNode } from 'react';
import { parseNames, type FieldErrors } from './forms';
import type { LinksSummary } from './links';
import { formatDateTime } from '../../lib/format';

/** What a control needs to point at its hint and error. */
export interface FieldA11y {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

/** A label, its control, a hint under it and, when the form was refused, the error beside it. */
export function FormField({
  label,
  hint,
  error,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: (a11y: FieldA11y) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field people-field invalid' : 'field people-field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': describedBy, ...(error ? { 'aria-invalid': true as const } : {}) })}
      {error && (
        <span className="field-error" id={errorId}>
          {error}
        </span>
      )}
      {hint && (
        <small className="muted" id={hintId}>
          {hint}
        </small>
      )}
    </div>
  );
}

/** A FormField around a one-line text input (`numeric` asks for a number keypad); `onChange` gets the text. */
export function InputField({
  label,
  hint,
  error,
  name,
  value,
  onChange,
  onBlur,
  numeric = false,
  placeholder,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  name?: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  numeric?: boolean;
  placeholder?: string;
}) {
  return (
    <FormField label={label} hint={hint} error={error}>
      {(a) => (
        <input
          className="input"
          name={name}
          inputMode={numeric ? 'numeric' : undefined}
          placeholder={placeholder}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onBlur={onBlur}
          {...a}
        />
      )}
    </FormField>
  );
}

/** The form's text fields' keys (those InputField and PeopleField can edit). */
type TextKey<F> = { [K in keyof F]: F[K] extends string ? K : never }[keyof F] & string;

/**
 * Binds a form's text field to an InputField or PeopleField: its name, value, change and error,
 * so each field is written once by its key.
 */
export function fieldBinder<F>(form: F, set: (patch: Partial<F>) => void, errors: FieldErrors) {
  return (key: TextKey<F>) => ({
    name: key,
    value: form[key] as string,
    onChange: (value: string) => set({ [key]: value } as Partial<F>),
    error: errors[key],
  });
}

/** The people a form invites, typed one per line or as a comma list; the hint counts them. */
export function PeopleField({
  label,
  how,
  name,
  placeholder,
  value,
  onChange,
  error,
}: {
  label: string;
  /** What each name may be, after "One per line or separated by commas". */
  how?: string;
  name: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  return (
    <FormField
      label={label}
      hint={`One per line or separated by commas${how ? `: ${how}` : ''}. ${parseNames(value).length} named.`}
      error={error}
    >
      {(a) => (
        <textarea
          className="input"
          name={name}
          rows={4}
          placeholder={placeholder}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          {...a}
        />
      )}
    </FormField>
  );
}

/** Copies a text; says "Copied" for a moment, or why it could not. */
export function CopyButton({ text, label, name }: { text: string; label?: string; name?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2000);
  };
  const shown = label ?? 'Copy';
  return (
    <button type="button" className="btn small" onClick={() => void copy()} aria-label={name}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text' : shown}
    </button>
  );
}

const LINK_WORDS: Record<LinksSummary['state'], string> = {
  active: 'active',
  revoked: 'revoked',
  expired: 'expired',
  none: 'no link',
};

export function LinkStatePill({ summary }: { summary: LinksSummary }) {
  const tone = summary.state === 'active' ? 'good' : summary.state === 'none' ? 'missing' : 'strong';
  const title =
    summary.state === 'active'
      ? summary.expiresAt
        ? `${summary.active} working link${summary.active === 1 ? '' : 's'}, until ${formatDateTime(summary.expiresAt)}`
        : `${summary.active} working link${summary.active === 1 ? '' : 's'}, no expiry`
      : undefined;
  return (
    <span className={`pill ${tone}`} title={title} data-testid="link-state">
      {LINK_WORDS[summary.state]}
    </span>
  );
}

/** A band word as a pill: green for good agreement, amber for middling, red for poor. */
export function BandPill({ band, none = 'no band' }: { band: string | null; none?: string }) {
  if (!band)
    return (
      <span className="pill missing" title="Too few complete units, or no variation in the values chosen">
        {none}
      </span>
    );
  const tone = ['reliable', 'substantial', 'almost perfect'].includes(band)
    ? 'good'
    : ['tentative', 'moderate'].includes(band)
      ? 'mild'
      : 'strong';
  return <span className={`pill ${tone}`}>{band}</span>;
}

/** Keyboard-reachable "choose a file" for a hidden file input: the button opens the picker. */
export function FilePickButton({
  label,
  accept,
  disabled,
  onFile,
  className = 'btn',
}: {
  label: string;
  accept?: string;
  disabled?: boolean;
  onFile: (file: File) => void;
  className?: string;
}) {
  const id = useId();
  return (
    <>
      <input
        id={id}
        type="file"
        accept={accept}
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
      <button
        type="button"
        className={className}
        disabled={disabled}
        onClick={() => (document.getElementById(id) as HTMLInputElement | null)?.click()}
      >
        {label}
      </button>
    </>
  );
}
