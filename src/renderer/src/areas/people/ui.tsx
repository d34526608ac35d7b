// Small pieces the People views share: a labelled field with its error beside it, a Copy button,
// a confirmation dialog for actions that cannot be undone, link-state and band pills, and tabs.
import { useId, useState, type ReactNode } from 'react';
import { errorMessage } from '../../api';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
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

/** A question before an action: Cancel / the action, busy while it runs, its error shown in the dialog. */
export function ConfirmDialog({
  title,
  confirmLabel,
  busyLabel,
  danger = false,
  run,
  onClose,
  children,
}: {
  title: string;
  confirmLabel: string;
  busyLabel?: string;
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
            Cancel
          </button>
          <button
            type="button"
            className={danger ? 'btn danger' : 'btn primary'}
            disabled={busy}
            onClick={() => void confirm()}
          >
            {busy ? (busyLabel ?? 'Working…') : confirmLabel}
          </button>
        </>
      }
    >
      {children}
      <ErrorBanner message={error} />
    </Dialog>
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

export function Tabs<T extends string>({
  label,
  tabs,
  value,
  onChange,
}: {
  label: string;
  tabs: readonly { id: T; label: string }[];
  value: T;
  onChange: (id: T) => void;
}) {
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          aria-selected={value === t.id}
          className={value === t.id ? 'tab active' : 'tab'}
          onClick={() => onChange(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
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
