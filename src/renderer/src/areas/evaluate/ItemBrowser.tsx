// The items behind the tables: each input, what a generator made of it, and every scorer's score
// and verdict, filtered by row, test set, group, positive verdicts, counterfactual flips and
// scorer disagreement. Texts are untrusted and offensive by design: hidden behind the content
// warning until acknowledged, and rendered as text only.
import { useEffect, useState } from 'react';
import type { EvalItem, EvaluationSummary } from '../../../../shared/contracts/evaluation';
import { ErrorBanner } from '../../components/ErrorBanner';
import { SelectField, TextField } from '../../components/FormFields';
import { Segmented, type Segment } from '../../components/Segmented';
import { formatCount } from '../../lib/format';
import { showControlChars } from '../../lib/llmFormat';
import { selectAcknowledged, useContentWarningStore } from '../../stores/contentWarning';
import { ContentWarningBanner, HiddenText } from '../datasets/ContentWarning';
import { pageCount, pageLabel } from '../runs/runProgress';
import { EVAL_ITEMS_PAGE_SIZE, selectItems, useEvaluateStore, type ItemsFilter } from './evaluate';
import { formatScore, itemChoices } from './items';

const FILTERS: Segment<ItemsFilter>[] = [
  { value: 'all', label: 'All', help: 'every item' },
  { value: 'positive', label: 'Flagged', help: 'some scorer’s verdict is positive' },
  { value: 'flips', label: 'Verdict flips', help: 'counterfactual variants of one original get different verdicts' },
  { value: 'disagreement', label: 'Scorers disagree', help: 'the scorers’ verdicts differ on this text' },
];

export function ItemBrowser({ evaluation }: { evaluation: EvaluationSummary }) {
  const page = useEvaluateStore(selectItems);
  const acknowledged = useContentWarningStore(selectAcknowledged);
  const current = page?.evaluationId === evaluation.id ? page : null;
  const [group, setGroup] = useState(current?.query.group ?? '');
  const { generators, testsets } = itemChoices(evaluation);

  useEffect(() => {
    if (!current) void useEvaluateStore.getState().loadItems({});
  }, [current]);

  const query = current?.query;
  const pages = pageCount(current?.total ?? 0, EVAL_ITEMS_PAGE_SIZE);
  const load = (patch: Parameters<ReturnType<typeof useEvaluateStore.getState>['loadItems']>[0]) =>
    void useEvaluateStore.getState().loadItems(patch);
  const filter = (key: 'generator' | 'testset', label: string, anyOption: string, options: string[]) => (
    <SelectField
      inline
      label={label}
      name={key}
      value={query?.[key] ?? ''}
      onChange={(v) => load({ [key]: v })}
      anyOption={anyOption}
      options={options}
    />
  );

  return (
    <section className="card run-items" aria-labelledby="eval-items-title">
      <h3 id="eval-items-title">Items</h3>
      <ContentWarningBanner />
      <div className="row gap wrap eval-item-filters">
        {filter('generator', 'Row', 'all rows', generators)}
        {filter('testset', 'Test set', 'all test sets', testsets)}
        <TextField
          inline
          label="Group"
          name="group"
          type="search"
          placeholder="e.g. women, race"
          title="Press Enter to filter by this group"
          value={group}
          onChange={setGroup}
          onKeyDown={(e) => {
            if (e.key === 'Enter') load({ group: group.trim() });
          }}
          onBlur={() => group.trim() !== (query?.group ?? '') && load({ group: group.trim() })}
        />
        <Segmented
          label="Show items"
          segments={FILTERS}
          value={query?.filter}
          onChange={(filter) => load({ filter })}
        />
      </div>
      {current?.error && <ErrorBanner message={current.error} onRetry={() => load({})} />}
      <div className="row gap">
        <span className="muted small" data-testid="eval-items-count">
          {current ? pageLabel(current.query.page, EVAL_ITEMS_PAGE_SIZE, current.total) : 'Loading…'}
          {current?.loading ? ' · loading…' : ''}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="btn small"
          disabled={!current || current.query.page === 0}
          onClick={() => load({ page: (current?.query.page ?? 0) - 1 })}
        >
          ← Previous
        </button>
        <button
          type="button"
          className="btn small"
          disabled={!current || current.query.page >= pages - 1}
          onClick={() => load({ page: (current?.query.page ?? 0) + 1 })}
        >
          Next →
        </button>
      </div>
      <div className="table-scroll">
        <ItemsTable items={current?.items ?? []} acknowledged={acknowledged} />
        {current && !current.loading && current.items.length === 0 && (
          <p className="muted pad">No items match: {formatCount(current.total)} found.</p>
        )}
      </div>
    </section>
  );
}

/** The items as rows (pure): texts only when `acknowledged`, and always as text. */
export function ItemsTable({ items, acknowledged }: { items: EvalItem[]; acknowledged: boolean }) {
  return (
    <table className="data-table eval-items">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Row</th>
          <th scope="col">Group</th>
          <th scope="col">Input</th>
          <th scope="col">Output</th>
          <th scope="col">Scores</th>
          <th scope="col">Flags</th>
        </tr>
      </thead>
      <tbody>
        {items.map((it) => (
          <tr key={`${it.generator}|${it.testset}|${it.index}`} data-testid="eval-item">
            <td className="num">{it.index + 1}</td>
            <td>
              {it.generator}
              <div className="muted small">{it.testset}</div>
            </td>
            <td>
              {it.group ?? '–'}
              {it.subgroup ? <div className="muted small">{it.subgroup}</div> : null}
            </td>
            <td className="eval-text">{acknowledged ? showControlChars(it.input) : <HiddenText long />}</td>
            <td className="eval-text">
              {it.error ? (
                <span className="bad small">{it.error}</span>
              ) : it.output === null ? (
                <span className="muted small">not generated yet</span>
              ) : acknowledged ? (
                showControlChars(it.output)
              ) : (
                <HiddenText long />
              )}
            </td>
            <td>
              <ul className="eval-scores">
                {it.scores.map((s) => (
                  <li key={s.scorer} title={s.error ?? s.label ?? undefined}>
                    <span className="mono small">{s.scorer}</span>{' '}
                    <span className={s.verdict ? 'pill strong' : 'pill'}>{formatScore(s)}</span>
                  </li>
                ))}
              </ul>
            </td>
            <td>
              {it.flip && <span className="pill odd">flip</span>}{' '}
              {it.disagreement && <span className="pill mild">disagree</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
