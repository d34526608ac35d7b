// The virtualized records table: fixed row height, only the visible rows (plus overscan) in
// the DOM, pages fetched on demand. Keyboard: ↑/↓/PageUp/PageDown/Home/End select, Enter opens.
// The first column is the record's id, the same number the record panel's title shows (a row's
// position in the current view changes with every filter; the id does not). The columns fit from
// 1280 px wide; narrower, the table scrolls sideways and says so (edge shadow, "More columns").
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorBanner } from '../../components/ErrorBanner';
import { LabelPill } from '../../components/LabelPill';
import { formatCount } from '../../lib/format';
import type { RecordRow } from './recordEdit';
import { nextSelection, pageStep, rowLayout, scrollTopForRow, virtualWindow, type NavKey } from './virtualWindow';
import { selectAcknowledged, useContentWarningStore } from '../../stores/contentWarning';
import { useFiltersStore } from './filters';
import { rowAt, selectEnsure, selectRecordsView, useRecordsStore } from './records';
import { selectOpenRecord, selectOpenRecordId, useRecordViewStore } from './recordView';
import { HiddenText } from './ContentWarning';
import '../../styles/records-table.css';

export const ROW_HEIGHT = 34;
const HEADER_HEIGHT = 34;
const OVERSCAN = 10;
/** Enough of a text for one truncated line; the full text is in the record panel. */
const TEXT_PREVIEW_CHARS = 400;
const NAV_KEYS = new Set<string>(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End']);

const COLUMNS = ['ID', 'Text', 'Bias', 'Toxicity', 'Sentiment', 'Harm', 'Annotation', 'Target', 'Split'];
const COLUMN_TITLES: Record<string, string> = { ID: 'Record id: the record panel opens as “Record <id>”' };

/** Columns cut off to the left or right of the scrolled view. */
interface HiddenSides {
  left: boolean;
  right: boolean;
}

function hiddenSides(el: HTMLElement): HiddenSides {
  return { left: el.scrollLeft > 1, right: el.scrollLeft + el.clientWidth < el.scrollWidth - 1 };
}

export function RecordsTable() {
  const { query, total, version, epoch, error } = useRecordsStore(useShallow(selectRecordsView));
  const ensure = useRecordsStore(selectEnsure);
  const showText = useContentWarningStore(selectAcknowledged);
  const openRecord = useRecordViewStore(selectOpenRecord);
  const openId = useRecordViewStore(selectOpenRecordId);

  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const [selected, setSelected] = useState(-1);
  const [hidden, setHidden] = useState<HiddenSides>({ left: false, right: false });
  const updateHidden = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const next = hiddenSides(el);
    setHidden((prev) => (prev.left === next.left && prev.right === next.right ? prev : next));
  }, []);
  const direction = useRef<-1 | 0 | 1>(0);
  const frame = useRef(0);

  // The row area is the container minus the sticky header.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => {
      setViewport(Math.max(ROW_HEIGHT, el.clientHeight - HEADER_HEIGHT));
      updateHidden();
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [updateHidden]);

  // A new query starts at the top with nothing selected.
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
    setScrollTop(0);
    setSelected(-1);
    direction.current = 0;
  }, [query]);

  const count = total ?? 0;
  const w = virtualWindow({
    scrollTop,
    viewportHeight: viewport,
    rowHeight: ROW_HEIGHT,
    total: count,
    overscan: OVERSCAN,
  });

  useEffect(() => {
    ensure(w.first, Math.max(w.end, w.first + 1), direction.current);
  }, [ensure, query, epoch, w.first, w.end]);

  const onScroll = useCallback(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const top = scrollRef.current?.scrollTop ?? 0;
      setScrollTop((prev) => {
        direction.current = top > prev ? 1 : top < prev ? -1 : direction.current;
        return top;
      });
      updateHidden();
    });
  }, [updateHidden]);

  /** The "More columns" buttons: scroll sideways by most of the visible width. */
  const scrollColumns = (side: -1 | 1) => {
    const el = scrollRef.current;
    if (el) el.scrollBy({ left: side * Math.max(120, el.clientWidth * 0.7), behavior: 'smooth' });
  };
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const moveTo = (index: number) => {
    setSelected(index);
    const el = scrollRef.current;
    if (!el || index < 0) return;
    const top = scrollTopForRow(index, el.scrollTop, viewport, ROW_HEIGHT, count);
    if (top !== el.scrollTop) {
      el.scrollTop = top;
      setScrollTop(el.scrollTop);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (NAV_KEYS.has(e.key)) {
      e.preventDefault();
      moveTo(nextSelection(e.key as NavKey, selected, count, pageStep(viewport, ROW_HEIGHT)));
    } else if (e.key === 'Enter' && selected >= 0) {
      const row = rowAt(query, selected);
      if (row) {
        e.preventDefault();
        void openRecord(row.id);
      }
    }
  };

  const onRowClick = useCallback(
    (index: number, row: RecordRow | undefined) => {
      setSelected(index);
      scrollRef.current?.focus({ preventScroll: true });
      if (row) void openRecord(row.id);
    },
    [openRecord],
  );

  const layout = rowLayout(w, ROW_HEIGHT);
  const rows = [];
  for (let i = w.first; i < w.end; i++) {
    const row = rowAt(query, i);
    rows.push(
      <TableRow
        key={i}
        index={i}
        top={layout.rowTop(i)}
        row={row}
        selected={i === selected}
        open={row !== undefined && row.id === openId}
        showText={showText}
        version={version}
        onClick={onRowClick}
      />,
    );
  }

  return (
    <div className="records-table-wrap">
      <ErrorBanner message={error} onRetry={() => useRecordsStore.getState().refresh()} />
      <div className="records-frame" data-hidden-left={hidden.left} data-hidden-right={hidden.right}>
        <div
          ref={scrollRef}
          id="records-grid"
          className="records-table"
          role="grid"
          aria-label="Records"
          aria-rowcount={count + 1}
          aria-colcount={COLUMNS.length}
          aria-activedescendant={selected >= w.first && selected < w.end ? `record-row-${selected}` : undefined}
          tabIndex={0}
          onScroll={onScroll}
          onKeyDown={onKeyDown}
        >
          <div className="records-row header" role="row" aria-rowindex={1} style={{ height: HEADER_HEIGHT }}>
            {COLUMNS.map((c) => (
              <div key={c} role="columnheader" className={c === 'ID' ? 'cell num' : 'cell'} title={COLUMN_TITLES[c]}>
                {c}
              </div>
            ))}
          </div>
          <div className="records-body" style={{ height: w.scrollHeight }}>
            <div className="records-window" style={{ transform: `translateY(${layout.windowTop}px)` }}>
              {rows}
            </div>
          </div>
          {total === 0 && <EmptyResult />}
        </div>
        {hidden.left && (
          <button
            type="button"
            className="more-columns left"
            aria-controls="records-grid"
            onClick={() => scrollColumns(-1)}
          >
            ← First columns
          </button>
        )}
        {hidden.right && (
          <button
            type="button"
            className="more-columns right"
            aria-controls="records-grid"
            onClick={() => scrollColumns(1)}
          >
            More columns →
          </button>
        )}
      </div>
      <TableStatus
        first={w.visibleFirst}
        end={w.visibleEnd}
        total={total}
        selected={selected}
        selectedId={selected >= 0 ? (rowAt(query, selected)?.id ?? null) : null}
      />
    </div>
  );
}

