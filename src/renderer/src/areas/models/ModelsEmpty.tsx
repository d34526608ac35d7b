import { formatBytes } from '../../lib/format';
import { fitsRoughly, hardwareSummary } from '../../lib/preflight';
import { selectHardware, selectRecommended, useModelsStore } from './models';

/** No model yet: how to add one, and the known-good models srlab suggests. */
export function ModelsEmpty({ onAdd, onPull }: { onAdd: () => void; onPull: (uri: string) => void }) {
  const recommended = useModelsStore(selectRecommended);
  const hardware = useModelsStore(selectHardware);
  return (
    <div className="lab-scroll">
      <div className="empty-state wide">
        <h2>No model yet</h2>
        <p>
          srlab runs GGUF models with llama.cpp. <strong>Add</strong> a .gguf file already on this machine by its path,
          or <strong>download</strong> one from Hugging Face as <code>hf:OWNER/REPO/FILE.gguf</code> (resumable, with
          its SHA-256 checked). The CLI does the same: <code>srlab models add FILE</code>,{' '}
          <code>srlab models pull hf:…</code>.
        </p>
        <div className="row gap">
          <button type="button" className="btn primary" onClick={onAdd}>
            Add a model file…
          </button>
          <button type="button" className="btn" onClick={() => onPull('')}>
            Download from Hugging Face…
          </button>
        </div>
        {hardware && <p className="small">This machine: {hardwareSummary(hardware)}</p>}
      </div>
      {recommended.length > 0 && (
        <section className="card recommended-card" aria-labelledby="recommended-title">
          <h3 id="recommended-title">Recommended models</h3>
          <table className="data-table">
            <thead>
              <tr>
                <th>Model</th>
                <th>What for</th>
                <th className="num">Download</th>
                <th className="num">Memory</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {recommended.map((r) => {
                const fits = fitsRoughly(r.approxMemoryBytes, hardware);
                return (
                  <tr key={r.uri}>
                    <th scope="row">
                      {r.name}
                      <div className="muted small mono">{r.uri}</div>
                    </th>
                    <td>{r.description}</td>
                    <td className="num">{formatBytes(r.approxSizeBytes)}</td>
                    <td className="num">
                      ~{formatBytes(r.approxMemoryBytes)}
                      {fits === false && <div className="warn-text small">more than is free</div>}
                    </td>
                    <td>
                      <button type="button" className="btn small" onClick={() => onPull(r.uri)}>
                        Download…
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
