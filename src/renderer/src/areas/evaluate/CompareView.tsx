// Compare: a leaderboard of % positive per generator × test set × scorer across every stored
// evaluation, with each row's change against a chosen baseline generator (matched by test set
// and scorer) and its bootstrap CI; sortable, filterable, and exported as CSV with the filters on.
import { useEffect, useMemo, useState } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { SelectField, TextField } from '../../components/FormFields';
import { formatCount, formatNumber } from '../../lib/format';
import { selectCompare, selectEvaluations, useEvaluateStore } from './evaluate';
import { downloadText } from './download';
import { itemChoices } from './items';
import {
  baselineChoices,
  changeIsClear,
  DEFAULT_LEADERBOARD_VIEW,
  distinct,
  formatChange,
  leaderboardCsv,
  leaderboardRows,
  toggleSort,
  type LeaderboardView,
  type SortKey,
} from './leaderboard';

const COLUMNS: { key: SortKey; label: string; num?: boolean }[] = [
  { key: 'evaluation', label: 'Evaluation' },
  { key: 'generator', label: 'Generator' },
  { key: 'testset', label: 'Test set' },
  { key: 'scorer', label: 'Scorer' },
  { key: 'value', label: '% positive ↓', num: true },
  { key: 'n', label: 'n', num: true },
  { key: 'change', label: 'Change vs baseline (95% CI)', num: true },
];

export function CompareView() {
  const evaluations = useEvaluateStore(selectEvaluations);
  const compare = useEvaluateStore(selectCompare);
  const [view, setView] = useState<LeaderboardView>(DEFAULT_LEADERBOARD_VIEW);
  const baselines = useMemo(
    () => baselineChoices(evaluations.flatMap((e) => itemChoices(e).generators)),
    [evaluations],
  );
  const baseline = compare?.baseline ?? '';

  // On opening (and when the first evaluation arrives): the leaderboard as stored now, for the
  // baseline chosen before or the first one offered.
  const first = baselines[0];
  useEffect(() => {
    const chosen = useEvaluateStore.getState().compare?.baseline;
    const pick = chosen && baselines.includes(chosen) ? chosen : first;
    if (pick !== undefined) void useEvaluateStore.getState().loadCompare(pick);
  }, [first]);

  const all = compare?.rows ?? [];
  const rows = leaderboardRows(all, view);
  const set = (patch: Partial<LeaderboardView>) => setView((v) => ({ ...v, ...patch }));
  const filter = (key: 'testset' | 'scorer', label: string) => (
    <SelectField
      inline
      label={label}
      name={key}
      value={view[key]}
      onChange={(v) => set({ [key]: v })}
      anyOption="all"
      options={distinct(all, key)}
    />
  );

  if (evaluations.length === 0)
    return (
      <div className="empty-state">
        <h2>Nothing to compare yet</h2>
        <p>The leaderboard lists every generator of every evaluation; run an evaluation first.</p>
        <button type="button" className="btn primary" onClick={() => useEvaluateStore.getState().setMode('new')}>
          New evaluation…
        </button>
      </div>
    );

  return (
    <div className="model-details">
      <div className="dataset-header">
        <div className="dataset-title">
          <h1>Compare</h1>
          <p className="muted">
            % of items a scorer flags, for every generator of every evaluation; the change is against the baseline on
            the same test set and scorer, with a seeded bootstrap 95% CI (bold when the CI excludes 0).
          </p>
        </div>
        <div className="dataset-actions">
          <button
            type="button"
            className="btn"
            disabled={rows.length === 0}
            onClick={() =>
              downloadText(leaderboardCsv(rows, view, baseline), `leaderboard-vs-${safeName(baseline)}.csv`, 'text/csv')
            }
          >
            Export CSV ({formatCount(rows.length)} rows)
          </button>
        </div>
      </div>
      <div className="lab-scroll">
        <section className="card" aria-label="Leaderboard filters">
          <div className="row gap wrap">
            <SelectField
              inline
              label="Baseline"
              name="baseline"
              value={baseline}
              onChange={(b) => void useEvaluateStore.getState().loadCompare(b)}
              options={baselines}
            />
            {filter('testset', 'Test set')}
            {filter('scorer', 'Scorer')}
            <TextField
              inline
              label="Find"
              name="find"
              type="search"
              placeholder="evaluation, generator…"
              value={view.text}
              onChange={(text) => set({ text })}
            />
          </div>
        </section>
        {compare?.error && (
          <ErrorBanner message={compare.error} onRetry={() => void useEvaluateStore.getState().loadCompare(baseline)} />
        )}
        {compare?.loading && <p className="muted pad">Computing the leaderboard…</p>}
        <section className="card">
          <div className="table-scroll">
            <table className="data-table leaderboard" aria-label="Leaderboard">
              <thead>
                <tr>
                  {COLUMNS.map((c) => (
                    <th
                      key={c.key}
                      scope="col"
                      className={c.num ? 'num' : undefined}
                      aria-sort={view.sort === c.key ? (view.descending ? 'descending' : 'ascending') : 'none'}
                    >
                      <button
                        type="button"
                        className="sort-button"
                        onClick={() => setView((v) => toggleSort(v, c.key))}
                      >
                        {c.label}
                        {view.sort === c.key ? (view.descending ? ' ▾' : ' ▴') : ''}
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr
                    key={`${r.evaluationId}|${r.generator}|${r.testset}|${r.scorer}`}
                    className={r.isBaseline ? 'baseline-row' : undefined}
                    data-testid="leaderboard-row"
                  >
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => useEvaluateStore.getState().select(r.evaluationId)}
                      >
                        #{r.evaluationId} {r.evaluation}
                      </button>
                    </td>
                    <td>{r.generator}</td>
                    <td>{r.testset}</td>
                    <td className="mono small">{r.scorer}</td>
                    <td
                      className="num"
                      title={[
                        `n ${r.n}`,
                        r.provenance.runIds.length ? `runs ${r.provenance.runIds.map((i) => `#${i}`).join(', ')}` : '',
                        r.provenance.modelSha256 ? `model ${r.provenance.modelSha256}` : '',
                        r.provenance.scorer ? `scorer ${r.provenance.scorer.id} v${r.provenance.scorer.version}` : '',
                      ]
                        .filter(Boolean)
                        .join('\n')}
                    >
                      {formatNumber(r.value, 1)}
                    </td>
                    <td className="num">{formatCount(r.n)}</td>
                    <td className={changeIsClear(r) ? 'num best' : 'num'}>{formatChange(r)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {compare && !compare.loading && rows.length === 0 && (
              <p className="muted pad">
                {all.length === 0 ? 'No rows: no evaluation has scored items yet.' : 'No rows match the filters.'}
              </p>
            )}
          </div>
        </section>
      </div>
    </div>
  );
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'baseline';
}
