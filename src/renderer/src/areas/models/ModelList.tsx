import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { api, errorMessage } from '../../api';
import { ErrorBanner } from '../../components/ErrorBanner';
import { JobProgressView } from '../../components/ProgressBar';
import type { JobInfo } from '../../../../shared/contracts/jobs';
import type { ModelInfo } from '../../../../shared/contracts/llm';
import { formatBytes } from '../../lib/format';
import { formatParameters } from '../../lib/llmFormat';
import { selectEndpoints, useEndpointsStore } from './endpoints';
import { isFinal, useJobsStore } from '../../stores/jobs';
import { selectModels, selectModelsStatus, selectSelectedModelName, useModelsStore } from './models';
import type { ModelsView } from './ModelsArea';

/** Downloads running, and those that failed or were cancelled (they can be resumed). */
const selectDownloads = (s: { byId: Record<number, JobInfo> }) =>
  Object.values(s.byId).filter((j) => j.kind === 'model-download' && j.state !== 'succeeded');

export function ModelList({
  view,
  onView,
  onAdd,
  onPull,
}: {
  view: ModelsView;
  onView: (view: ModelsView) => void;
  onAdd: () => void;
  onPull: () => void;
}) {
  const models = useModelsStore(selectModels);
  const selected = useModelsStore(selectSelectedModelName);
  const { loaded, loading, error } = useModelsStore(useShallow(selectModelsStatus));
  const allDownloads = useJobsStore(useShallow(selectDownloads));
  const [dismissed, setDismissed] = useState<ReadonlySet<number>>(() => new Set());
  // A stopped download whose file has since been pulled into the library needs no attention.
  const downloads = allDownloads.filter(
    (j) =>
      !dismissed.has(j.id) &&
      (!isFinal(j) || !models.some((m) => m.source.kind === 'hf' && m.source.uri === pullParams(j)?.uri)),
  );
  const endpoints = useEndpointsStore(selectEndpoints);
  return (
    <aside className="dataset-list" aria-label="Models">
      <div className="dataset-list-header">
        <h2>Models</h2>
        <div className="row gap">
          <button type="button" className="btn small" onClick={onPull} title="Download a GGUF from Hugging Face">
            Download…
          </button>
          <button type="button" className="btn primary small" onClick={onAdd}>
            Add…
          </button>
        </div>
      </div>
      <ErrorBanner message={error} onRetry={() => void useModelsStore.getState().load()} />
      {downloads.length > 0 && (
        <ul className="download-items" aria-label="Downloads">
          {downloads.map((job) => (
            <li key={job.id}>
              <DownloadItem job={job} onDismiss={() => setDismissed((d) => new Set(d).add(job.id))} />
            </li>
          ))}
        </ul>
      )}
      {!loaded && loading && <p className="muted pad">Loading…</p>}
      {loaded && !error && models.length === 0 && (
        <p className="muted pad">No models yet. Add a GGUF file or download one.</p>
      )}
      <ul className="dataset-items">
        {models.map((m) => (
          <li key={m.id}>
            <ModelItem model={m} active={view === 'model' && m.name === selected} onPick={() => onView('model')} />
          </li>
        ))}
      </ul>
      <div className="list-section">
        <h3>Endpoints</h3>
        <button
          type="button"
          className={view === 'endpoints' ? 'dataset-item active' : 'dataset-item'}
          aria-current={view === 'endpoints' ? 'true' : undefined}
          onClick={() => onView('endpoints')}
        >
          <span className="dataset-item-name">OpenAI-compatible</span>
          <span className="dataset-item-meta">
            {endpoints.length === 0
              ? 'none yet: vLLM, llama.cpp server, Ollama, OpenAI'
              : `${endpoints.length} configured`}
          </span>
        </button>
      </div>
    </aside>
  );
}

function ModelItem({ model: m, active, onPick }: { model: ModelInfo; active: boolean; onPick: () => void }) {
  const select = useModelsStore((s) => s.select);
  return (
    <button
      type="button"
      className={active ? 'dataset-item model-item active' : 'dataset-item model-item'}
      aria-current={active ? 'true' : undefined}
      onClick={() => {
        select(m.name);
        onPick();
      }}
    >
      <span className="dataset-item-name">
        {m.name}
        {m.missing && (
          <span className="warn-text" title="The file is gone from disk">
            {' '}
            ⚠ missing
          </span>
        )}
      </span>
      <span className="dataset-item-meta">
        {m.gguf.architecture} · {formatParameters(m.gguf.parameters)} · {m.gguf.quantization ?? '?'} ·{' '}
        {formatBytes(m.sizeBytes)}
      </span>
    </button>
  );
}

/** The uri and name a download job was started with (its params), when they are readable. */
function pullParams(job: JobInfo): { uri: string; name?: string } | null {
  const p = job.params as { uri?: unknown; name?: unknown } | null;
  if (!p || typeof p.uri !== 'string') return null;
  return { uri: p.uri, ...(typeof p.name === 'string' ? { name: p.name } : {}) };
}

function DownloadItem({ job, onDismiss }: { job: JobInfo; onDismiss: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const stopped = isFinal(job);
  const params = pullParams(job);
  const cancel = async () => {
    setError(null);
    try {
      useJobsStore.getState().upsert((await api.call('jobs.cancel', { id: job.id })).job);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  // Pulling the same file again continues the partial download.
  const resume = async () => {
    if (!params) return;
    setBusy(true);
    setError(null);
    try {
      useJobsStore.getState().upsert((await api.call('models.pull', params)).job);
      onDismiss();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={stopped ? 'download-item stopped' : 'download-item'}>
      <div className="row gap">
        <span className="download-title" title={job.title}>
          {job.title.replace(/^Download /, '')}
        </span>
        {stopped ? (
          <>
            {params && (
              <button type="button" className="btn small" disabled={busy} onClick={() => void resume()}>
                Resume
              </button>
            )}
            <button type="button" className="btn ghost small" onClick={onDismiss} aria-label={`Dismiss ${job.title}`}>
              ✕
            </button>
          </>
        ) : (
          <button
            type="button"
            className="btn ghost small"
            onClick={() => void cancel()}
            aria-label={`Cancel ${job.title}`}
          >
            Cancel
          </button>
        )}
      </div>
      {stopped ? (
        <p className="small warn-text">
          {job.state === 'cancelled' ? 'Cancelled; the partial file is kept.' : (job.error ?? 'The download failed.')}
        </p>
      ) : (
        <JobProgressView progress={job.progress} label={job.title} />
      )}
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
    </div>
  );
}
