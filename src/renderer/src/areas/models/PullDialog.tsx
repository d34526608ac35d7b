// Download a GGUF from Hugging Face as a job: progress in bytes with rate and ETA, cancel, and
// resume (pulling the same file again continues a partial download).
import { useState } from 'react';
import { api, errorIssues, errorMessage } from '../../api';
import type { ModelInfo } from '../../../../shared/contracts/llm';
import { Dialog } from '../../components/Dialog';
import { DialogForm, DialogFormButtons } from '../../components/DialogForm';
import { ErrorBanner } from '../../components/ErrorBanner';
import { JobProgressView } from '../../components/ProgressBar';
import { formatBytes } from '../../lib/format';
import { hfUriFromUrl, hfUriProblem } from './modelForms';
import { fitsRoughly } from '../../lib/preflight';
import { isFinal, useJobsStore } from '../../stores/jobs';
import { selectHardware, selectRecommended, useModelsStore } from './models';

export function PullDialog({
  initialUri,
  onClose,
  onDone,
}: {
  initialUri: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const recommended = useModelsStore(selectRecommended);
  const hardware = useModelsStore(selectHardware);
  const [uri, setUri] = useState(initialUri);
  const [name, setName] = useState('');
  const [jobId, setJobId] = useState<number | null>(null);
  const job = useJobsStore((s) => (jobId === null ? undefined : s.byId[jobId]));
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<{ path: string; message: string }[]>([]);

  const start = async () => {
    const normalized = hfUriFromUrl(uri);
    setUri(normalized);
    const problem = hfUriProblem(normalized);
    if (problem) return setError(problem);
    setStarting(true);
    setError(null);
    setIssues([]);
    try {
      const { job: started } = await api.call('models.pull', {
        uri: normalized,
        ...(name.trim() ? { name: name.trim() } : {}),
      });
      useJobsStore.getState().upsert(started);
      setJobId(started.id);
    } catch (err) {
      setError(errorMessage(err));
      setIssues(errorIssues(err));
    } finally {
      setStarting(false);
    }
  };
  const cancel = async () => {
    if (jobId === null) return;
    try {
      useJobsStore.getState().upsert((await api.call('jobs.cancel', { id: jobId })).job);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const finished = job && isFinal(job);
  const model = job?.state === 'succeeded' ? (job.result as ModelInfo | null) : null;
  const showModel = () => {
    if (model) useModelsStore.getState().select(model.name);
    onDone();
    onClose();
  };

  return (
    <Dialog
      title="Download a model from Hugging Face"
      onClose={onClose}
      wide
      footer={
        jobId === null ? (
          <DialogFormButtons
            formId="pull-form"
            onCancel={onClose}
            submitLabel="Download"
            busyLabel="Starting…"
            busy={starting}
          />
        ) : !finished ? (
          <>
            <span className="muted small">Closing keeps the download going; the Models list shows it.</span>
            <button type="button" className="btn danger" onClick={() => void cancel()}>
              Cancel download
            </button>
            <button type="button" className="btn" onClick={onClose}>
              Hide
            </button>
          </>
        ) : job?.state === 'succeeded' ? (
          <button type="button" className="btn primary" onClick={showModel}>
            Show the model
          </button>
        ) : (
          <>
            <button type="button" className="btn ghost" onClick={onClose}>
              Close
            </button>
            <button type="button" className="btn primary" onClick={() => void start()}>
              {job?.state === 'cancelled' ? 'Resume download' : 'Try again (resumes)'}
            </button>
          </>
        )
      }
    >
      {jobId === null ? (
        <DialogForm id="pull-form" onSubmit={() => void start()}>
          <label className="field">
            <span>Hugging Face file</span>
            <input
              className="input mono"
              name="uri"
              autoFocus
              placeholder="hf:OWNER/REPO/FILE.gguf"
              value={uri}
              onChange={(e) => setUri(e.target.value)}
            />
            <small className="muted">
              hf:OWNER/REPO/FILE.gguf, optionally @REVISION; a huggingface.co file link works too. Gated models need
              HF_TOKEN set where srlab runs.
            </small>
          </label>
          <label className="field">
            <span>Name (optional)</span>
            <input
              className="input"
              name="name"
              maxLength={120}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          {recommended.length > 0 && (
            <fieldset className="mapping">
              <legend>Recommended (not bundled; downloaded on request)</legend>
              <ul className="recommended">
                {recommended.map((r) => {
                  const fits = fitsRoughly(r.approxMemoryBytes, hardware);
                  return (
                    <li key={r.uri}>
                      <button type="button" className="link" onClick={() => setUri(r.uri)}>
                        {r.name}
                      </button>
                      <span className="muted small">
                        {' '}
                        {formatBytes(r.approxSizeBytes)} · needs ~{formatBytes(r.approxMemoryBytes)}
                        {fits === false ? ' · more than this machine has free' : ''}
                      </span>
                      <div className="small">{r.description}</div>
                    </li>
                  );
                })}
              </ul>
            </fieldset>
          )}
        </DialogForm>
      ) : (
        <div className="stack">
          <p>
            <code className="path">{uri}</code>
          </p>
          {job && !finished && <JobProgressView progress={job.progress} label="Download" />}
          {job?.state === 'succeeded' && (
            <div className="banner ok" role="status">
              <div className="banner-body">
                Downloaded and checked{model ? `: “${model.name}”, ${formatBytes(model.sizeBytes)}` : ''}.
              </div>
            </div>
          )}
          {job?.state === 'cancelled' && (
            <p className="muted">Cancelled. The partial file is kept: downloading again resumes it.</p>
          )}
          {job?.state === 'failed' && <ErrorBanner message={job.error ?? 'The download failed.'} />}
        </div>
      )}
      <ErrorBanner message={error} issues={issues} />
    </Dialog>
  );
}
