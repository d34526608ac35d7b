// The playground: one text through a template to a local model or an endpoint. The output
// streams in as it is generated; the exact prompt sent is shown with the result.
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { TEMPLATE_FORMATS, type TemplateFormat } from '../../../../shared/contracts/llm';
import { AdapterField } from '../../components/AdapterField';
import { DecodingFields, LoadFields } from '../../components/DecodingFields';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount } from '../../lib/format';
import { draftIsUnchanged } from './templateDraft';
import { finishReasonLabel, formatMs, formatTokensPerSecond, showControlChars } from '../../lib/llmFormat';
import { preflightVerdict } from '../../lib/preflight';
import { useEndpointsStore, selectEndpoints } from '../models/endpoints';
import { selectModels, useModelsStore } from '../models/models';
import { usePlaygroundStore } from './playground';
import { selectTemplates, useTemplatesStore } from '../../stores/templates';
import { useAreaStore } from '../../stores/area';
import { DEFAULT_TEMPLATE_NAME } from '../../../../shared/contracts/llm';
import '../../styles/llm.css';

export const FORMAT_LABELS: Record<TemplateFormat, string> = {
  'llama2-chat': 'Llama-2 chat (the paper)',
  model: 'The model’s own template',
  raw: 'Raw text',
};

export const FORMAT_HINTS: Record<TemplateFormat, string> = {
  'llama2-chat': '<s>[INST] <<SYS>> system <</SYS>> instruction [/INST], as in the paper.',
  model: 'The chat template stored in the model file (Llama-2 chat when it has none).',
  raw: 'The system prompt and instruction as plain text after BOS, for base models.',
};

export function PlaygroundArea() {
  const templates = useTemplatesStore(selectTemplates);
  const template = usePlaygroundStore((s) => s.template);

  useEffect(() => {
    void useModelsStore.getState().load();
    void useEndpointsStore.getState().load();
    void useTemplatesStore.getState().load();
  }, []);

  // Start from the paper's template once the templates are known.
  useEffect(() => {
    if (template) return;
    const paper = templates.find((t) => t.name === DEFAULT_TEMPLATE_NAME) ?? templates[0];
    if (paper) usePlaygroundStore.getState().applyTemplate(paper);
  }, [templates, template]);

  return (
    <div className="playground">
      <aside className="playground-settings" aria-label="Playground settings">
        <TargetSettings />
        <TemplateSettings />
        <DecodingSettings />
      </aside>
      <section className="playground-main" aria-label="Prompt and output">
        <InputPanel />
        <OutputPanel />
      </section>
    </div>
  );
}

