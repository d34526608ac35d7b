import { useState } from 'react';
import type { Output } from '../../../../shared/api';
import type { DatasetField } from '../../../../shared/contracts/datasets';
import { formatSignificant } from '../../../../shared/format';
import { api, ApiCallError, errorIssues, errorMessage } from '../../api';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount } from '../../lib/format';
import { useDatasetsStore } from './datasets';
import { useRecordsStore } from './records';
import { selectDefaultStratifyBy, selectFields, useTargetsStore } from './targets';
import { selectCloseDialog, useUiStore } from '../../stores/ui';
import { DatasetJobProgress } from './DatasetJobProgress';

type SplitResult = Output<'datasets.split'>;
const SPLIT_NAMES = ['train', 'dev', 'test'] as const;

/** Choosing this sends no field: the server's default (annotation, else the authors' label). */
const DEFAULT_CHOICE = '';

/**
 * Seeded split, stratified by a chosen field (by default the annotation where records have one,
 * else the authors' `label` column): the same seed, data and field give the same split everywhere.
 */
export function SplitDialog({ dataset }: { dataset: string }) {
  const close = useUiStore(selectCloseDialog);
  const fields = useTargetsStore(selectFields);
  const defaultKey = useTargetsStore(selectDefaultStratifyBy);
  const [stratifyBy, setStratifyBy] = useState(DEFAULT_CHOICE);
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
      setResult(
        await api.call('datasets.split', {
          dataset,
          seed: seedNumber,
          ratios: numbers,
          ...(stratifyBy !== DEFAULT_CHOICE ? { stratifyBy } : {}),
        }),
      );
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
        <label className="field">
          <span>Stratify by</span>
          <select
            className="input"
            name="stratifyBy"
            value={stratifyBy}
            onChange={(e) => setStratifyBy(e.target.value)}
          >
            <option value={DEFAULT_CHOICE}>
              Default{defaultKey ? `: ${fieldName(fields, defaultKey)}` : ' (annotation, else the authors’ label)'}
            </option>
            {fields.map((f) => (
              <option key={f.key} value={f.key} disabled={f.present === 0}>
                {fieldName(fields, f.key)}
                {f.present === 0 ? ' — not in this dataset' : ''}
              </option>
            ))}
            <option value="none">Nothing (one stratum)</option>
          </select>
        </label>
        <p className="muted small">
          Each value of the field keeps the chosen ratios (records without it form a “(missing)” stratum). By default:
          the annotation (gold where present, else the paper’s rule) when records have one, else the authors’ label.
          Splitting again replaces the current split.
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

/** A field's name as the dialog shows it: a source column is marked as one. */
function fieldName(fields: DatasetField[], key: string): string {
  if (key === 'none') return 'nothing (one stratum)';
  const f = fields.find((x) => x.key === key);
  if (!f) return key;
  return f.kind === 'extra' ? `${f.label} (column of the source)` : f.label;
}

function SplitCounts({ result }: { result: SplitResult }) {
  const strata = Object.entries(result.byStratum);
  const by = result.stratifiedBy;
  return (
    <div className="table-scroll">
      <p className="split-stratified-by">
        Stratified by <strong>{by.key === 'none' ? 'nothing' : by.label}</strong>
        {by.key !== 'none' && <span className="muted"> ({by.key})</span>}
        {by.defaultReason && <span className="muted"> — {by.defaultReason}</span>}
      </p>
      <table className="data-table">
        <caption>
          Seed {result.seed}, ratios {result.ratios.map((r) => formatShare(r)).join(' / ')}
        </caption>
        <thead>
          <tr>
            <th scope="col">{by.key === 'none' ? 'Stratum' : by.label}</th>
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

/** A normalised share as a percentage with honest precision (0.7 → "70%", 1/3 → "33.33%"). */
function formatShare(share: number): string {
  return `${formatSignificant(share * 100, 4)}%`;
}
