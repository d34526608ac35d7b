// New evaluation: test sets × generators × scorers, shared template / decoding / t-test settings,
// and the plan (`evaluation.plan`: what is cached, what will run, rough time) before Start.
import { useEffect, useMemo, useState } from 'react';
import { api, errorIssues, errorMessage } from '../../api';
import type { EvaluationPlan } from '../../../../shared/contracts/evaluation';
import { AdapterField } from '../../components/AdapterField';
import { DecodingFields } from '../../components/DecodingFields';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount } from '../../lib/format';
import { useJobsStore } from '../../stores/jobs';
import { selectTemplates, useTemplatesStore } from '../../stores/templates';
import { selectDatasets, useDatasetsStore } from '../datasets/datasets';
import { selectEndpoints, useEndpointsStore } from '../models/endpoints';
import { selectModels, useModelsStore } from '../models/models';
import { selectChoices, useEvaluateStore } from './evaluate';
import {
  addUnique,
  defaultGeneratorLabel,
  emptyEvaluationForm,
  evaluationConfig,
  generatorChoiceKey,
  scorerChoiceKey,
  testsetChoiceKey,
  TTEST_ALTERNATIVES,
  type EvaluationConfigRequest,
  type EvaluationForm,
  type GeneratorChoice,
  type ScorerChoice,
  type TestsetChoice,
} from './evaluationForm';
import { PlanView } from './PlanView';

