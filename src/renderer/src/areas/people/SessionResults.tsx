// A session's results: mean S and L per model with bootstrap intervals, Krippendorff's alpha per
// criterion with its band, pairs' win/tie/loss and Bradley–Terry ranking, the most disputed items
// (prompt as plain text, behind the content warning) and the paper's Figure 4 from these numbers.
import { humaneval, type HumanEvalResults, type HumanEvalSession } from '../../../../shared/contracts/humaneval';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount, formatNumber } from '../../lib/format';
import { selectAcknowledged, useContentWarningStore } from '../../stores/contentWarning';
import { useAreaStore } from '../../stores/area';
import { ContentWarningBanner, HiddenText } from '../datasets/ContentWarning';
import { useFiguresStore } from '../figures/figures';
import { callContract } from './lab';
import { agreementText, ALPHA_BAND_WORDS, confidenceLabel, excerpt, meanWithCi, percent } from './results';
import { BandPill, CopyButton } from './ui';
import { useRemote } from './useRemote';

/** The Figures area's spec for Figure 4 (kind `human`) drawn from this session, so it redraws as scores come in. */
export function figureSpec(results: HumanEvalResults) {
  return {
    kind: 'human' as const,
    source: { kind: 'humaneval' as const, session: results.session.id },
    width: 'double' as const,
  };
}

export function SessionResults({ session, version }: { session: HumanEvalSession; version: number }) {
  const results = useRemote(`results:${session.id}`, version, () =>
    callContract(humaneval.results, { id: session.id }),
  );
  return (
    <section aria-label="Results" className="stack" data-testid="session-results">
      <ErrorBanner message={results.error} onRetry={results.reload} />
      {!results.data && results.loading && <p className="muted">Computing results (bootstrap intervals)…</p>}
      {results.data && <ResultsBody results={results.data} refreshing={results.loading} />}
    </section>
  );
}

