// The left-hand list of an area (datasets, runs, sessions…): a heading with its "New …" button,
// and entries that are buttons, the selected one marked `aria-current`. The area renders what each
// entry says under its name.
import type { ReactNode } from 'react';
import { ErrorBanner } from './ErrorBanner';

/** The list's heading and its primary "New …" button. */
export function ItemListHeader({ title, newLabel, onNew }: { title: string; newLabel: string; onNew: () => void }) {
  return (
    <div className="dataset-list-header">
      <h2>{title}</h2>
      <button type="button" className="btn primary small" onClick={onNew}>
        {newLabel}
      </button>
    </div>
  );
}

/** Under the header: the load's error (with Retry), "Loading…" the first time, or `empty` when none. */
export function ItemListStatus({
  error,
  loaded,
  loading,
  count,
  empty,
  onRetry,
}: {
  error: string | null;
  loaded: boolean;
  loading: boolean;
  count: number;
  empty: string;
  onRetry: () => void;
}) {
  return (
    <>
      <ErrorBanner message={error} onRetry={onRetry} />
      {!loaded && loading && <p className="muted pad">Loading…</p>}
      {loaded && !error && count === 0 && <p className="muted pad">{empty}</p>}
    </>
  );
}

/** One entry: `#id name` (the full name as its tooltip) and the lines `children` add under it. */
export function ItemListEntry({
  id,
  name,
  active,
  onSelect,
  className = 'dataset-item',
  children,
}: {
  id: number | string;
  name: string;
  active: boolean;
  onSelect: () => void;
  className?: string;
  children?: ReactNode;
}) {
  return (
    <li>
      <button
        type="button"
        className={active ? `${className} active` : className}
        aria-current={active ? 'true' : undefined}
        onClick={onSelect}
      >
        <span className="dataset-item-name" title={name}>
          #{id} {name}
        </span>
        {children}
      </button>
    </li>
  );
}
