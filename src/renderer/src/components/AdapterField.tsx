// The LoRA adapter of a local target (playground, New run). The desktop app may name any adapter
// file by path (a local call); a browser may not name server paths, so in serve mode it chooses
// a finished training run whose adapter GGUF the core resolves (`adapterRun`).
import { useEffect, useState } from 'react';
import { api } from '../api';
import type { TrainRun } from '../../../shared/contracts/training';
import { ADAPTER_RUN_PREFIX } from '../lib/llmForms';

/** Training runs that made an adapter GGUF, newest first. */
function useAdapterRuns(enabled: boolean): { runs: TrainRun[]; error: string | null } {
  const [state, setState] = useState<{ runs: TrainRun[]; error: string | null }>({ runs: [], error: null });
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    api.call('train.list', { limit: 500 }).then(
      ({ runs }) => live && setState({ runs: runs.filter((r) => r.adapterGguf), error: null }),
      (err: unknown) => live && setState({ runs: [], error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [enabled]);
  return state;
}

/** `value`: a path (desktop) or `run:ID` (a training run's adapter, see adapterFields); '' for none. */
export function AdapterField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const browser = api.face === 'browser';
  const { runs, error } = useAdapterRuns(browser);
  if (!browser)
    return (
      <label className="field">
        <span>LoRA adapter (optional path to a .gguf adapter)</span>
        <input
          className="input mono"
          name="adapter"
          placeholder="none"
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      </label>
    );
  return (
    <label className="field">
      <span>LoRA adapter (optional: a training run’s adapter)</span>
      <select className="input" name="adapter" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">none</option>
        {runs.map((r) => (
          <option key={r.id} value={`${ADAPTER_RUN_PREFIX}${r.id}`}>
            {r.name} (run {r.id}, {r.base.split(/[\\/]/).pop()})
          </option>
        ))}
      </select>
      {error ? (
        <small className="warn-text">{error}</small>
      ) : (
        runs.length === 0 && <small className="muted">No training run has made an adapter GGUF yet.</small>
      )}
    </label>
  );
}
