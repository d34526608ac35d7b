import { useEffect } from 'react';
import type { JobInfo } from '../../../../shared/contracts/jobs';
import { ImportResult } from '../../../../shared/contracts/datasets';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount, formatNumber } from '../../lib/format';
import { useImportFlowStore } from '../../stores/importFlow';
import { useUiStore } from '../../stores/ui';
import { useDatasetsStore } from '../../stores/datasets';

/** The readable end of an import: counts, the rejects file and the first row errors. */
export function ImportReport({ job, onClose }: { job: JobInfo; onClose: () => void }) {
  const parsed = job.state === 'succeeded' ? ImportResult.safeParse(job.result) : null;
  const result = parsed?.success ? parsed.data : null;
  useSelectImportedDataset(result?.dataset ?? null, result !== null);

  return (
    <div className="stack import-report">
      {job.state === 'failed' && <ErrorBanner message={job.error ?? 'The import failed.'} />}
      {job.state === 'cancelled' && (
        <div className="banner info">The import was cancelled{job.error ? ` (${job.error}).` : '.'}</div>
      )}
      {job.state === 'succeeded' && !result && (
        <ErrorBanner message="The import finished, but its report could not be read (unexpected result shape)." />
      )}
      {result && (
        <>
          <p>
            Imported <strong>{result.file}</strong> as <strong>{result.dataset}</strong> ({result.format}) in{' '}
            {formatNumber(result.durationMs / 1000)} s.
          </p>
          <dl className="report-counts">
            <Count label="Imported" value={result.imported} tone="ok" />
            <Count label="Duplicates" value={result.duplicates} hint="same text already in the dataset: skipped" />
            <Count label="Rejected" value={result.rejected} tone={result.rejected ? 'bad' : undefined} />
            <Count
              label="Disagreements"
              value={result.disagreements}
              tone={result.disagreements ? 'warn' : undefined}
              hint="gold annotation differs from the paper’s rule"
            />
          </dl>
          {result.rejectsFile && (
            <p className="small">
              Rejected rows, byte for byte, are in <code className="path">{result.rejectsFile}</code>; fix them and
              import that file again. All errors: <code className="path">{result.rejectsFile}.errors.jsonl</code>
            </p>
          )}
          {result.errors.length > 0 && (
            <div className="table-scroll">
              <table className="data-table">
                <caption>
                  Row errors
                  {result.errorsOmitted > 0
                    ? ` (first ${result.errors.length}; ${formatCount(result.errorsOmitted)} more in the errors file)`
                    : ''}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Field</th>
                    <th scope="col">Message</th>
                  </tr>
                </thead>
                <tbody>
                  {result.errors.map((e, i) => (
                    <tr key={`${e.line}:${e.field}:${i}`}>
                      <td className="num">{e.line}</td>
                      <td>
                        <code>{e.field}</code>
                      </td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <div className="dialog-actions">
        {!result && (
          <button type="button" className="btn ghost" onClick={() => useImportFlowStore.getState().reset(true)}>
            Edit and retry
          </button>
        )}
        <button type="button" className="btn ghost" onClick={() => useImportFlowStore.getState().reset()}>
          Import another file
        </button>
        <button
          type="button"
          className="btn primary"
          onClick={() => {
            onClose();
            useUiStore.getState().setTab('records');
          }}
        >
          {result ? 'Show records' : 'Close'}
        </button>
      </div>
    </div>
  );
}

function Count({
  label,
  value,
  tone,
  hint,
}: {
  label: string;
  value: number;
  tone?: 'ok' | 'warn' | 'bad';
  hint?: string;
}) {
  return (
    <div className={tone ? `count ${tone}` : 'count'} title={hint}>
      <dt>{label}</dt>
      <dd>{formatCount(value)}</dd>
    </div>
  );
}

/** When an import succeeds, show its dataset (refreshing the list first so it exists there). */
function useSelectImportedDataset(dataset: string | null, succeeded: boolean) {
  useEffect(() => {
    if (!succeeded || !dataset) return;
    void useDatasetsStore
      .getState()
      .load()
      .then(() => useDatasetsStore.getState().select(dataset));
  }, [dataset, succeeded]);
}