/**
 * A row sits at its own place in the window (rowLayout) and is contained (`contain: strict`: its
 * size is fixed, its layout and paint its own), so Chromium keeps the painted rows that stay on
 * screen and paints only the rows a scroll brings in: in bench/ui-scale.ts this cut the main
 * thread's Paint time per scrolled frame by about 60%.
 */
const ROW_STYLES = (top: number) =>
  ({ position: 'absolute', left: 0, right: 0, top, height: ROW_HEIGHT, contain: 'strict' }) as const;

const TableRow = memo(function TableRow({
  index,
  top,
  row,
  selected,
  open,
  showText,
  onClick,
}: {
  index: number;
  /** Position inside the row window (rowLayout): unchanged while the row stays rendered. */
  top: number;
  row: RecordRow | undefined;
  selected: boolean;
  open: boolean;
  showText: boolean;
  /** Only to re-render when a cached row was replaced in place. */
  version: number;
  onClick: (index: number, row: RecordRow | undefined) => void;
}) {
  const className = `records-row${selected ? ' selected' : ''}${open ? ' open' : ''}${row ? '' : ' pending'}`;
  return (
    <div
      id={`record-row-${index}`}
      className={className}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      style={ROW_STYLES(top)}
      onClick={() => onClick(index, row)}
    >
      {row ? (
        <>
          <div role="gridcell" className="cell num record-id">
            {row.id}
          </div>
          <RowCells row={row} showText={showText} />
        </>
      ) : (
        <PendingCells />
      )}
    </div>
  );
});

