// Side panel for one record: full text, editable labels, the annotation rule explained, and
// the edit history. Esc closes it (unless a dialog is open, which Esc closes first).
import { useEffect, useRef } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { selectCloseRecord, useRecordViewStore } from './recordView';
import { EditHistory } from './EditHistory';
import { RecordEditor } from './RecordEditor';

export function RecordPanel() {
  const openId = useRecordViewStore((s) => s.openId);
  const record = useRecordViewStore((s) => s.record);
  const edits = useRecordViewStore((s) => s.edits);
  const loading = useRecordViewStore((s) => s.loading);
  const error = useRecordViewStore((s) => s.error);
  const close = useRecordViewStore(selectCloseRecord);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (openId === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]')) return;
      closeAndReturnFocus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  function closeAndReturnFocus() {
    close();
    document.getElementById('records-grid')?.focus({ preventScroll: true });
  }

  if (openId === null) return null;
  return (
    <aside className="record-panel" aria-label={`Record ${openId}`}>
      <header className="panel-header">
        <div>
          <h2>Record {openId}</h2>
          {record && (
            <p className="muted small">
              {record.sourceId !== null && <>source id {record.sourceId} · </>}
              {record.sourceLine !== null ? <>line {record.sourceLine}</> : 'no source line'}
              {record.split && <> · {record.split}</>}
            </p>
          )}
        </div>
        <button
          ref={closeRef}
          type="button"
          className="btn ghost icon"
          onClick={closeAndReturnFocus}
          aria-label="Close record (Esc)"
        >
          ✕
        </button>
      </header>
      <div className="panel-body">
        {loading && !record && <p className="muted">Loading record…</p>}
        <ErrorBanner message={record ? null : error} onRetry={() => void useRecordViewStore.getState().open(openId)} />
        {record && (
          <>
            {/* keyed by the history length: after a save the form starts from the saved values */}
            <RecordEditor key={`${record.id}:${edits.length}`} record={record} />
            <EditHistory edits={edits} />
          </>
        )}
      </div>
    </aside>
  );
}
