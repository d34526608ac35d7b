// OpenAI-compatible endpoints (OpenAI, vLLM, llama.cpp server, Ollama): add, edit, test, remove.
// The API key is write-only: it goes to the OS keychain and is never shown back.
import { useState } from 'react';
import type { Endpoint } from '../../../../shared/contracts/runs';
import { errorIssues, errorMessage } from '../../api';
import { ConfirmRemoveDialog } from '../../components/ConfirmRemoveDialog';
import { Dialog } from '../../components/Dialog';
import { DialogForm, DialogFormButtons } from '../../components/DialogForm';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormProblems } from '../../components/FormProblems';
import { formatCount, formatDateTime } from '../../lib/format';
import { EMPTY_ENDPOINT_FORM, endpointRequest, type EndpointForm } from './modelForms';
import { formatMs } from '../../lib/llmFormat';
import { selectEndpoints, selectEndpointTests, selectKeychain, useEndpointsStore } from './endpoints';

const KEY_PLACES = {
  'safe-storage': 'OS keychain',
  'secret-tool': 'Secret Service keyring',
  env: 'environment variable',
} as const;

export function EndpointsView() {
  const endpoints = useEndpointsStore(selectEndpoints);
  const keychain = useEndpointsStore(selectKeychain);
  const tests = useEndpointsStore(selectEndpointTests);
  const loaded = useEndpointsStore((s) => s.loaded);
  const error = useEndpointsStore((s) => s.error);
  const [editing, setEditing] = useState<Endpoint | 'new' | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  return (
    <div className="model-details">
      <div className="dataset-header">
        <div className="dataset-title">
          <h1>Endpoints</h1>
          <p className="muted">
            Any OpenAI-compatible server (OpenAI, vLLM, llama.cpp server, Ollama) as a run target: GPT baselines or
            large runs on a GPU server. Responses are cached, so a rerun costs nothing.
          </p>
        </div>
        <div className="dataset-actions">
          <button type="button" className="btn primary" onClick={() => setEditing('new')}>
            Add endpoint…
          </button>
        </div>
      </div>
      <div className="lab-scroll">
        <ErrorBanner message={error} onRetry={() => void useEndpointsStore.getState().load()} />
        {keychain && (
          <div className={keychain.backend ? 'banner info' : 'banner content-warning flat'} role="note">
            <div className="banner-body">
              <strong>API keys:</strong> {keychain.message}
            </div>
          </div>
        )}
        {loaded && endpoints.length === 0 && !error && (
          <div className="empty-state">
            <h2>No endpoint yet</h2>
            <p>
              Add one with its base URL (e.g. <code>http://127.0.0.1:8000/v1</code> for vLLM,{' '}
              <code>http://127.0.0.1:11434/v1</code> for Ollama, <code>https://api.openai.com/v1</code>) and the model
              it serves.
            </p>
          </div>
        )}
        {endpoints.length > 0 && (
          <div className="table-scroll tall">
            <table className="data-table" aria-label="Endpoints">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Base URL</th>
                  <th>Model</th>
                  <th className="num">Concurrency</th>
                  <th className="num">Req/min</th>
                  <th>Key</th>
                  <th>Test</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {endpoints.map((e) => {
                  const t = tests[e.name];
                  return (
                    <tr key={e.id}>
                      <th scope="row">{e.name}</th>
                      <td className="mono">{e.baseUrl}</td>
                      <td>{e.model}</td>
                      <td className="num">{formatCount(e.concurrency)}</td>
                      <td className="num">
                        {e.requestsPerMinute === 0 ? 'unlimited' : formatCount(e.requestsPerMinute)}
                      </td>
                      <td>
                        {e.hasKey ? (
                          `stored (${e.keyBackend ? KEY_PLACES[e.keyBackend] : 'keychain'})`
                        ) : (
                          <span className="muted">none</span>
                        )}
                      </td>
                      <td className="endpoint-test" aria-live="polite">
                        {t ? (
                          <span className={t.running ? 'muted' : t.ok ? 'ok-text' : 'warn-text'}>
                            {t.running ? 'Testing…' : `${t.ok ? '✓' : '✕'} ${t.message}`}
                            {!t.running && t.latencyMs !== null && !/\d ms/.test(t.message)
                              ? ` (${formatMs(t.latencyMs)})`
                              : ''}
                          </span>
                        ) : (
                          <span className="muted">added {formatDateTime(e.createdAt)}</span>
                        )}
                      </td>
                      <td className="row-actions">
                        <button
                          type="button"
                          className="btn small"
                          disabled={t?.running}
                          onClick={() => void useEndpointsStore.getState().test(e.name)}
                        >
                          Test
                        </button>
                        <button type="button" className="btn small ghost" onClick={() => setEditing(e)}>
                          Edit
                        </button>
                        <button type="button" className="btn small ghost danger" onClick={() => setRemoving(e.name)}>
                          Remove
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {editing && <EndpointDialog endpoint={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {removing && <RemoveEndpointDialog name={removing} onClose={() => setRemoving(null)} />}
    </div>
  );
}

function formFor(e: Endpoint | null): EndpointForm {
  if (!e) return { ...EMPTY_ENDPOINT_FORM };
  return {
    name: e.name,
    baseUrl: e.baseUrl,
    model: e.model,
    concurrency: String(e.concurrency),
    requestsPerMinute: String(e.requestsPerMinute),
    timeoutMs: String(e.timeoutMs),
    maxRetries: String(e.maxRetries),
    apiKey: '',
    removeKey: false,
  };
}

function EndpointDialog({ endpoint, onClose }: { endpoint: Endpoint | null; onClose: () => void }) {
  const [form, setForm] = useState<EndpointForm>(() => formFor(endpoint));
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<{ path: string; message: string }[]>([]);
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<EndpointForm>) => setForm((f) => ({ ...f, ...patch }));
  const save = async () => {
    const { request, problems: found } = endpointRequest(form);
    setProblems(found);
    if (!request) return;
    setSaving(true);
    setError(null);
    setIssues([]);
    try {
      await useEndpointsStore.getState().save(request);
      // The key is gone from the page as soon as it is sent.
      set({ apiKey: '' });
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setIssues(errorIssues(err));
      setSaving(false);
    }
  };
  return (
    <Dialog
      title={endpoint ? `Edit endpoint “${endpoint.name}”` : 'Add an endpoint'}
      onClose={onClose}
      footer={
        <DialogFormButtons
          formId="endpoint-form"
          onCancel={onClose}
          submitLabel="Save"
          busyLabel="Saving…"
          busy={saving}
        />
      }
    >
      <DialogForm id="endpoint-form" autoComplete="off" onSubmit={() => void save()}>
        <div className="form-grid">
          <label className="field">
            <span>Name</span>
            <input
              className="input"
              name="name"
              autoFocus={!endpoint}
              readOnly={endpoint !== null}
              value={form.name}
              onChange={(e) => set({ name: e.target.value })}
            />
          </label>
          <label className="field">
            <span>Model</span>
            <input
              className="input"
              name="model"
              placeholder="gpt-4o-mini"
              value={form.model}
              onChange={(e) => set({ model: e.target.value })}
            />
          </label>
        </div>
        <label className="field">
          <span>Base URL</span>
          <input
            className="input mono"
            name="baseUrl"
            placeholder="http://127.0.0.1:8000/v1"
            value={form.baseUrl}
            onChange={(e) => set({ baseUrl: e.target.value })}
          />
        </label>
        <div className="form-grid four">
          <label className="field">
            <span>Concurrency</span>
            <input
              className="input"
              inputMode="numeric"
              value={form.concurrency}
              onChange={(e) => set({ concurrency: e.target.value })}
            />
          </label>
          <label className="field">
            <span>Requests/min (0 = no limit)</span>
            <input
              className="input"
              inputMode="numeric"
              value={form.requestsPerMinute}
              onChange={(e) => set({ requestsPerMinute: e.target.value })}
            />
          </label>
          <label className="field">
            <span>Timeout (ms)</span>
            <input
              className="input"
              inputMode="numeric"
              value={form.timeoutMs}
              onChange={(e) => set({ timeoutMs: e.target.value })}
            />
          </label>
          <label className="field">
            <span>Retries</span>
            <input
              className="input"
              inputMode="numeric"
              value={form.maxRetries}
              onChange={(e) => set({ maxRetries: e.target.value })}
            />
          </label>
        </div>
        <label className="field">
          <span>
            API key {endpoint?.hasKey ? '(a key is stored: leave empty to keep it)' : '(optional for local servers)'}
          </span>
          <input
            className="input"
            name="apiKey"
            type="password"
            autoComplete="new-password"
            placeholder={endpoint?.hasKey ? '•••••••• stored' : 'sk-…'}
            disabled={form.removeKey}
            value={form.apiKey}
            onChange={(e) => set({ apiKey: e.target.value })}
          />
          <small className="muted">
            Write-only: stored in the OS keychain, never shown again, never written to logs or exports.
          </small>
        </label>
        {endpoint?.hasKey && (
          <label className="check">
            <input
              type="checkbox"
              checked={form.removeKey}
              onChange={(e) => set({ removeKey: e.target.checked, apiKey: '' })}
            />
            Delete the stored key
          </label>
        )}
        <FormProblems problems={problems} error={error} issues={issues} />
      </DialogForm>
    </Dialog>
  );
}

function RemoveEndpointDialog({ name, onClose }: { name: string; onClose: () => void }) {
  return (
    <ConfirmRemoveDialog
      title={`Remove endpoint “${name}”?`}
      removeLabel="Remove endpoint"
      remove={() => useEndpointsStore.getState().remove(name)}
      onClose={onClose}
    >
      <p>Its settings and stored key are deleted. Runs that used it keep their results.</p>
    </ConfirmRemoveDialog>
  );
}