function TargetSettings() {
  const models = useModelsStore(selectModels);
  const modelsLoaded = useModelsStore((s) => s.loaded);
  const endpoints = useEndpointsStore(selectEndpoints);
  const { targetKind, model, endpoint, adapter } = usePlaygroundStore(
    useShallow((s) => ({ targetKind: s.targetKind, model: s.model, endpoint: s.endpoint, adapter: s.adapter })),
  );
  const setTarget = usePlaygroundStore((s) => s.setTarget);
  const preflight = useModelsStore((s) => (model ? s.preflights[model] : undefined));

  // Pick the first model when none is chosen; check the chosen one's preflight.
  useEffect(() => {
    if (targetKind === 'local' && (!model || !models.some((m) => m.name === model)) && models[0])
      setTarget({ model: models[0].name });
  }, [models, model, targetKind, setTarget]);
  useEffect(() => {
    if (targetKind === 'endpoint' && !endpoint && endpoints[0]) setTarget({ endpoint: endpoints[0].name });
  }, [endpoints, endpoint, targetKind, setTarget]);
  useEffect(() => {
    if (
      targetKind === 'local' &&
      model &&
      models.some((m) => m.name === model) &&
      !useModelsStore.getState().preflights[model]
    )
      void useModelsStore.getState().preflight(model);
  }, [model, models, targetKind]);

  const verdict = preflight?.result ? preflightVerdict(preflight.result) : null;
  return (
    <section className="settings-section" aria-labelledby="pg-target">
      <h3 id="pg-target">Target</h3>
      <div className="segmented" role="radiogroup" aria-label="Target kind">
        {(['local', 'endpoint'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="radio"
            aria-checked={targetKind === k}
            className={targetKind === k ? 'seg on' : 'seg'}
            onClick={() => setTarget({ targetKind: k })}
          >
            {k === 'local' ? 'Local model' : 'Endpoint'}
          </button>
        ))}
      </div>
      {targetKind === 'local' ? (
        <>
          <label className="field">
            <span>Model</span>
            <select className="input" name="model" value={model} onChange={(e) => setTarget({ model: e.target.value })}>
              {models.length === 0 && <option value="">{modelsLoaded ? 'no models yet' : 'loading…'}</option>}
              {models.map((m) => (
                <option key={m.id} value={m.name}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
          {modelsLoaded && models.length === 0 && (
            <p className="small muted">
              Add one in{' '}
              <button type="button" className="link" onClick={() => useAreaStore.getState().go('models')}>
                Models
              </button>
              .
            </p>
          )}
          {verdict && (
            <p className={verdict.fits ? 'small ok-text' : 'small warn-text'} data-testid="playground-preflight">
              {verdict.fits ? '✓' : '✕'} {verdict.headline}
              {verdict.reason ? ` — ${verdict.reason}` : ''}
            </p>
          )}
          <AdapterField value={adapter} onChange={(v) => setTarget({ adapter: v })} />
        </>
      ) : (
        <label className="field">
          <span>Endpoint</span>
          <select
            className="input"
            name="endpoint"
            value={endpoint}
            onChange={(e) => setTarget({ endpoint: e.target.value })}
          >
            {endpoints.length === 0 && <option value="">no endpoints yet (add one in Models)</option>}
            {endpoints.map((e) => (
              <option key={e.id} value={e.name}>
                {e.name} · {e.model}
              </option>
            ))}
          </select>
        </label>
      )}
    </section>
  );
}

function TemplateSettings() {
  const templates = useTemplatesStore(selectTemplates);
  const templatesError = useTemplatesStore((s) => s.error);
  const template = usePlaygroundStore((s) => s.template);
  const saved = usePlaygroundStore((s) => s.templateSaved);
  const edit = usePlaygroundStore((s) => s.editTemplate);
  const [saveName, setSaveName] = useState('');
  const [saveState, setSaveState] = useState<{ busy: boolean; error: string | null; message: string | null }>({
    busy: false,
    error: null,
    message: null,
  });
  if (!template) {
    return (
      <section className="settings-section">
        <h3>Template</h3>
        <ErrorBanner message={templatesError} onRetry={() => void useTemplatesStore.getState().load()} />
        {!templatesError && <p className="muted">Loading templates…</p>}
      </section>
    );
  }
  const unchanged = draftIsUnchanged(template, saved);
  const baseValue = template.base ? `${template.base.name}@${template.base.version}` : '';
  const saveAs = async () => {
    const name = saveName.trim();
    if (!name) return setSaveState({ busy: false, error: 'Name the template.', message: null });
    setSaveState({ busy: true, error: null, message: null });
    try {
      const t = await useTemplatesStore.getState().save(name, {
        format: template.format,
        systemPrompt: template.systemPrompt,
        instruction: template.instruction,
      });
      usePlaygroundStore.getState().applyTemplate(t);
      setSaveState({ busy: false, error: null, message: `Saved as ${t.name} v${t.version}.` });
      setSaveName('');
    } catch (err) {
      setSaveState({ busy: false, error: err instanceof Error ? err.message : String(err), message: null });
    }
  };
  return (
    <section className="settings-section" aria-labelledby="pg-template">
      <h3 id="pg-template">Template</h3>
      <label className="field">
        <span>
          Start from{' '}
          {template.base && (
            <span className={unchanged ? 'muted' : 'warn-text'}>
              {unchanged ? '(unchanged)' : '(edited: sent inline)'}
            </span>
          )}
        </span>
        <select
          className="input"
          name="template"
          value={baseValue}
          onChange={(e) => {
            const t = templates.find((x) => `${x.name}@${x.version}` === e.target.value);
            if (t) usePlaygroundStore.getState().applyTemplate(t);
          }}
        >
          {!template.base && <option value="">(custom)</option>}
          {templates.map((t) => (
            <option key={t.id} value={`${t.name}@${t.version}`}>
              {t.name} v{t.version}
              {t.builtin ? ' (paper)' : ''}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Format</span>
        <select
          className="input"
          name="format"
          value={template.format}
          onChange={(e) => edit({ format: e.target.value as TemplateFormat })}
        >
          {TEMPLATE_FORMATS.map((f) => (
            <option key={f} value={f}>
              {FORMAT_LABELS[f]}
            </option>
          ))}
        </select>
        <small className="muted">{FORMAT_HINTS[template.format]}</small>
      </label>
      <label className="field">
        <span>System prompt</span>
        <textarea
          className="input"
          name="systemPrompt"
          rows={5}
          value={template.systemPrompt}
          onChange={(e) => edit({ systemPrompt: e.target.value })}
        />
      </label>
      <label className="field">
        <span>
          Instruction (<code>{'{text}'}</code> is replaced by the input)
        </span>
        <textarea
          className="input"
          name="instruction"
          rows={5}
          value={template.instruction}
          onChange={(e) => edit({ instruction: e.target.value })}
        />
      </label>
      {!unchanged && (
        <div className="row gap">
          <input
            className="input"
            placeholder="save as… (name)"
            aria-label="Template name"
            value={saveName}
            onChange={(e) => setSaveName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void saveAs();
              }
            }}
          />
          <button type="button" className="btn small" disabled={saveState.busy} onClick={() => void saveAs()}>
            Save version
          </button>
          {template.base && saved && (
            <button
              type="button"
              className="btn small ghost"
              onClick={() =>
                edit({ format: saved.format, systemPrompt: saved.systemPrompt, instruction: saved.instruction })
              }
            >
              Reset
            </button>
          )}
        </div>
      )}
      {saveState.message && <p className="small ok-text">{saveState.message}</p>}
      <ErrorBanner message={saveState.error} />
    </section>
  );
}

function DecodingSettings() {
  const decoding = usePlaygroundStore((s) => s.decoding);
  const load = usePlaygroundStore((s) => s.load);
  const setDecoding = usePlaygroundStore((s) => s.setDecoding);
  const setLoad = usePlaygroundStore((s) => s.setLoad);
  return (
    <section className="settings-section" aria-labelledby="pg-decoding">
      <h3 id="pg-decoding">Decoding</h3>
      <DecodingFields value={decoding} onChange={setDecoding} />
      <details>
        <summary className="small">Load settings (local models)</summary>
        <LoadFields value={load} onChange={setLoad} />
      </details>
    </section>
  );
}

function InputPanel() {
  const text = usePlaygroundStore((s) => s.text);
  const running = usePlaygroundStore((s) => s.running);
  const problems = usePlaygroundStore((s) => s.problems);
  const setText = usePlaygroundStore((s) => s.setText);
  const send = usePlaygroundStore((s) => s.send);
  const stop = usePlaygroundStore((s) => s.stop);
  // Escape stops a running completion, wherever the focus is.
  useEffect(() => {
    if (!running) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        void stop();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [running, stop]);
  return (
    <form
      className="playground-input"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label className="field">
        <span>Input text</span>
        <textarea
          className="input"
          name="text"
          rows={5}
          placeholder="A text to rewrite (it replaces {text} in the instruction)"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void send();
            }
          }}
        />
      </label>
      <div className="row gap">
        <button type="submit" className="btn primary" disabled={running}>
          {running ? 'Generating…' : 'Send'}
        </button>
        {running && (
          <button type="button" className="btn" onClick={() => void stop()} title="Stop generating (Escape)">
            Stop
          </button>
        )}
        <span className="muted small">{running ? 'Escape stops' : 'Ctrl+Enter sends'}</span>
      </div>
      {problems.length > 0 && (
        <ul className="problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </form>
  );
}

function OutputPanel() {
  const { running, streamed, result, error, issues, startedAt, resultInput } = usePlaygroundStore(
    useShallow((s) => ({
      running: s.running,
      streamed: s.streamed,
      result: s.result,
      error: s.error,
      issues: s.issues,
      startedAt: s.startedAt,
      resultInput: s.resultInput,
    })),
  );
  const elapsed = useElapsed(running ? startedAt : null);
  if (!running && !result && !error) {
    return (
      <div className="playground-output empty">
        <p className="muted">The output streams here, with tokens/s, the finish reason and the exact prompt sent.</p>
      </div>
    );
  }
  return (
    <div className="playground-output" aria-live="polite" aria-busy={running}>
      <ErrorBanner message={error} issues={issues} />
      {(running || result) && (
        <>
          <div className="output-header">
            <h3>Output</h3>
            {running && (
              <span className="muted small">
                <span className="spinner small" aria-hidden="true" /> generating… {formatMs(elapsed)}
                {streamed ? ` · ${formatCount(streamed.length)} characters` : ' · loading the model'}
              </span>
            )}
          </div>
          <div className="full-text output-text" data-testid="playground-output">
            {showControlChars(result ? result.output : streamed)}
            {running && <span className="caret" aria-hidden="true" />}
          </div>
        </>
      )}
      {result && (
        <>
          <dl className="stat-row" aria-label="Completion statistics">
            <Stat label="Tokens/s" value={formatTokensPerSecond(result.tokensPerSecond)} testId="playground-tps" />
            <Stat label="Finish" value={finishReasonLabel(result.finishReason)} testId="playground-finish" />
            <Stat
              label="Tokens"
              value={`${formatCount(result.promptTokens)} in · ${formatCount(result.completionTokens)} out`}
            />
            <Stat label="Generation" value={formatMs(result.generateMs)} />
            <Stat label="Model load" value={result.loadMs > 0 ? formatMs(result.loadMs) : 'already loaded'} />
            {result.cached && <Stat label="Cache" value="from the response cache" />}
          </dl>
          <details className="prompt-sent">
            <summary>Prompt sent ({formatCount(result.prompt.length)} characters)</summary>
            <pre className="template-text" data-testid="playground-prompt">
              {result.prompt}
            </pre>
            {resultInput !== null && <p className="small muted">Input: {resultInput}</p>}
          </details>
        </>
      )}
    </div>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

/** Milliseconds since `start`, updated a few times a second while it is set. */
function useElapsed(start: number | null): number | null {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (start === null) return;
    const t = setInterval(() => setNow(performance.now()), 200);
    return () => clearInterval(t);
  }, [start]);
  return start === null ? null : Math.max(0, now - start);
}
