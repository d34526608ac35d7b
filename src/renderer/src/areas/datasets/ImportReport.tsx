import { useEffect } from 'react';
import type { JobInfo } from '../../../../shared/contracts/jobs';
import { ImportResult } from '../../../../shared/contracts/datasets';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount, formatNumber } from '../../lib/format';
import { api } from '../../api';
import { useImportFlowStore } from './importFlow';
import { useUiStore } from '../../stores/ui';
import { useDatasetsStore } from './datasets';

/**
 * The readable end of an import: counts, the rejects file (a download in the browser), the
 * first row errors, the values kept but flagged, and the rows skipped as duplicates.
 */
export function ImportReport({ job, onClose }: { job: JobInfo; onClose: () => void }) {
  const parsed = job.state === 'succeeded' ? ImportResult.safeParse(job.result) : null;
  const result = parsed?.success ? parsed.data : null;
  // A dataset exists afterwards unless every row was rejected (then none is created).
  const datasetExists = result !== null && (result.imported > 0 || result.duplicates > 0);
  useSelectImportedDataset(result?.dataset ?? null, datasetExists);

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
            <Count
              label="Duplicates"
              value={result.duplicates}
              hint="every kept column equal to a record already in the dataset: skipped"
            />
            <Count label="Rejected" value={result.rejected} tone={result.rejected ? 'bad' : undefined} />
            <Count
              label="Flagged"
              value={result.flaggedTotal}
              tone={result.flaggedTotal ? 'warn' : undefined}
              hint="kept as written, but outside the field’s value set or missing where the schema requires it"
            />
            <Count
              label="Disagreements"
              value={result.disagreements}
              tone={result.disagreements ? 'warn' : undefined}
              hint="gold annotation differs from the paper’s rule"
            />
          </dl>
          {result.imported === 0 && result.rejected > 0 && result.duplicates === 0 && (
            <div className="banner info">Every row was rejected: nothing was imported.</div>
          )}
          {result.rejectsFile && <RejectsNote file={result.rejectsFile} name={result.rejectsName} />}
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
          <FlaggedTable result={result} />
          <DuplicatesTable result={result} />
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
          {datasetExists ? 'Show records' : 'Close'}
        </button>
      </div>
    </div>
  );
}

/** Where the rejected rows are: a download in the browser (the server path means nothing there), the path on the desktop. */
function RejectsNote({ file, name }: { file: string; name: string | null }) {
  const url = name ? api.rejectsUrl(name) : null;
  const errorsUrl = name ? api.rejectsUrl(`${name}.errors.jsonl`) : null;
  if (url && errorsUrl) {
    return (
      <p className="small">
        Rejected rows, byte for byte:{' '}
        <a href={url} download={name ?? undefined}>
          download {name}
        </a>
        ; fix them and import that file again. All errors:{' '}
        <a href={errorsUrl} download={`${name}.errors.jsonl`}>
          download the errors file
        </a>
      </p>
    );
  }
  return (
    <p className="small">
      Rejected rows, byte for byte, are in <code className="path">{file}</code>; fix them and import that file again.
      All errors: <code className="path">{file}.errors.jsonl</code>
    </p>
  );
}

function FlaggedTable({ result }: { result: ImportResult }) {
  if (result.flagged.length === 0) return null;
  const more = result.flaggedTotal - result.flagged.length;
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption>
          Kept but flagged{more > 0 ? ` (first ${result.flagged.length}; ${formatCount(more)} more)` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Field</th>
            <th scope="col">Value</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {result.flagged.map((f, i) => (
            <tr key={`${f.line}:${f.field}:${i}`}>
              <td className="num">{f.line}</td>
              <td>
                <code>{f.field}</code>
              </td>
              <td>{f.value ?? '—'}</td>
              <td>{f.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DuplicatesTable({ result }: { result: ImportResult }) {
  if (result.duplicateRows.length === 0) return null;
  const more = result.duplicates - result.duplicateRows.length;
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption>
          Skipped duplicates{more > 0 ? ` (first ${result.duplicateRows.length}; ${formatCount(more)} more)` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Duplicates</th>
          </tr>
        </thead>
        <tbody>
          {result.duplicateRows.map((d) => (
            <tr key={d.line}>
              <td className="num">{d.line}</td>
              <td>{describeDuplicateOf(d)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function describeDuplicateOf(d: ImportResult['duplicateRows'][number]): string {
  const where = d.duplicateOf === null ? `record ${d.recordId}` : `line ${d.duplicateOf}`;
  if (d.earlierImport) return `${where} of ${d.earlierImport.file} (an earlier import)`;
  return d.duplicateOf === null ? `record ${d.recordId}, already in the dataset` : `line ${d.duplicateOf} of this file`;
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