export function NewEvaluationForm() {
  const models = useModelsStore(selectModels);
  const endpoints = useEndpointsStore(selectEndpoints);
  const datasets = useDatasetsStore(selectDatasets);
  const templates = useTemplatesStore(selectTemplates);
  const choices = useEvaluateStore(selectChoices);
  const [form, setForm] = useState<EvaluationForm>(() => emptyEvaluationForm());
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<{ path: string; message: string }[]>([]);
  const [starting, setStarting] = useState(false);
  const set = (patch: Partial<EvaluationForm>) => setForm((f) => ({ ...f, ...patch }));
  const { config, problems: live } = useMemo(() => evaluationConfig(form), [form]);
  const plan = usePlan(config);
  const close = () => useEvaluateStore.getState().setMode('evaluation');

  const start = async () => {
    const { config: request, problems: found } = evaluationConfig(form);
    setProblems(found);
    if (!request) return;
    setStarting(true);
    setError(null);
    setIssues([]);
    try {
      const { evaluation, job } = await api.call('evaluation.start', { config: request });
      useJobsStore.getState().upsert(job);
      useEvaluateStore.getState().started(evaluation);
    } catch (err) {
      setError(errorMessage(err));
      setIssues(errorIssues(err));
      setStarting(false);
    }
  };

  const stereosets = choices.testsets.filter((t) => t.kind === 'stereoset');
  const crows = choices.testsets.filter((t) => t.kind === 'crows-pairs');

  return (
    <form
      className="model-details new-evaluation"
      aria-label="New evaluation"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <div className="dataset-header">
        <div className="dataset-title">
          <h1>New evaluation</h1>
          <p className="muted">
            Every generator rewrites every item of every test set; the scorers score the inputs (the “initial” row) and
            every output; the tables count what they flag.
          </p>
        </div>
        <div className="dataset-actions">
          <button type="button" className="btn ghost" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={starting}>
            {starting ? 'Starting…' : 'Start evaluation'}
          </button>
        </div>
      </div>
      <div className="lab-scroll">
        {choices.errors.length > 0 && (
          <p className="small warn-text" role="status">
            {choices.errors.join(' · ')}
          </p>
        )}
        <label className="field">
          <span>Name (optional)</span>
          <input
            className="input"
            name="evaluationName"
            placeholder="generators × test sets"
            value={form.name}
            onChange={(e) => set({ name: e.target.value })}
          />
        </label>

        <TestsetsSection form={form} set={set} datasets={datasets.map((d) => d.name)} />
        <GeneratorsSection
          form={form}
          set={set}
          models={models.map((m) => m.name)}
          endpoints={endpoints.map((e) => e.name)}
        />
        <ScorersSection
          form={form}
          set={set}
          models={models.map((m) => m.name)}
          endpoints={endpoints.map((e) => e.name)}
        />

        <fieldset className="mapping">
          <legend>Template and decoding (shared by every generator)</legend>
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
                  {templates.length === 0 && <option value={form.template}>{form.template}</option>}
                  {templates.map((t) => (
                    <option key={t.id} value={t.name}>
                      {t.name} v{t.version}
                      {t.builtin ? ' (the paper’s Llama-2 chat prompt)' : ` (${t.format})`}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Parallel sequences (local generators)</span>
                <input
                  className="input"
                  name="parallel"
                  inputMode="numeric"
                  value={form.parallel}
                  onChange={(e) => set({ parallel: e.target.value })}
                />
              </label>
            </div>
            <DecodingFields
              value={form.decoding}
              onChange={(p) => set({ decoding: { ...form.decoding, ...p } })}
              wide
            />
          </div>
        </fieldset>

        <fieldset className="mapping">
          <legend>StereoSet and CrowS-Pairs by likelihood (Tables 7–8, local generators)</legend>
          <div className="form-grid three">
            <label className="field">
              <span>StereoSet test set</span>
              <select
                className="input"
                name="stereoset"
                value={form.stereoset}
                onChange={(e) => set({ stereoset: e.target.value })}
              >
                <option value="">none</option>
                {stereosets.map((t) => (
                  <option key={t.id} value={t.name}>
                    {t.name} ({formatCount(t.items)})
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>CrowS-Pairs test set</span>
              <select
                className="input"
                name="crowsPairs"
                value={form.crowsPairs}
                onChange={(e) => set({ crowsPairs: e.target.value })}
              >
                <option value="">none</option>
                {crows.map((t) => (
                  <option key={t.id} value={t.name}>
                    {t.name} ({formatCount(t.items)})
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Limit (first N items)</span>
              <input
                className="input"
                name="likelihoodLimit"
                inputMode="numeric"
                placeholder="all"
                value={form.likelihoodLimit}
                onChange={(e) => set({ likelihoodLimit: e.target.value })}
              />
            </label>
          </div>
          {stereosets.length + crows.length === 0 && (
            <p className="small muted">Import StereoSet or CrowS-Pairs (srlab testsets import) to add Tables 7–8.</p>
          )}
        </fieldset>

        <fieldset className="mapping">
          <legend>One-sample t-test (the paper’s section 5.4)</legend>
          <div className="form-grid four">
            <label className="field">
              <span>Measure</span>
              <select
                className="input"
                name="ttestMeasure"
                value={form.ttestMeasure}
                onChange={(e) => set({ ttestMeasure: e.target.value as EvaluationForm['ttestMeasure'] })}
              >
                <option value="reduction">reduction: score(input) − score(output)</option>
                <option value="output">score(output)</option>
              </select>
            </label>
            <label className="field">
              <span>Alternative</span>
              <select
                className="input"
                name="ttestAlternative"
                value={form.ttestAlternative}
                onChange={(e) => set({ ttestAlternative: e.target.value as EvaluationForm['ttestAlternative'] })}
              >
                {TTEST_ALTERNATIVES.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>μ (null mean)</span>
              <input
                className="input"
                name="ttestMu"
                inputMode="decimal"
                value={form.ttestMu}
                onChange={(e) => set({ ttestMu: e.target.value })}
              />
            </label>
            <label className="field">
              <span>α</span>
              <input
                className="input"
                name="ttestAlpha"
                inputMode="decimal"
                value={form.ttestAlpha}
                onChange={(e) => set({ ttestAlpha: e.target.value })}
              />
            </label>
          </div>
        </fieldset>

        <section className="card" aria-label="Plan" data-testid="evaluation-plan">
          <h3>Plan</h3>
          {!config ? (
            <ul className="problems small" data-testid="plan-problems">
              {live.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : plan.error ? (
            <ErrorBanner message={plan.error} />
          ) : plan.plan ? (
            <PlanView plan={plan.plan} stale={plan.loading} />
          ) : (
            <p className="muted small">Working out what is cached…</p>
          )}
        </section>
        {problems.length > 0 && (
          <ul className="problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <ErrorBanner message={error} issues={issues} />
      </div>
    </form>
  );
}

type SectionProps = { form: EvaluationForm; set: (patch: Partial<EvaluationForm>) => void };

function TestsetsSection({ form, set, datasets }: SectionProps & { datasets: string[] }) {
  const choices = useEvaluateStore(selectChoices);
  const [kind, setKind] = useState<'cmd' | 'testset'>('cmd');
  const [dataset, setDataset] = useState('');
  const [split, setSplit] = useState<'train' | 'dev' | 'test'>('test');
  const [testset, setTestset] = useState('');
  const pickedDataset = dataset || datasets[0] || '';
  const named = choices.testsets;
  const pickedTestset = testset || named[0]?.name || '';
  const update = (i: number, patch: Partial<TestsetChoice>) =>
    set({ testsets: form.testsets.map((t, j) => (j === i ? ({ ...t, ...patch } as TestsetChoice) : t)) });
  const add = () => {
    const item: TestsetChoice =
      kind === 'cmd'
        ? { kind: 'cmd', dataset: pickedDataset, split, limit: '' }
        : { kind: 'testset', testset: pickedTestset, limit: '', groups: [] };
    set({ testsets: addUnique(form.testsets, item, testsetChoiceKey) });
  };
  return (
    <fieldset className="mapping">
      <legend>Test sets</legend>
      <div className="stack">
        <div className="row gap wrap">
          <div className="segmented" role="radiogroup" aria-label="Test set kind">
            {(['cmd', 'testset'] as const).map((k) => (
              <button
                key={k}
                type="button"
                role="radio"
                aria-checked={kind === k}
                className={kind === k ? 'seg on' : 'seg'}
                onClick={() => setKind(k)}
              >
                {k === 'cmd' ? 'Dataset split (CMD)' : 'Imported test set'}
              </button>
            ))}
          </div>
          {kind === 'cmd' ? (
            <>
              <select
                className="input"
                aria-label="Dataset"
                name="addDataset"
                value={pickedDataset}
                onChange={(e) => setDataset(e.target.value)}
              >
                {datasets.length === 0 && <option value="">no datasets</option>}
                {datasets.map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </select>
              <select
                className="input"
                aria-label="Split"
                name="addSplit"
                value={split}
                onChange={(e) => setSplit(e.target.value as typeof split)}
              >
                <option value="test">test</option>
                <option value="dev">dev</option>
                <option value="train">train</option>
              </select>
            </>
          ) : (
            <select
              className="input"
              aria-label="Imported test set"
              name="addTestset"
              value={pickedTestset}
              onChange={(e) => setTestset(e.target.value)}
            >
              {named.length === 0 && <option value="">none imported (srlab testsets import)</option>}
              {named.map((t) => (
                <option key={t.id} value={t.name}>
                  {t.name} · {t.kind} ({formatCount(t.items)})
                </option>
              ))}
            </select>
          )}
          <button
            type="button"
            className="btn small"
            disabled={kind === 'cmd' ? !pickedDataset : !pickedTestset}
            onClick={add}
          >
            Add test set
          </button>
        </div>
        {form.testsets.length === 0 && <p className="small muted">No test set yet.</p>}
        <ul className="eval-choices">
          {form.testsets.map((t, i) => {
            const summary = t.kind === 'testset' ? named.find((n) => n.name === t.testset) : undefined;
            const groups = summary ? Object.keys(summary.groups).sort() : [];
            return (
              <li key={testsetChoiceKey(t)} data-testid="eval-testset">
                <span className="eval-choice-name">
                  {t.kind === 'cmd'
                    ? `${t.dataset} · ${t.split} split`
                    : `${t.testset}${summary ? ` · ${summary.kind}` : ''}`}
                </span>
                <input
                  className="input small-input"
                  aria-label={`Limit of test set ${i + 1}`}
                  inputMode="numeric"
                  placeholder="all items"
                  value={t.limit}
                  onChange={(e) => update(i, { limit: e.target.value })}
                />
                {t.kind === 'testset' && groups.length > 1 && (
                  <select
                    className="input"
                    multiple
                    aria-label={`Groups of test set ${i + 1}`}
                    title="Only these groups (none selected: all)"
                    value={t.groups}
                    onChange={(e) => update(i, { groups: [...e.target.selectedOptions].map((o) => o.value) })}
                  >
                    {groups.map((g) => (
                      <option key={g} value={g}>
                        {g} ({formatCount(summary!.groups[g])})
                      </option>
                    ))}
                  </select>
                )}
                <button
                  type="button"
                  className="btn ghost small"
                  aria-label={`Remove test set ${i + 1}`}
                  onClick={() => set({ testsets: form.testsets.filter((_, j) => j !== i) })}
                >
                  ✕
                </button>
              </li>
            );
          })}
        </ul>
      </div>
    </fieldset>
  );
}

function GeneratorsSection({ form, set, models, endpoints }: SectionProps & { models: string[]; endpoints: string[] }) {
  const [kind, setKind] = useState<'local' | 'endpoint'>('local');
  const [model, setModel] = useState('');
  const [adapter, setAdapter] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const pickedModel = model || models[0] || '';
  const pickedEndpoint = endpoint || endpoints[0] || '';
  const add = () => {
    const g: GeneratorChoice =
      kind === 'local'
        ? { kind: 'local', model: pickedModel, adapter, label: '' }
        : { kind: 'endpoint', endpoint: pickedEndpoint, label: '' };
    set({ generators: addUnique(form.generators, g, generatorChoiceKey) });
    setAdapter('');
  };
  return (
    <fieldset className="mapping">
      <legend>Generators</legend>
      <div className="stack">
        <label className="check">
          <input
            type="checkbox"
            name="baselineInitial"
            checked={form.baselineInitial}
            onChange={(e) => set({ baselineInitial: e.target.checked })}
          />
          Add the “initial” row: the scorers on the test set’s inputs, as in the paper’s tables
        </label>
        <div className="row gap wrap">
          <div className="segmented" role="radiogroup" aria-label="Generator kind">
            {(['local', 'endpoint'] as const).map((k) => (
              <button
                key={k}
                type="button"
                role="radio"
                aria-checked={kind === k}
                className={kind === k ? 'seg on' : 'seg'}
                onClick={() => setKind(k)}
              >
                {k === 'local' ? 'Local model' : 'Endpoint'}
              </button>
            ))}
          </div>
          {kind === 'local' ? (
            <select
              className="input"
              aria-label="Model"
              name="addModel"
              value={pickedModel}
              onChange={(e) => setModel(e.target.value)}
            >
              {models.length === 0 && <option value="">no models yet (add one in Models)</option>}
              {models.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          ) : (
            <select
              className="input"
              aria-label="Endpoint"
              name="addEndpoint"
              value={pickedEndpoint}
              onChange={(e) => setEndpoint(e.target.value)}
            >
              {endpoints.length === 0 && <option value="">no endpoints yet (Models › Endpoints)</option>}
              {endpoints.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </select>
          )}
          <button
            type="button"
            className="btn small"
            disabled={kind === 'local' ? !pickedModel : !pickedEndpoint}
            onClick={add}
          >
            Add generator
          </button>
        </div>
        {kind === 'local' && <AdapterField value={adapter} onChange={setAdapter} />}
        <ul className="eval-choices">
          {form.generators.map((g, i) => (
            <li key={generatorChoiceKey(g)} data-testid="eval-generator">
              <span className="eval-choice-name">
                {g.kind === 'local'
                  ? `${g.model}${g.adapter.trim() ? ` + ${g.adapter.trim()}` : ''}`
                  : `endpoint ${g.endpoint}`}
              </span>
              <input
                className="input"
                aria-label={`Label of generator ${i + 1}`}
                placeholder={defaultGeneratorLabel(g)}
                value={g.label}
                onChange={(e) =>
                  set({ generators: form.generators.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)) })
                }
              />
              <button
                type="button"
                className="btn ghost small"
                aria-label={`Remove generator ${i + 1}`}
                onClick={() => set({ generators: form.generators.filter((_, j) => j !== i) })}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      </div>
    </fieldset>
  );
}

function ScorersSection({ form, set, models, endpoints }: SectionProps & { models: string[]; endpoints: string[] }) {
  const choices = useEvaluateStore(selectChoices);
  const [judgeModel, setJudgeModel] = useState('');
  const [judgeFormat, setJudgeFormat] = useState<'llama-guard' | 'rubric'>('llama-guard');
  const [modEndpoint, setModEndpoint] = useState('');
  const [hfName, setHfName] = useState('');
  const has = (s: ScorerChoice) => form.scorers.some((x) => scorerChoiceKey(x) === scorerChoiceKey(s));
  const toggle = (s: ScorerChoice, on: boolean) =>
    set({
      scorers: on
        ? addUnique(form.scorers, s, scorerChoiceKey)
        : form.scorers.filter((x) => scorerChoiceKey(x) !== scorerChoiceKey(s)),
    });
  const add = (s: ScorerChoice) => set({ scorers: addUnique(form.scorers, s, scorerChoiceKey) });
  const kind = (k: string) => choices.kinds.find((x) => x.kind === k);
  const unavailable = (k: string) => kind(k) !== undefined && !kind(k)!.available;
  const pickedJudge = judgeModel || models[0] || '';
  const pickedMod = modEndpoint || endpoints[0] || '';
  return (
    <fieldset className="mapping">
      <legend>Scorers</legend>
      <div className="stack">
        <div>
          <div className="small muted">Embedded classifiers (trained in srlab by srlab scorers train)</div>
          {choices.embedded.length === 0 && (
            <p className="small muted">
              None yet: train one on a CMD dataset (srlab scorers train --dataset NAME --label annotation).
            </p>
          )}
          {choices.embedded.map((c) => {
            const s: ScorerChoice = { kind: 'embedded', classifier: c.name };
            return (
              <label key={c.name} className="check">
                <input type="checkbox" checked={has(s)} onChange={(e) => toggle(s, e.target.checked)} />
                {c.name}{' '}
                <span className="muted small">
                  P({c.positive}) · {c.dataset}
                  {c.validation
                    ? ` · test macro-F1 ${c.validation.macroF1.toFixed(2)}${c.validation.rocAuc !== null ? `, ROC-AUC ${c.validation.rocAuc.toFixed(2)}` : ''}`
                    : ''}
                </span>
              </label>
            );
          })}
        </div>
        <div className="row gap wrap">
          <span className="small">LLM judge</span>
          <select
            className="input"
            aria-label="Judge model"
            value={pickedJudge}
            onChange={(e) => setJudgeModel(e.target.value)}
          >
            {models.length === 0 && <option value="">no models</option>}
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
          <select
            className="input"
            aria-label="Judge format"
            value={judgeFormat}
            onChange={(e) => setJudgeFormat(e.target.value as typeof judgeFormat)}
          >
            <option value="llama-guard">Llama Guard 3 prompt</option>
            <option value="rubric">srlab rubric (JSON)</option>
          </select>
          <button
            type="button"
            className="btn small"
            disabled={!pickedJudge || unavailable('judge')}
            title={kind('judge')?.note}
            onClick={() => add({ kind: 'judge', model: pickedJudge, format: judgeFormat })}
          >
            Add judge
          </button>
        </div>
        <div className="row gap wrap">
          <span className="small">Moderation endpoint</span>
          <select
            className="input"
            aria-label="Moderation endpoint"
            value={pickedMod}
            onChange={(e) => setModEndpoint(e.target.value)}
          >
            {endpoints.length === 0 && <option value="">no endpoints</option>}
            {endpoints.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn small"
            disabled={!pickedMod || unavailable('moderation')}
            title={kind('moderation')?.note}
            onClick={() => add({ kind: 'moderation', endpoint: pickedMod, threshold: '0.5' })}
          >
            Add moderation
          </button>
          <span className="small">HF classifier</span>
          <input
            className="input"
            aria-label="HF classifier name"
            placeholder="registered name"
            value={hfName}
            onChange={(e) => setHfName(e.target.value)}
          />
          <button
            type="button"
            className="btn small"
            disabled={!hfName.trim() || unavailable('hf')}
            title={kind('hf')?.note}
            onClick={() => {
              add({ kind: 'hf', classifier: hfName.trim() });
              setHfName('');
            }}
          >
            Add HF classifier
          </button>
        </div>
        {choices.kinds
          .filter((k) => !k.available)
          .map((k) => (
            <p key={k.kind} className="small muted">
              {k.kind}: {k.note}
            </p>
          ))}
        <ul className="eval-choices">
          {form.scorers.map((s, i) => (
            <li key={scorerChoiceKey(s)} data-testid="eval-scorer">
              <span className="eval-choice-name mono">{scorerChoiceKey(s)}</span>
              {s.kind === 'moderation' && (
                <input
                  className="input small-input"
                  aria-label={`Threshold of scorer ${i + 1}`}
                  inputMode="decimal"
                  value={s.threshold}
                  onChange={(e) =>
                    set({
                      scorers: form.scorers.map((x, j) => (j === i ? { ...s, threshold: e.target.value } : x)),
                    })
                  }
                />
              )}
              <button
                type="button"
                className="btn ghost small"
                aria-label={`Remove scorer ${i + 1}`}
                onClick={() => set({ scorers: form.scorers.filter((_, j) => j !== i) })}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      </div>
    </fieldset>
  );
}

/** `evaluation.plan` for the current config, debounced; the last plan stays shown (stale) while the next loads. */
function usePlan(config: EvaluationConfigRequest | null): {
  plan: EvaluationPlan | null;
  loading: boolean;
  error: string | null;
} {
  const [state, setState] = useState<{ plan: EvaluationPlan | null; loading: boolean; error: string | null }>({
    plan: null,
    loading: false,
    error: null,
  });
  const key = config ? JSON.stringify(config) : '';
  useEffect(() => {
    if (!key) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      api
        .call('evaluation.plan', { config: JSON.parse(key) as EvaluationConfigRequest })
        .then(({ plan }) => live && setState({ plan, loading: false, error: null }))
        .catch((err: unknown) => live && setState({ plan: null, loading: false, error: errorMessage(err) }));
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);
  return state;
}