function RowCells({ row, showText }: { row: RecordRow; showText: boolean }) {
  return (
    <>
      <div role="gridcell" className="cell text">
        {showText ? <span className="text-preview">{row.text.slice(0, TEXT_PREVIEW_CHARS)}</span> : <HiddenText />}
      </div>
      <div role="gridcell" className="cell">
        <LabelPill value={row.labels.bias} />
      </div>
      <div role="gridcell" className="cell">
        <LabelPill value={row.labels.toxicity} />
      </div>
      <div role="gridcell" className="cell">
        <LabelPill value={row.labels.sentiment} />
      </div>
      <div role="gridcell" className="cell">
        <LabelPill value={row.labels.harm} />
      </div>
      <div role="gridcell" className="cell">
        <AnnotationCell row={row} />
      </div>
      <div role="gridcell" className="cell target" title={row.targetDemographic ?? undefined}>
        {row.targetDemographic ?? <span className="muted">—</span>}
      </div>
      <div role="gridcell" className="cell">
        {row.split ?? <span className="muted">—</span>}
      </div>
    </>
  );
}

/** Gold annotation; the rule's value beside it, marked ⚠, when the two disagree. */
function AnnotationCell({ row }: { row: RecordRow }) {
  if (row.annotationGold === null && row.annotationDerived === null) return <LabelPill value={null} />;
  if (row.annotationGold === null) {
    return (
      <span title="No gold annotation: value derived by the paper’s rule">
        <LabelPill value={row.annotationDerived} /> <span className="muted small">rule</span>
      </span>
    );
  }
  return (
    <span className="annotation-cell">
      <LabelPill value={row.annotationGold} />
      {row.annotationDisagrees && (
        <span className="disagree" title={`The paper’s rule gives ${row.annotationDerived ?? 'no value'}`}>
          ⚠ {row.annotationDerived ?? '?'}
        </span>
      )}
    </span>
  );
}

function PendingCells() {
  return (
    <>
      {COLUMNS.map((c) => (
        <div key={c} role="gridcell" className="cell">
          <span className={c === 'Text' ? 'skeleton wide' : 'skeleton'} />
        </div>
      ))}
    </>
  );
}

function EmptyResult() {
  const reset = useFiltersStore((s) => s.reset);
  return (
    <div className="empty-state in-table">
      <p>No records match these filters.</p>
      <button type="button" className="btn small" onClick={reset}>
        Clear filters
      </button>
    </div>
  );
}

function TableStatus({
  first,
  end,
  total,
  selected,
  selectedId,
}: {
  first: number;
  end: number;
  total: number | null;
  selected: number;
  /** The selected row's record id, once its page is loaded. */
  selectedId: number | null;
}) {
  if (!total) return <div className="table-status" />;
  return (
    <div className="table-status muted">
      Rows {formatCount(first + 1)}–{formatCount(end)} of {formatCount(total)}
      {selected >= 0 &&
        (selectedId !== null
          ? ` · row ${formatCount(selected + 1)} selected (record ${selectedId})`
          : ` · row ${formatCount(selected + 1)} selected`)}
      <span className="kbd-hint">↑↓ PgUp PgDn Home End to move · Enter to open · Esc to close</span>
    </div>
  );
}
