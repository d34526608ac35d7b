// What Start would do, from `evaluation.plan`: per generation the run it reuses or resumes and
// the items left; per scorer and row the scores cached and left; the likelihood tests; rough time.
import type { EvaluationPlan } from '../../../../shared/contracts/evaluation';
import { formatCount } from '../../lib/format';
import { generationStatus, planHeadline } from './planView';

export function PlanView({ plan, stale }: { plan: EvaluationPlan; stale: boolean }) {
  return (
    <div className={stale ? 'stack plan stale' : 'stack plan'} aria-busy={stale}>
      <p data-testid="plan-headline">
        <strong>{planHeadline(plan)}</strong>
      </p>
      <div className="table-scroll">
        <table className="data-table" aria-label="Test sets">
          <thead>
            <tr>
              <th scope="col">Test set</th>
              <th scope="col">Kind</th>
              <th scope="col" className="num">
                Items
              </th>
            </tr>
          </thead>
          <tbody>
            {plan.testsets.map((t) => (
              <tr key={t.key}>
                <td>{t.label}</td>
                <td>{t.kind}</td>
                <td className="num">{formatCount(t.items)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {plan.generation.length > 0 && (
        <div className="table-scroll">
          <table className="data-table" aria-label="Generation">
            <thead>
              <tr>
                <th scope="col">Generator</th>
                <th scope="col">Test set</th>
                <th scope="col">Run</th>
                <th scope="col" className="num">
                  Cached
                </th>
                <th scope="col" className="num">
                  To generate
                </th>
              </tr>
            </thead>
            <tbody>
              {plan.generation.map((g) => (
                <tr key={`${g.generator}|${g.testset}`} data-testid="plan-generation">
                  <td>{g.generator}</td>
                  <td>{g.testset}</td>
                  <td>{generationStatus(g)}</td>
                  <td className="num">{formatCount(g.cachedItems)}</td>
                  <td className="num">{formatCount(g.toGenerate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {plan.scoring.length > 0 && (
        <div className="table-scroll">
          <table className="data-table" aria-label="Scoring">
            <thead>
              <tr>
                <th scope="col">Scorer</th>
                <th scope="col">Row</th>
                <th scope="col">Test set</th>
                <th scope="col" className="num">
                  Cached
                </th>
                <th scope="col" className="num">
                  To score
                </th>
              </tr>
            </thead>
            <tbody>
              {plan.scoring.map((s) => (
                <tr key={`${s.scorer}|${s.generator}|${s.testset}`} data-testid="plan-scoring">
                  <td className="mono small">{s.scorer}</td>
                  <td>{s.generator}</td>
                  <td>{s.testset}</td>
                  <td className="num">{formatCount(s.cached)}</td>
                  <td className="num">{formatCount(s.toScore)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {plan.likelihood.length > 0 && (
        <ul className="small">
          {plan.likelihood.map((l) => (
            <li key={`${l.generator}|${l.testset}|${l.kind}`}>
              {l.kind} on {l.testset} for {l.generator}: {l.cached ? 'reuses a stored result' : 'to run'}
            </li>
          ))}
        </ul>
      )}
      {plan.scorers.length > 0 && (
        <ul className="small muted">
          {plan.scorers.map((s) => (
            <li key={s.id}>
              <span className="mono">{s.id}</span> v{s.version}: {s.description} (verdict: {s.measure} score &gt;{' '}
              {s.threshold})
            </li>
          ))}
        </ul>
      )}
      {plan.notes.length > 0 && (
        <ul className="small warn-text" data-testid="plan-notes">
          {plan.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
