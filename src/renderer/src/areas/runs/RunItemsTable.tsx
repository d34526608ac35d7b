// The side-by-side table: each input next to what the model made of it (and the dataset's own
// benign variation when there is one), paged, live while the run goes, texts behind the
// content warning.
import { Fragment, useEffect, useMemo, useState } from 'react';
import type { RunItem, RunSummary } from '../../../../shared/contracts/runs';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount } from '../../lib/format';
import {
  finishReasonLabel,
  formatMs,
  formatTokensPerSecond,
  showControlChars,
  tokensPerSecond,
} from '../../lib/llmFormat';
import { itemStatus, pageCount, pageLabel } from './runProgress';
import { wordDiff, type Segment } from './wordDiff';
import { selectAcknowledge, selectAcknowledged, useContentWarningStore } from '../../stores/contentWarning';
import { ITEMS_PAGE_SIZE, selectItemsPage, useRunsStore, type ItemFilter } from './runs';
import { HiddenText } from '../datasets/ContentWarning';

const FILTERS: { id: ItemFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'done', label: 'Done' },
  { id: 'error', label: 'Errors' },
  { id: 'pending', label: 'Pending' },
];

export function RunItemsTable({ run }: { run: RunSummary }) {
  const page = useRunsStore(selectItemsPage);
  const acknowledged = useContentWarningStore(selectAcknowledged);
  const [showReference, setShowReference] = useState(false);
  const [highlight, setHighlight] = useState(true);
  const [open, setOpen] = useState<number | null>(null);

  useEffect(() => {
    if (!page || page.runId !== run.id) void useRunsStore.getState().loadItems(0, 'all');
  }, [run.id, page]);

  const current = page && page.runId === run.id ? page : null;
  const hasReference = current?.items.some((i) => i.reference !== null) ?? false;
  const pages = pageCount(current?.total ?? 0, ITEMS_PAGE_SIZE);
  const counts: Record<ItemFilter, number> = {
    all: run.total,
    done: run.done,
    error: run.errors,
    pending: Math.max(0, run.total - run.done - run.errors),
  };
  const go = (p: number) => void useRunsStore.getState().loadItems(Math.min(pages - 1, Math.max(0, p)));
  const reference = showReference && hasReference;

  return (
    <section className="card run-items" aria-labelledby="run-items-title">
      <div className="row gap wrap">
        <h3 id="run-items-title">Original vs generated</h3>
        <span className="spacer" />
        <div className="segmented" role="radiogroup" aria-label="Show items">
          {FILTERS.map((f) => (
            <button
              key={f.id}
              type="button"
              role="radio"
              aria-checked={current?.filter === f.id}
              className={current?.filter === f.id ? 'seg on' : 'seg'}
              onClick={() => void useRunsStore.getState().loadItems(0, f.id)}
            >
              {f.label} {formatCount(counts[f.id])}
            </button>
          ))}
        </div>
        <label className="check small">
          <input type="checkbox" checked={highlight} onChange={(e) => setHighlight(e.target.checked)} />
          Highlight changes
        </label>
        {hasReference && (
          <label className="check small">
            <input type="checkbox" checked={showReference} onChange={(e) => setShowReference(e.target.checked)} />
            Dataset’s benign variation
          </label>
        )}
      </div>
      <RunsContentWarning />
      <ErrorBanner message={current?.error ?? null} onRetry={() => void useRunsStore.getState().loadItems()} />
      <div className="table-scroll side-by-side-wrap">
        <table
          className={reference ? 'data-table side-by-side with-reference' : 'data-table side-by-side'}
          aria-label="Run items"
        >
          <thead>
            <tr>
              <th className="num">#</th>
              <th>Original</th>
              <th>Generated</th>
              {reference && <th>Dataset’s benign variation</th>}
              <th className="num">Tokens</th>
              <th className="num">Time</th>
              <th className="num">Tok/s</th>
              <th>Finish</th>
            </tr>
          </thead>
          <tbody>
            {current?.items.map((item) => (
              <Fragment key={item.index}>
                <ItemRow
                  item={item}
                  acknowledged={acknowledged}
                  highlight={highlight}
                  reference={reference}
                  open={open === item.index}
                  onToggle={() => setOpen(open === item.index ? null : item.index)}
                />
                {open === item.index && (
                  <tr className="item-detail">
                    <td />
                    <td colSpan={reference ? 7 : 6}>
                      <ItemDetail item={item} acknowledged={acknowledged} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
        {current && !current.loading && current.items.length === 0 && (
          <p className="muted pad">
            {current.filter === 'all' ? 'This run has no items.' : `No ${current.filter} items.`}
          </p>
        )}
        {(!current || (current.loading && current.items.length === 0)) && <p className="muted pad">Loading items…</p>}
      </div>
      <div className="pager row gap">
        <span className="muted small" data-testid="items-page-label">
          {current ? pageLabel(current.page, ITEMS_PAGE_SIZE, current.total) : ''}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="btn small"
          disabled={!current || current.page === 0}
          onClick={() => go(current!.page - 1)}
        >
          ‹ Previous
        </button>
        <span className="small">
          Page {current ? current.page + 1 : 1} of {pages}
        </span>
        <button
          type="button"
          className="btn small"
          disabled={!current || current.page >= pages - 1}
          onClick={() => go(current!.page + 1)}
        >
          Next ›
        </button>
      </div>
    </section>
  );
}

function RunsContentWarning() {
  const acknowledged = useContentWarningStore(selectAcknowledged);
  const acknowledge = useContentWarningStore(selectAcknowledge);
  if (acknowledged) return null;
  return (
    <div className="banner content-warning flat" role="region" aria-label="Content warning">
      <div className="banner-body">
        <strong>Content warning.</strong> The inputs come from safety-research data and contain offensive, hateful and
        stereotyping text about real groups of people; model outputs may too. Texts stay hidden until you choose to show
        them; counts, timings and finish reasons remain visible.
      </div>
      <button type="button" className="btn warn" onClick={acknowledge}>
        Show text
      </button>
    </div>
  );
}

function ItemRow({
  item,
  acknowledged,
  highlight,
  reference,
  open,
  onToggle,
}: {
  item: RunItem;
  acknowledged: boolean;
  highlight: boolean;
  reference: boolean;
  open: boolean;
  onToggle: () => void;
}) {
  const status = itemStatus(item);
  const diff = useMemo(
    () => (acknowledged && highlight && item.output !== null ? wordDiff(item.input, item.output) : null),
    [acknowledged, highlight, item.input, item.output],
  );
  const tps = tokensPerSecond(item.completionTokens, item.generateMs);
  return (
    <tr className={`item-row ${status}${open ? ' open' : ''}`} data-index={item.index}>
      <td className="num">
        <button type="button" className="link" aria-expanded={open} onClick={onToggle} title="Show the prompt sent">
          {item.index + 1}
        </button>
      </td>
      <td className="item-text original">
        {acknowledged ? diff ? <Segments segments={diff.original} mark="del" /> : item.input : <HiddenText />}
      </td>
      <td className="item-text generated">
        {status === 'error' ? (
          <span className="item-error" role="note">
            ✕ {item.error}
          </span>
        ) : status === 'pending' ? (
          <span className="muted">pending…</span>
        ) : acknowledged ? (
          diff ? (
            <Segments segments={diff.rewrite} mark="ins" />
          ) : (
            showControlChars(item.output ?? '')
          )
        ) : (
          <HiddenText />
        )}
      </td>
      {reference && (
        <td className="item-text reference">
          {item.reference === null ? <span className="muted">–</span> : acknowledged ? item.reference : <HiddenText />}
        </td>
      )}
      <td className="num" title="prompt tokens → completion tokens">
        {item.promptTokens === null ? '–' : `${formatCount(item.promptTokens)} → ${formatCount(item.completionTokens)}`}
      </td>
      <td className="num">{formatMs(item.generateMs)}</td>
      <td className="num">{item.cached ? 'cached' : formatTokensPerSecond(tps).replace(' tok/s', '')}</td>
      <td>{finishReasonLabel(item.finishReason)}</td>
    </tr>
  );
}

function Segments({ segments, mark }: { segments: Segment[]; mark: 'del' | 'ins' }) {
  return (
    <>
      {segments.map((s, i) =>
        s.changed ? (
          <mark key={i} className={mark === 'del' ? 'diff-del' : 'diff-ins'}>
            {showControlChars(s.text)}
          </mark>
        ) : (
          <Fragment key={i}>{showControlChars(s.text)}</Fragment>
        ),
      )}
    </>
  );
}

function ItemDetail({ item, acknowledged }: { item: RunItem; acknowledged: boolean }) {
  return (
    <div className="stack item-detail-body">
      <div className="small muted">
        Item {item.index + 1}
        {item.recordId !== null ? ` · record ${item.recordId}` : ''}
        {item.finishedAt ? ` · finished ${new Date(item.finishedAt).toLocaleTimeString()}` : ''}
        {item.cached ? ' · from the response cache' : ''}
      </div>
      <div>
        <div className="muted small">Prompt sent</div>
        {acknowledged ? <pre className="template-text">{item.prompt}</pre> : <HiddenText long />}
      </div>
    </div>
  );
}