export function ResultsBody({ results, refreshing = false }: { results: HumanEvalResults; refreshing?: boolean }) {
  const { progress, bootstrap } = results;
  const conf = confidenceLabel(bootstrap.confidence);
  const openFigure = () => {
    useFiguresStore.getState().loadSpec(JSON.stringify(figureSpec(results)));
    useAreaStore.getState().go('figures');
  };
  return (
    <>
      <p className="small muted" role="status">
        {formatCount(progress.answered)} of {formatCount(progress.expected)} scores entered ·{' '}
        {formatCount(progress.skipped)} skipped · {formatCount(progress.flagged)} flagged · {conf} intervals from{' '}
        {formatCount(bootstrap.resamples)} bootstrap resamples (seed {bootstrap.seed}){refreshing ? ' · updating…' : ''}
      </p>

      <section className="card" aria-labelledby="results-models">
        <div className="row gap">
          <h3 id="results-models">Scores per model</h3>
          <span className="spacer" />
          <button
            type="button"
            className="btn small"
            onClick={openFigure}
            disabled={results.figure.models.length === 0}
          >
            Figure 4
          </button>
          <CopyButton text={JSON.stringify(results.figure)} label="Copy figure input" />
        </div>
        <table className="data-table people-table" data-testid="results-models">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Safety S (mean [{conf} CI])</th>
              <th scope="col">Language L (mean [{conf} CI])</th>
              <th scope="col" className="num">
                n (items)
              </th>
              <th scope="col" className="num">
                Ratings
              </th>
            </tr>
          </thead>
          <tbody>
            {results.models.map((m) => (
              <tr key={m.slot}>
                <th scope="row">{m.label}</th>
                <td>{meanWithCi(m.s)}</td>
                <td>{meanWithCi(m.l)}</td>
                <td className="num">{formatCount(m.n)}</td>
                <td className="num">{formatCount(m.ratings)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="small muted">Scale 1–5: higher S is safer, higher L reads better.</p>
      </section>

      <section className="card" aria-labelledby="results-alpha">
        <h3 id="results-alpha">Agreement between evaluators (Krippendorff’s α, ordinal)</h3>
        <dl className="kv people-kv">
          {(['s', 'l'] as const).map((c) => {
            const r = results.alpha[c];
            return (
              <div key={c}>
                <dt>{c === 's' ? 'Safety (S)' : 'Language understanding (L)'}</dt>
                <dd>
                  {agreementText(r.alpha, r.band ? ALPHA_BAND_WORDS[r.band] : null, r.units, 'item')}{' '}
                  {r.band && <BandPill band={r.band} />}
                </dd>
              </div>
            );
          })}
        </dl>
        <p className="small muted">α ≥ 0.800: reliable; 0.667–0.800: tentative conclusions only; below: unreliable.</p>
      </section>

      {results.pairs && <PairsSection pairs={results.pairs} conf={conf} />}

      <DisputedItems items={results.disagreements} />
    </>
  );
}

function PairsSection({ pairs, conf }: { pairs: NonNullable<HumanEvalResults['pairs']>; conf: string }) {
  return (
    <section className="card" aria-labelledby="results-pairs">
      <h3 id="results-pairs">A/B preferences ({formatCount(pairs.comparisons)} comparisons)</h3>
      <table className="data-table people-table" data-testid="results-pairs">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" className="num">
              Win
            </th>
            <th scope="col" className="num">
              Tie
            </th>
            <th scope="col" className="num">
              Loss
            </th>
          </tr>
        </thead>
        <tbody>
          {pairs.perModel.map((m) => (
            <tr key={m.slot}>
              <th scope="row">{m.label}</th>
              <td className="num">
                {percent(m.winRate)} <span className="muted">({m.wins})</span>
              </td>
              <td className="num">
                {percent(m.tieRate)} <span className="muted">({m.ties})</span>
              </td>
              <td className="num">
                {percent(m.lossRate)} <span className="muted">({m.losses})</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Bradley–Terry ranking</h4>
      <table className="data-table people-table" data-testid="results-bt">
        <thead>
          <tr>
            <th scope="col" className="num">
              Rank
            </th>
            <th scope="col">Model</th>
            <th scope="col" className="num">
              Strength (log)
            </th>
            <th scope="col">{conf} interval</th>
          </tr>
        </thead>
        <tbody>
          {[...pairs.bradleyTerry]
            .sort((a, b) => a.rank - b.rank)
            .map((m) => (
              <tr key={m.slot}>
                <td className="num">{m.rank}</td>
                <th scope="row">{m.label}</th>
                <td className="num">{formatNumber(m.strength, 2)}</td>
                <td>{m.ci ? `[${formatNumber(m.ci[0], 2)}, ${formatNumber(m.ci[1], 2)}]` : '–'}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <p className="small muted">A tie counts as half a win for each side; strengths are centred on 0.</p>
    </section>
  );
}

function DisputedItems({ items }: { items: HumanEvalResults['disagreements'] }) {
  const shown = useContentWarningStore(selectAcknowledged);
  return (
    <section className="card" aria-labelledby="results-disputed">
      <h3 id="results-disputed">Most disputed items</h3>
      {items.length === 0 ? (
        <p className="muted small">No item has two differing ratings yet.</p>
      ) : (
        <>
          <ContentWarningBanner />
          <DisputedTable items={items} shown={shown} />
        </>
      )}
    </section>
  );
}

/** The disputed units as rows (pure): prompts only once the warning is acknowledged, always as text. */
export function DisputedTable({ items, shown }: { items: HumanEvalResults['disagreements']; shown: boolean }) {
  return (
    <table className="data-table people-table" data-testid="results-disputed">
      <thead>
        <tr>
          <th scope="col">Prompt</th>
          <th scope="col">Model</th>
          <th scope="col">Criterion</th>
          <th scope="col">Ratings</th>
          <th scope="col" className="num">
            Range
          </th>
          <th scope="col" className="num">
            SD
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={`${i.key}:${i.model}:${i.criterion}`}>
            <td className="people-text" title={shown ? i.prompt : undefined}>
              {shown ? excerpt(i.prompt) : <HiddenText />}
            </td>
            <td>{i.model}</td>
            <td>{i.criterion === 's' ? 'S' : 'L'}</td>
            <td>{i.ratings.join(', ')}</td>
            <td className="num">{i.range}</td>
            <td className="num">{formatNumber(i.sd, 2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
