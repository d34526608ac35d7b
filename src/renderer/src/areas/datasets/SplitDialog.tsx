import { useState } from 'react';
import type { Output } from '../../../../shared/api';
import { api, ApiCallError, errorIssues, errorMessage } from '../../api';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount } from '../../lib/format';
import { useDatasetsStore } from '../../stores/datasets';
import { useRecordsStore } from '../../stores/records';
import { selectCloseDialog, useUiStore } from '../../stores/ui';
import { DatasetJobProgress } from './DatasetJobProgress';

type SplitResult = Output<'datasets.split'>;
const SPLIT_NAMES = ['train', 'dev', 'test'] as const;

/** Seeded split, stratified by annotation: the same seed and data give the same split everywhere. */
export function SplitDialog({ dataset }: { dataset: string }) {
  const close = useUiStore(selectCloseDialog);
  const [seed, setSeed] = useState('42');
  const [ratios, setRatios] = useState<[string, string, string]>(['70', '10', '20']);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<{ message: string; issues: { path: string; message: string }[] } | null>(null);
  const [result, setResult] = useState<SplitResult | null>(null);

  const numbers = ratios.map(Number) as [number, number, number];
  const seedNumber = Number(seed);
  const invalid =
    !Number.isInteger(seedNumber) || numbers.some((n) => !Number.isFinite(n) || n < 0) || numbers.every((n) => n === 0);

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      setResult(await api.call('datasets.split', { dataset, seed: seedNumber, ratios: numbers }));
      void useDatasetsStore.getState().load();
      useRecordsStore.getState().refresh();
    } catch (err) {
      const cancelled = err instanceof ApiCallError && err.kind === 'cancelled';
      setError({
        message: cancelled ? 'Split cancelled; the records keep their previous split.' : errorMessage(err),
        issues: errorIssues(err),
      });
    } finally {
      setRunning(false);
    }
  };

  return (
    <Dialog title={`Split “${dataset}”`} onClose={close}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (!invalid) void run();
        }}
      >
        <p className="muted small">
          Stratified by annotation (gold where present, else the paper’s rule). Splitting again replaces the current
          split.
        </p>
        <div className="form-grid four">
          <label className="field">
            <span>Seed</span>
            <input className="input" inputMode="numeric" value={seed} onChange={(e) => setSeed(e.target.value)} />
          </label>
          {SPLIT_NAMES.map((name, i) => (
            <label key={name} className="field">
              <span>{name} %</span>
              <input
                className="input"
                inputMode="decimal"
                value={ratios[i]}
                onChange={(e) =>
                  setRatios((r) => r.map((v, j) => (j === i ? e.target.value : v)) as [string, string, string])
                }
              />
            </label>
          ))}
        </div>
        {invalid && (
          <p className="warn-text small">The seed is a whole number; ratios are non-negative and not all 0.</p>
        )}
        {running && (
          <DatasetJobProgress kind="split" dataset={dataset} label="Split progress" cancelLabel="Cancel split" />
        )}
        <ErrorBanner message={error?.message ?? null} issues={error?.issues} />
        {result && <SplitCounts result={result} />}
        <div className="dialog-actions">
          <button type="button" className="btn ghost" onClick={close}>
            {result ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className="btn primary" disabled={invalid || running}>
            {running ? 'Splitting…' : result ? 'Split again' : 'Split'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function SplitCounts({ result }: { result: SplitResult }) {
  const strata = Object.entries(result.byStratum);
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption>
          Seed {result.seed}, ratios {result.ratios.join(' / ')}
        </caption>
        <thead>
          <tr>
            <th scope="col">Stratum</th>
            {SPLIT_NAMES.map((s) => (
              <th key={s} scope="col" className="num">
                {s}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {strata.map(([stratum, c]) => (
            <tr key={stratum}>
              <th scope="row">{stratum}</th>
              {SPLIT_NAMES.map((s) => (
                <td key={s} className="num">
                  {formatCount(c[s])}
                </td>
              ))}
            </tr>
          ))}
          <tr className="total">
            <th scope="row">All</th>
            {SPLIT_NAMES.map((s) => (
              <td key={s} className="num">
                {formatCount(result.counts[s])}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
