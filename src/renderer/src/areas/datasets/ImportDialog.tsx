// Import: choose or drop a file, name the dataset, pick the format (and a column mapping for
// generic CSV/JSON lines), then follow the upload and the import job to its report.
import { useEffect, useRef, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { JobProgressView, ProgressBar } from '../../components/ProgressBar';
import { formatBytes } from '../../lib/format';
import {
  datasetNameFromFile,
  EMPTY_MAPPING,
  FORMAT_HINTS,
  IMPORT_FORMAT_OPTIONS,
  importFormProblems,
  MAPPING_FIELDS,
  needsMapping,
  sourceColumns,
  type ImportForm,
  type MappingField,
} from './importForm';
import { api } from '../../api';
import { useImportFlowStore } from './importFlow';
import { isFinal, useJobsStore } from '../../stores/jobs';
import { selectCloseDialog, useUiStore } from '../../stores/ui';
import { ImportReport } from './ImportReport';

export function ImportDialog() {
  const phase = useImportFlowStore((s) => s.phase);
  const jobId = useImportFlowStore((s) => s.jobId);
  const job = useJobsStore((s) => (jobId === null ? undefined : s.byId[jobId]));
  const closeDialog = useUiStore(selectCloseDialog);
  const finished = job !== undefined && isFinal(job);

  // A finished import is forgotten on close; a running one keeps going (the header shows it).
  const close = () => {
    if (finished) useImportFlowStore.getState().reset();
    closeDialog();
  };

  return (
    <Dialog title="Import a dataset" onClose={close} wide>
      {phase === 'form' && <ImportFormView />}
      {phase === 'uploading' && <UploadProgress />}
      {phase === 'starting' && <p className="muted">Starting the import…</p>}
      {phase === 'job' && job && !finished && <RunningJob jobId={job.id} />}
      {phase === 'job' && job && finished && <ImportReport job={job} onClose={close} />}
    </Dialog>
  );
}

function ImportFormView() {
  const error = useImportFlowStore((s) => s.error);
  const issues = useImportFlowStore((s) => s.issues);
  const draft = useImportFlowStore((s) => s.draft);
  const [file, setFile] = useState<File | null>(draft?.file ?? null);
  const [form, setForm] = useState<ImportForm>(
    draft?.form ?? { dataset: '', format: 'auto', strict: false, mapping: EMPTY_MAPPING },
  );
  const [nameEdited, setNameEdited] = useState(draft !== null);
  const columns = useSourceColumns(file, form.format);
  const [tried, setTried] = useState(false);
  const problems = importFormProblems(form, file !== null);

  const chooseFile = (f: File | undefined) => {
    if (!f) return;
    setFile(f);
    if (!nameEdited) setForm((s) => ({ ...s, dataset: datasetNameFromFile(f.name) }));
  };
  const setMapping = (field: MappingField, value: string) =>
    setForm((s) => ({ ...s, mapping: { ...s.mapping, [field]: value } }));

  const submit = () => {
    setTried(true);
    if (problems.length === 0 && file) void useImportFlowStore.getState().start(file, form);
  };

  return (
    <form
      className="import-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <DropZone file={file} onFile={chooseFile} />
      <div className="form-grid">
        <label className="field">
          <span>Dataset name</span>
          <input
            className="input"
            name="dataset"
            value={form.dataset}
            maxLength={120}
            onChange={(e) => {
              setNameEdited(true);
              setForm((s) => ({ ...s, dataset: e.target.value }));
            }}
          />
        </label>
        <label className="field">
          <span>Format</span>
          <select
            className="input"
            name="format"
            value={form.format}
            onChange={(e) => setForm((s) => ({ ...s, format: e.target.value as ImportForm['format'] }))}
          >
            {IMPORT_FORMAT_OPTIONS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
          <small className="muted">{FORMAT_HINTS[form.format]}</small>
        </label>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={form.strict}
          onChange={(e) => setForm((s) => ({ ...s, strict: e.target.checked }))}
        />
        Strict: import nothing if any row fails validation (otherwise bad rows go to a rejects file)
      </label>
      {needsMapping(form.format) && (
        <fieldset className="mapping">
          <legend>Column mapping: which column of the file holds each field</legend>
          <div className="mapping-grid">
            {MAPPING_FIELDS.map((f) => (
              <label key={f} className="field">
                <span>
                  {f}
                  {f === 'text' && <span className="required"> (required)</span>}
                </span>
                <input
                  className="input"
                  list="source-columns"
                  value={form.mapping[f]}
                  onChange={(e) => setMapping(f, e.target.value)}
                />
              </label>
            ))}
          </div>
          <datalist id="source-columns">
            {columns.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          {columns.length > 0 && <small className="muted">Columns in this file: {columns.join(', ')}</small>}
        </fieldset>
      )}
      {tried && problems.length > 0 && (
        <ul className="problems" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <ErrorBanner message={error} issues={issues} />
      <div className="dialog-actions">
        <button type="button" className="btn ghost" onClick={useUiStore.getState().closeDialog}>
          Cancel
        </button>
        <button type="submit" className="btn primary">
          Import
        </button>
      </div>
    </form>
  );
}

function DropZone({ file, onFile }: { file: File | null; onFile: (f: File | undefined) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  return (
    <div
      className={over ? 'dropzone over' : 'dropzone'}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        onFile(e.dataTransfer.files[0]);
      }}
    >
      <input
        ref={input}
        id="import-file"
        type="file"
        className="visually-hidden"
        accept=".csv,.tsv,.json,.jsonl,.ndjson,.txt"
        onChange={(e) => onFile(e.target.files?.[0])}
      />
      {file ? (
        <p>
          <strong>{file.name}</strong> <span className="muted">· {formatBytes(file.size)}</span>
        </p>
      ) : (
        <p>Drop a CSV, JSON or JSON lines file here</p>
      )}
      <button type="button" className="btn small" onClick={() => input.current?.click()}>
        {file ? 'Choose another file…' : 'Choose a file…'}
      </button>
    </div>
  );
}

function UploadProgress() {
  const upload = useImportFlowStore((s) => s.upload);
  return (
    <div className="stack">
      <p>{api.face === 'browser' ? 'Uploading the file to the srlab server…' : 'Handing the file to srlab…'}</p>
      {upload && (
        <>
          <ProgressBar done={upload.sent} total={upload.total} label="Upload" />
          <p className="muted small">
            {formatBytes(upload.sent)} of {formatBytes(upload.total)}
          </p>
        </>
      )}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={() => void useImportFlowStore.getState().cancel()}>
          Cancel upload
        </button>
      </div>
    </div>
  );
}

function RunningJob({ jobId }: { jobId: number }) {
  const job = useJobsStore((s) => s.byId[jobId]);
  const error = useImportFlowStore((s) => s.error);
  const [cancelling, setCancelling] = useState(false);
  if (!job) return null;
  return (
    <div className="stack">
      <p>
        {job.title} <span className="muted">· {job.state}</span>
      </p>
      <JobProgressView progress={job.progress} label="Import progress" />
      <ErrorBanner message={error} />
      <div className="dialog-actions">
        <span className="muted small">You can close this dialog; the import continues and shows in the header.</span>
        <button
          type="button"
          className="btn"
          disabled={cancelling}
          onClick={() => {
            setCancelling(true);
            void useImportFlowStore.getState().cancel();
          }}
        >
          {cancelling ? 'Cancelling…' : 'Cancel import'}
        </button>
      </div>
    </div>
  );
}

/** Column names from the first 64 KB of the chosen file, for the mapping fields' suggestions. */
function useSourceColumns(file: File | null, format: ImportForm['format']): string[] {
  const [columns, setColumns] = useState<string[]>([]);
  useEffect(() => {
    if (!file || (format !== 'csv' && format !== 'jsonl')) return setColumns([]);
    let live = true;
    file
      .slice(0, 64 * 1024)
      .text()
      .then((head) => live && setColumns(sourceColumns(format, head)))
      .catch(() => live && setColumns([]));
    return () => {
      live = false;
    };
  }, [file, format]);
  return columns;
}
