// Start a generation run: target (local model + optional adapter, or an endpoint), source
// (dataset split or a list of texts), template, decoding, parallel sequences and load settings.
import { useEffect, useState } from 'react';
import { api, errorIssues, errorMessage } from '../../api';
import type { Preflight } from '../../../../shared/contracts/llm';
import { Dialog } from '../../components/Dialog';
import { DialogForm, DialogFormButtons } from '../../components/DialogForm';
import { AdapterField } from '../../components/AdapterField';
import { DecodingFields, LoadFields } from '../../components/DecodingFields';
import { FormProblems } from '../../components/FormProblems';
import { formatCount } from '../../lib/format';
import { emptyRunForm, MODEL_TEMPLATE, RUN_SPLITS, runRequest, type RunForm } from './runForm';
import { preflightVerdict } from '../../lib/preflight';
import { selectDatasets, useDatasetsStore } from '../datasets/datasets';
import { selectEndpoints, useEndpointsStore } from '../models/endpoints';
import { useJobsStore } from '../../stores/jobs';
import { selectModels, useModelsStore } from '../models/models';
import { useRunsStore } from './runs';
import { selectPaperTemplate, selectTemplates, useTemplatesStore } from '../../stores/templates';

export function NewRunDialog({ preset }: { preset: Partial<RunForm> }) {
  const models = useModelsStore(selectModels);
  const endpoints = useEndpointsStore(selectEndpoints);
  const datasets = useDatasetsStore(selectDatasets);
  const selectedDataset = useDatasetsStore((s) => s.selected);
  const templates = useTemplatesStore(selectTemplates);
  const paper = useTemplatesStore(selectPaperTemplate);
  const close = useRunsStore((s) => s.closeNewRun);
  const [form, setForm] = useState<RunForm>(() => emptyRunForm(preset));
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<{ path: string; message: string }[]>([]);
  const [starting, setStarting] = useState(false);
  const set = (patch: Partial<RunForm>) => setForm((f) => ({ ...f, ...patch }));
  const setDecoding = (patch: Partial<RunForm['decoding']>) =>
    setForm((f) => ({ ...f, decoding: { ...f.decoding, ...patch } }));
  const setLoad = (patch: Partial<RunForm['load']>) => setForm((f) => ({ ...f, load: { ...f.load, ...patch } }));

  // Fill in the first model / endpoint / dataset once they are known.
  useEffect(() => {
    setForm((f) => ({
      ...f,
      model: f.model || models[0]?.name || '',
      endpoint: f.endpoint || endpoints[0]?.name || '',
      dataset:
        f.dataset || (datasets.some((d) => d.name === selectedDataset) ? selectedDataset! : datasets[0]?.name || ''),
    }));
  }, [models, endpoints, datasets, selectedDataset]);

  const dataset = datasets.find((d) => d.name === form.dataset);
  const preflight = usePreflight(form);
  const verdict = preflight.result ? preflightVerdict(preflight.result) : null;

  const start = async () => {
    const { request, problems: found } = runRequest(form, paper);
    setProblems(found);
    if (!request) return;
    setStarting(true);
    setError(null);
    setIssues([]);
    try {
      const { run, job } = await api.call('runs.start', request);
      useJobsStore.getState().upsert(job);
      useRunsStore.getState().started(run);
      close();
    } catch (err) {
      setError(errorMessage(err));
      setIssues(errorIssues(err));
      setStarting(false);
    }
  };

  const splitCount = (split: (typeof RUN_SPLITS)[number]) =>
    dataset ? (split === 'all' ? dataset.records : dataset.splits[split]) : null;

  return (
    <Dialog
      title="New generation run"
      onClose={close}
      wide
      footer={
        <DialogFormButtons
          formId="new-run-form"
          onCancel={close}
          submitLabel="Start run"
          busyLabel="Starting…"
          busy={starting}
        />
      }
    >
      <DialogForm id="new-run-form" onSubmit={() => void start()}>
        <fieldset className="mapping">
          <legend>Target</legend>
          <div className="stack">
            <div className="segmented" role="radiogroup" aria-label="Target kind">
              {(['local', 'endpoint'] as const).map((k) => (
                <button
                  key={k}
                  type="button"
                  role="radio"
                  aria-checked={form.targetKind === k}
                  className={form.targetKind === k ? 'seg on' : 'seg'}
                  onClick={() => set({ targetKind: k })}
                >
                  {k === 'local' ? 'Local model' : 'OpenAI-compatible endpoint'}
                </button>
              ))}
            </div>
            {form.targetKind === 'local' ? (
              <>
                <div className="form-grid">
                  <label className="field">
                    <span>Model</span>
                    <select
                      className="input"
                      name="model"
                      value={form.model}
                      onChange={(e) => set({ model: e.target.value })}
                    >
                      {models.length === 0 && <option value="">no models yet (add one in Models)</option>}
                      {models.map((m) => (
                        <option key={m.id} value={m.name}>
                          {m.name}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label className="field">
                    <span>Parallel sequences (batched)</span>
                    <input
                      className="input"
                      name="parallel"
                      inputMode="numeric"
                      value={form.parallel}
                      onChange={(e) => set({ parallel: e.target.value })}
                    />
                  </label>
                </div>
                <div className="form-grid">
                  <AdapterField value={form.adapter} onChange={(v) => set({ adapter: v })} />
                  <label className="field">
                    <span>Adapter scale</span>
                    <input
                      className="input"
                      inputMode="decimal"
                      disabled={!form.adapter.trim()}
                      value={form.adapterScale}
                      onChange={(e) => set({ adapterScale: e.target.value })}
                    />
                  </label>
                </div>
                {(verdict || preflight.error || preflight.loading) && (
                  <p
                    className={verdict ? (verdict.fits ? 'small ok-text' : 'small warn-text') : 'small muted'}
                    data-testid="run-preflight"
                  >
                    {preflight.loading && !verdict
                      ? 'Checking whether it fits…'
                      : verdict
                        ? `${verdict.fits ? '✓' : '✕'} ${verdict.headline}${verdict.reason ? ` — ${verdict.reason}` : ''}`
                        : `Preflight: ${preflight.error}`}
                  </p>
                )}
              </>
            ) : (
              <label className="field">
                <span>Endpoint (its own concurrency applies)</span>
                <select
                  className="input"
                  name="endpoint"
                  value={form.endpoint}
                  onChange={(e) => set({ endpoint: e.target.value })}
                >
                  {endpoints.length === 0 && <option value="">no endpoints yet (add one in Models › Endpoints)</option>}
                  {endpoints.map((e) => (
                    <option key={e.id} value={e.name}>
                      {e.name} · {e.model}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
        </fieldset>

        <fieldset className="mapping">
          <legend>Inputs</legend>
          <div className="stack">
            <div className="segmented" role="radiogroup" aria-label="Input kind">
              {(['dataset', 'texts'] as const).map((k) => (
                <button
                  key={k}
                  type="button"
                  role="radio"
                  aria-checked={form.sourceKind === k}
                  className={form.sourceKind === k ? 'seg on' : 'seg'}
                  onClick={() => set({ sourceKind: k })}
                >
                  {k === 'dataset' ? 'Dataset split' : 'Test set (texts)'}
                </button>
              ))}
            </div>
            {form.sourceKind === 'dataset' ? (
              <div className="form-grid three">
                <label className="field">
                  <span>Dataset</span>
                  <select
                    className="input"
                    name="dataset"
                    value={form.dataset}
                    onChange={(e) => set({ dataset: e.target.value })}
                  >
                    {datasets.length === 0 && <option value="">no datasets</option>}
                    {datasets.map((d) => (
                      <option key={d.id} value={d.name}>
                        {d.name}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="field">
                  <span>Split</span>
                  <select
                    className="input"
                    name="split"
                    value={form.split}
                    onChange={(e) => set({ split: e.target.value as RunForm['split'] })}
                  >
                    {RUN_SPLITS.map((s) => {
                      const n = splitCount(s);
                      return (
                        <option key={s} value={s}>
                          {s}
                          {n !== null ? ` (${formatCount(n)})` : ''}
                        </option>
                      );
                    })}
                  </select>
                </label>
                <label className="field">
                  <span>Limit (first N records)</span>
                  <input
                    className="input"
                    name="limit"
                    inputMode="numeric"
                    placeholder="all"
                    value={form.limit}
                    onChange={(e) => set({ limit: e.target.value })}
                  />
                </label>
              </div>
            ) : (
              <>
                <label className="field">
                  <span>Test set name</span>
                  <input
                    className="input"
                    name="textsName"
                    value={form.textsName}
                    onChange={(e) => set({ textsName: e.target.value })}
                  />
                </label>
                <label className="field">
                  <span>Texts, one per line</span>
                  <textarea
                    className="input"
                    name="texts"
                    rows={5}
                    value={form.texts}
                    onChange={(e) => set({ texts: e.target.value })}
                  />
                </label>
              </>
            )}
            {form.sourceKind === 'dataset' && dataset && splitCount(form.split) === 0 && (
              <p className="small warn-text">
                {dataset.name} has no records in the {form.split} split
                {form.split !== 'all' ? ': split it first (Datasets › Split…)' : ''}.
              </p>
            )}
          </div>
        </fieldset>

        <fieldset className="mapping">
          <legend>Template and decoding</legend>
          <div className="stack">
            <div className="form-grid">
              <label className="field">
                <span>Template</span>
                <select
                  className="input"
                  name="template"
                  value={form.template}
                  onChange={(e) => set({ template: e.target.value })}
                >
                  {templates.map((t) => (
                    <option key={t.id} value={t.name}>
                      {t.name} v{t.version}
                      {t.builtin ? ' (the paper’s Llama-2 chat prompt)' : ` (${t.format})`}
                    </option>
                  ))}
                  <option value={MODEL_TEMPLATE}>The model’s own chat template (paper’s instruction)</option>
                </select>
              </label>
              <label className="field">
                <span>Run name (optional)</span>
                <input
                  className="input"
                  name="name"
                  placeholder="model × dataset/split"
                  value={form.name}
                  onChange={(e) => set({ name: e.target.value })}
                />
              </label>
            </div>
            <DecodingFields value={form.decoding} onChange={setDecoding} wide />
            <LoadFields value={form.load} onChange={setLoad} wide />
          </div>
        </fieldset>
        <FormProblems problems={problems} error={error} issues={issues} />
      </DialogForm>
    </Dialog>
  );
}

/** The preflight for the chosen model with the run's sequences, threads and context, debounced. */
function usePreflight(form: RunForm): { result: Preflight | null; loading: boolean; error: string | null } {
  const [state, setState] = useState<{ result: Preflight | null; loading: boolean; error: string | null }>({
    result: null,
    loading: false,
    error: null,
  });
  const { targetKind, model, parallel } = form;
  const { threads, contextSize } = form.load;
  useEffect(() => {
    if (targetKind !== 'local' || !model) {
      setState({ result: null, loading: false, error: null });
      return;
    }
    const load: Record<string, number> = {};
    const num = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : undefined);
    const seq = num(parallel);
    const thr = num(threads);
    const ctx = num(contextSize);
    if (seq !== undefined && seq >= 1 && seq <= 64) load.sequences = seq;
    if (thr !== undefined && thr >= 1 && thr <= 512) load.threads = thr;
    if (ctx !== undefined && ctx >= 16) load.contextSize = ctx;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      api
        .call('models.preflight', { name: model, load })
        .then((result) => live && setState({ result, loading: false, error: null }))
        .catch((err: unknown) => live && setState({ result: null, loading: false, error: errorMessage(err) }));
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [targetKind, model, parallel, threads, contextSize]);
  return state;
}
