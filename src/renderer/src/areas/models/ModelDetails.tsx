import type { ModelInfo } from '../../../../shared/contracts/llm';
import { formatBytes, formatCount, formatDateTime } from '../../lib/format';
import { formatParameters, modelSourceLabel } from '../../lib/llmFormat';
import { useAreaStore } from '../../stores/area';
import { usePlaygroundStore } from '../playground/playground';
import { useRunsStore } from '../runs/runs';
import { PreflightPanel } from './PreflightPanel';

export function ModelDetails({ model: m, onRemove }: { model: ModelInfo; onRemove: () => void }) {
  const g = m.gguf;
  const tryInPlayground = () => {
    usePlaygroundStore.getState().setTarget({ targetKind: 'local', model: m.name });
    useAreaStore.getState().go('playground');
  };
  const newRun = () => {
    useRunsStore.getState().openNewRun({ targetKind: 'local', model: m.name });
    useAreaStore.getState().go('runs');
  };
  return (
    <div className="model-details">
      <div className="dataset-header">
        <div className="dataset-title">
          <h1>{m.name}</h1>
          <p className="muted">
            {g.title ? `${g.title} · ` : ''}
            {g.architecture} · {formatParameters(g.parameters)} parameters · {g.quantization ?? 'unknown type'} ·{' '}
            {formatBytes(m.sizeBytes)}
          </p>
        </div>
        <div className="dataset-actions">
          <button type="button" className="btn" onClick={tryInPlayground} disabled={m.missing}>
            Try in Playground
          </button>
          <button type="button" className="btn primary" onClick={newRun} disabled={m.missing}>
            New run…
          </button>
          <button type="button" className="btn ghost danger" onClick={onRemove}>
            Remove
          </button>
        </div>
      </div>
      <div className="lab-scroll">
        {m.missing && (
          <div className="banner error" role="alert">
            <div className="banner-body">
              <strong>File missing.</strong> <code className="path">{m.path}</code> is gone since the model was added.
              Put the file back, or remove the model and add it from its new place.
            </div>
          </div>
        )}
        {!m.missing && <PreflightPanel model={m.name} />}
        <div className="card-grid">
          <section className="card" aria-labelledby="model-meta-title">
            <h3 id="model-meta-title">Model</h3>
            <table className="kv">
              <tbody>
                <Row label="Architecture" value={g.architecture} />
                <Row label="Name in file" value={g.title ?? '–'} />
                <Row label="Parameters" value={`${formatParameters(g.parameters)} (${formatCount(g.parameters)})`} />
                <Row label="Quantization" value={g.quantization ?? '–'} />
                <Row
                  label="Context length"
                  value={g.contextLength === null ? '–' : `${formatCount(g.contextLength)} tokens`}
                />
                <Row label="Layers" value={formatCount(g.layers)} />
                <Row label="Embedding" value={formatCount(g.embeddingLength)} />
                <Row label="Vocabulary" value={formatCount(g.vocabularySize)} />
                <Row label="Kind" value={g.fileKind} />
              </tbody>
            </table>
          </section>
          <section className="card" aria-labelledby="model-file-title">
            <h3 id="model-file-title">File</h3>
            <table className="kv">
              <tbody>
                <tr>
                  <th scope="row">Path</th>
                  <td>
                    <code className="path">{m.path}</code>
                  </td>
                </tr>
                <Row label="Size" value={`${formatBytes(m.sizeBytes)} (${formatCount(m.sizeBytes)} bytes)`} />
                <tr>
                  <th scope="row">SHA-256</th>
                  <td>
                    <code className="mono hash" data-testid="model-sha256">
                      {m.sha256}
                    </code>
                  </td>
                </tr>
                <Row label="Source" value={modelSourceLabel(m.source)} />
                {m.source.kind === 'hf' && (
                  <tr>
                    <th scope="row">URL</th>
                    <td>
                      <code className="path">{m.source.url}</code>
                    </td>
                  </tr>
                )}
                <Row label="Added" value={formatDateTime(m.addedAt)} />
              </tbody>
            </table>
          </section>
        </div>
        <section className="card" aria-labelledby="model-template-title">
          <h3 id="model-template-title">Chat template</h3>
          {g.chatTemplate ? (
            <details>
              <summary>
                The model’s own template (Jinja, {formatCount(g.chatTemplate.length)} characters): used when a run or
                the playground picks “the model’s own template”.
              </summary>
              <pre className="template-text">{g.chatTemplate}</pre>
            </details>
          ) : (
            <p className="muted">
              This file has no chat template: “the model’s own template” falls back to the Llama-2 chat format.
            </p>
          )}
        </section>
      </div>
    </div>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{value}</td>
    </tr>
  );
}
