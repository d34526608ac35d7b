// The preflight verdict for one model: what a load would use and whether it fits, before
// anything is loaded. The load settings can be changed and checked again.
import { useEffect, useState } from 'react';
import type { LoadOptions } from '../../../../shared/contracts/llm';
import { ErrorBanner } from '../../components/ErrorBanner';
import { hardwareSummary, preflightVerdict } from '../../lib/preflight';
import { parseIntField } from '../../lib/llmForms';
import { selectHardware, useModelsStore } from './models';

interface LoadDraft {
  contextSize: string;
  gpuLayers: string;
  threads: string;
  sequences: string;
}

const EMPTY: LoadDraft = { contextSize: '', gpuLayers: '', threads: '', sequences: '' };

export function PreflightPanel({ model }: { model: string }) {
  const entry = useModelsStore((s) => s.preflights[model]);
  const hardware = useModelsStore(selectHardware);
  const hardwareError = useModelsStore((s) => s.hardwareError);
  const [draft, setDraft] = useState<LoadDraft>(EMPTY);
  const [problems, setProblems] = useState<string[]>([]);

  useEffect(() => {
    setDraft(EMPTY);
    setProblems([]);
    if (!useModelsStore.getState().preflights[model]) void useModelsStore.getState().preflight(model);
  }, [model]);

  const check = () => {
    const found: string[] = [];
    const load: LoadOptions = {};
    const contextSize = parseIntField(draft.contextSize, 'Context size', 16, 1_048_576, found);
    const gpuLayers = parseIntField(draft.gpuLayers, 'GPU layers', 0, 10_000, found);
    const threads = parseIntField(draft.threads, 'Threads', 1, 512, found);
    const sequences = parseIntField(draft.sequences, 'Sequences', 1, 64, found);
    if (contextSize !== undefined) load.contextSize = contextSize;
    if (gpuLayers !== undefined) load.gpuLayers = gpuLayers;
    if (threads !== undefined) load.threads = threads;
    if (sequences !== undefined) load.sequences = sequences;
    setProblems(found);
    if (found.length === 0) void useModelsStore.getState().preflight(model, load);
  };

  const verdict = entry?.result ? preflightVerdict(entry.result) : null;
  return (
    <section className="card preflight" aria-labelledby="preflight-title" aria-busy={entry?.loading ?? true}>
      <div className="row gap">
        <h3 id="preflight-title">Preflight</h3>
        {entry?.loading && <span className="spinner small" aria-label="Checking" />}
      </div>
      <p className="muted small" data-testid="hardware">
        {hardware
          ? hardwareSummary(hardware)
          : hardwareError
            ? `Hardware unknown: ${hardwareError}`
            : 'Reading the hardware…'}
      </p>
      <ErrorBanner
        message={entry?.error ?? null}
        onRetry={() => void useModelsStore.getState().preflight(model, entry?.load)}
      />
      {!entry?.result && !entry?.error && <p className="muted">Working out where this model would fit…</p>}
      {verdict && (
        <div className={`verdict ${verdict.tone}`} role="status" aria-label="Preflight verdict">
          <div className="verdict-headline">
            <span className="verdict-icon" aria-hidden="true">
              {verdict.fits ? '✓' : '✕'}
            </span>
            <strong>{verdict.headline}</strong>
          </div>
          {verdict.reason && <p className="verdict-reason">{verdict.reason}</p>}
          <div className="verdict-grid">
            <dl className="verdict-settings">
              {verdict.settings.map((s) => (
                <div key={s.label}>
                  <dt>{s.label}</dt>
                  <dd>{s.value}</dd>
                </div>
              ))}
            </dl>
            <div className="memory-rows">
              {verdict.memory.map((m) => (
                <div key={m.label} className={m.over ? 'memory-row over' : 'memory-row'}>
                  <div className="memory-label">
                    <span>{m.label}</span>
                    <span className="muted">{m.text}</span>
                  </div>
                  <div
                    className="meter"
                    role="meter"
                    aria-label={`${m.label} needed of free`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={m.fraction === null ? undefined : Math.round(m.fraction * 100)}
                  >
                    <div className="meter-fill" style={{ width: `${(m.fraction ?? (m.need > 0 ? 1 : 0)) * 100}%` }} />
                  </div>
                </div>
              ))}
            </div>
          </div>
        </div>
      )}
      <form
        className="preflight-form"
        onSubmit={(e) => {
          e.preventDefault();
          check();
        }}
      >
        <LoadField
          label="Context size"
          value={draft.contextSize}
          onChange={(v) => setDraft({ ...draft, contextSize: v })}
        />
        <LoadField label="GPU layers" value={draft.gpuLayers} onChange={(v) => setDraft({ ...draft, gpuLayers: v })} />
        <LoadField label="Threads" value={draft.threads} onChange={(v) => setDraft({ ...draft, threads: v })} />
        <LoadField label="Sequences" value={draft.sequences} onChange={(v) => setDraft({ ...draft, sequences: v })} />
        <button type="submit" className="btn small" disabled={entry?.loading}>
          Check again
        </button>
      </form>
      {problems.length > 0 && (
        <ul className="problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function LoadField({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        className="input"
        inputMode="numeric"
        placeholder="auto"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}
