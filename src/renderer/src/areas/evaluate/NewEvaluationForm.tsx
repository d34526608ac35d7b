// New evaluation: test sets × generators × scorers, shared template / decoding / t-test settings,
// and the plan (`evaluation.plan`: what is cached, what will run, rough time) before Start.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, errorIssues, errorMessage } from '../../api';
import type { EvaluationPlan } from '../../../../shared/contracts/evaluation';
import type { PromptTemplate } from '../../../../shared/contracts/llm';
import type { TestsetSummary } from '../../../../shared/contracts/testsets';
import { AdapterField } from '../../components/AdapterField';
import { DecodingFields } from '../../components/DecodingFields';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormProblems } from '../../components/FormProblems';
import { Select, SelectField, TextField, type SelectOption } from '../../components/FormFields';
import { Segmented } from '../../components/Segmented';
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
  // Fields bound to the form's string settings, each input named after its field.
  const text = (field: TextKey, label: string, input: { inputMode?: 'numeric' | 'decimal'; placeholder?: string }) => (
    <TextField label={label} name={field} value={form[field]} onChange={(v) => set({ [field]: v })} {...input} />
  );
  const choose = (field: TextKey, label: string, options: readonly SelectOption[], anyOption?: string) => (
    <SelectField
      label={label}
      name={field}
      value={form[field]}
      onChange={(v) => set({ [field]: v })}
      options={options}
      anyOption={anyOption}
    />
  );

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
        <TextField
          label="Name (optional)"
          name="evaluationName"
          placeholder="generators × test sets"
          value={form.name}
          onChange={(name) => set({ name })}
        />

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
              {/* Until the templates load, the form's own choice stays selectable. */}
              {choose('template', 'Template', templates.length === 0 ? [form.template] : templates.map(templateOption))}
              {text('parallel', 'Parallel sequences (local generators)', { inputMode: 'numeric' })}
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
            {choose('stereoset', 'StereoSet test set', stereosets.map(testsetOption), 'none')}
            {choose('crowsPairs', 'CrowS-Pairs test set', crows.map(testsetOption), 'none')}
            {text('likelihoodLimit', 'Limit (first N items)', { inputMode: 'numeric', placeholder: 'all' })}
          </div>
          {stereosets.length + crows.length === 0 && (
            <p className="small muted">Import StereoSet or CrowS-Pairs (srlab testsets import) to add Tables 7–8.</p>
          )}
        </fieldset>

        <fieldset className="mapping">
          <legend>One-sample t-test (the paper’s section 5.4)</legend>
          <div className="form-grid four">
            {choose('ttestMeasure', 'Measure', TTEST_MEASURES)}
            {choose('ttestAlternative', 'Alternative', TTEST_ALTERNATIVES)}
            {text('ttestMu', 'μ (null mean)', { inputMode: 'decimal' })}
            {text('ttestAlpha', 'α', { inputMode: 'decimal' })}
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
        <FormProblems problems={problems} error={error} issues={issues} />
      </div>
    </form>
  );
}

type SectionProps = { form: EvaluationForm; set: (patch: Partial<EvaluationForm>) => void };

/** The form's settings held as one string each (texts, names, choices). */
type TextKey = { [K in keyof EvaluationForm]: EvaluationForm[K] extends string ? K : never }[keyof EvaluationForm];

const TTEST_MEASURES = [
  { value: 'reduction', label: 'reduction: score(input) − score(output)' },
  { value: 'output', label: 'score(output)' },
];

function templateOption(t: PromptTemplate): SelectOption {
  return {
    value: t.name,
    label: `${t.name} v${t.version}${t.builtin ? ' (the paper’s Llama-2 chat prompt)' : ` (${t.format})`}`,
  };
}

function testsetOption(t: TestsetSummary): SelectOption {
  return { value: t.name, label: `${t.name} (${formatCount(t.items)})` };
}

const TESTSET_KINDS = [
  { value: 'cmd', label: 'Dataset split (CMD)' },
  { value: 'testset', label: 'Imported test set' },
] as const;

const GENERATOR_KINDS = [
  { value: 'local', label: 'Local model' },
  { value: 'endpoint', label: 'Endpoint' },
] as const;

const JUDGE_FORMATS = [
  { value: 'llama-guard', label: 'Llama Guard 3 prompt' },
  { value: 'rubric', label: 'srlab rubric (JSON)' },
];

/** One chosen test set, generator or scorer: its name, its own settings, and the ✕ that takes it off. */
function ChoiceRow(props: {
  testId: string;
  name: string;
  mono?: boolean;
  removeLabel: string;
  onRemove: () => void;
  children?: ReactNode;
}) {
  return (
    <li data-testid={props.testId}>
      <span className={props.mono ? 'eval-choice-name mono' : 'eval-choice-name'}>{props.name}</span>
      {props.children}
      <button type="button" className="btn ghost small" aria-label={props.removeLabel} onClick={props.onRemove}>
        ✕
      </button>
    </li>
  );
}

/** The list without its i-th entry. */
function without<T>(list: readonly T[], i: number): T[] {
  return list.filter((_, j) => j !== i);
}

interface Pick {
  /** What was chosen, or the first option while nothing is. */
  picked: string;
  set: (value: string) => void;
}

function usePick(options: readonly string[]): Pick {
  const [value, set] = useState('');
  return { picked: value || options[0] || '', set };
}

/** A select that picks what the next "Add" adds; `empty` says why there is nothing to pick. */
function PickSelect(props: {
  label: string;
  name?: string;
  pick: Pick;
  options: readonly SelectOption[];
  empty: string;
}) {
  const { label, pick, empty, ...rest } = props;
  return <Select aria-label={label} value={pick.picked} onChange={pick.set} emptyOption={empty} {...rest} />;
}

function TestsetsSection({ form, set, datasets }: SectionProps & { datasets: string[] }) {
  const choices = useEvaluateStore(selectChoices);
  const [kind, setKind] = useState<'cmd' | 'testset'>('cmd');
  const [split, setSplit] = useState<'train' | 'dev' | 'test'>('test');
  const named = choices.testsets;
  const dataset = usePick(datasets);
  const testset = usePick(named.map((t) => t.name));
  const update = (i: number, patch: Partial<TestsetChoice>) =>
    set({ testsets: form.testsets.map((t, j) => (j === i ? ({ ...t, ...patch } as TestsetChoice) : t)) });
  const add = () => {
    const item: TestsetChoice =
      kind === 'cmd'
        ? { kind: 'cmd', dataset: dataset.picked, split, limit: '' }
        : { kind: 'testset', testset: testset.picked, limit: '', groups: [] };
    set({ testsets: addUnique(form.testsets, item, testsetChoiceKey) });
  };
  return (
    <fieldset className="mapping">
      <legend>Test sets</legend>
      <div className="stack">
        <div className="row gap wrap">
          <Segmented label="Test set kind" segments={TESTSET_KINDS} value={kind} onChange={setKind} />
          {kind === 'cmd' ? (
            <>
              <PickSelect label="Dataset" name="addDataset" pick={dataset} empty="no datasets" options={datasets} />
              <Select
                aria-label="Split"
                name="addSplit"
                value={split}
                onChange={(v) => setSplit(v as typeof split)}
                options={['test', 'dev', 'train']}
              />
            </>
          ) : (
            <PickSelect
              label="Imported test set"
              name="addTestset"
              pick={testset}
              empty="none imported (srlab testsets import)"
              options={named.map((t) => ({ value: t.name, label: `${t.name} · ${t.kind} (${formatCount(t.items)})` }))}
            />
          )}
          <button
            type="button"
            className="btn small"
            disabled={kind === 'cmd' ? !dataset.picked : !testset.picked}
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
              <ChoiceRow
                key={testsetChoiceKey(t)}
                testId="eval-testset"
                name={
                  t.kind === 'cmd'
                    ? `${t.dataset} · ${t.split} split`
                    : `${t.testset}${summary ? ` · ${summary.kind}` : ''}`
                }
                removeLabel={`Remove test set ${i + 1}`}
                onRemove={() => set({ testsets: without(form.testsets, i) })}
              >
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
              </ChoiceRow>
            );
          })}
        </ul>
      </div>
    </fieldset>
  );
}

function GeneratorsSection({ form, set, models, endpoints }: SectionProps & { models: string[]; endpoints: string[] }) {
  const [kind, setKind] = useState<'local' | 'endpoint'>('local');
  const [adapter, setAdapter] = useState('');
  const model = usePick(models);
  const endpoint = usePick(endpoints);
  const add = () => {
    const g: GeneratorChoice =
      kind === 'local'
        ? { kind: 'local', model: model.picked, adapter, label: '' }
        : { kind: 'endpoint', endpoint: endpoint.picked, label: '' };
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
          <Segmented label="Generator kind" segments={GENERATOR_KINDS} value={kind} onChange={setKind} />
          {kind === 'local' ? (
            <PickSelect
              label="Model"
              name="addModel"
              pick={model}
              empty="no models yet (add one in Models)"
              options={models}
            />
          ) : (
            <PickSelect
              label="Endpoint"
              name="addEndpoint"
              pick={endpoint}
              empty="no endpoints yet (Models › Endpoints)"
              options={endpoints}
            />
          )}
          <button
            type="button"
            className="btn small"
            disabled={kind === 'local' ? !model.picked : !endpoint.picked}
            onClick={add}
          >
            Add generator
          </button>
        </div>
        {kind === 'local' && <AdapterField value={adapter} onChange={setAdapter} />}
        <ul className="eval-choices">
          {form.generators.map((g, i) => (
            <ChoiceRow
              key={generatorChoiceKey(g)}
              testId="eval-generator"
              name={
                g.kind === 'local'
                  ? `${g.model}${g.adapter.trim() ? ` + ${g.adapter.trim()}` : ''}`
                  : `endpoint ${g.endpoint}`
              }
              removeLabel={`Remove generator ${i + 1}`}
              onRemove={() => set({ generators: without(form.generators, i) })}
            >
              <input
                className="input"
                aria-label={`Label of generator ${i + 1}`}
                placeholder={defaultGeneratorLabel(g)}
                value={g.label}
                onChange={(e) =>
                  set({ generators: form.generators.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)) })
                }
              />
            </ChoiceRow>
          ))}
        </ul>
      </div>
    </fieldset>
  );
}

function ScorersSection({ form, set, models, endpoints }: SectionProps & { models: string[]; endpoints: string[] }) {
  const choices = useEvaluateStore(selectChoices);
  const judgeModel = usePick(models);
  const [judgeFormat, setJudgeFormat] = useState<'llama-guard' | 'rubric'>('llama-guard');
  const modEndpoint = usePick(endpoints);
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
  // "Add …" for a scorer kind: off while nothing is picked or the kind cannot run here (its note says why).
  const addButton = (k: string, label: string, picked: string, onAdd: () => void) => (
    <button
      type="button"
      className="btn small"
      disabled={!picked || unavailable(k)}
      title={kind(k)?.note}
      onClick={onAdd}
    >
      {label}
    </button>
  );
  const pickedJudge = judgeModel.picked;
  const pickedMod = modEndpoint.picked;
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
          <PickSelect label="Judge model" pick={judgeModel} empty="no models" options={models} />
          <Select
            aria-label="Judge format"
            value={judgeFormat}
            onChange={(v) => setJudgeFormat(v as typeof judgeFormat)}
            options={JUDGE_FORMATS}
          />
          {addButton('judge', 'Add judge', pickedJudge, () =>
            add({ kind: 'judge', model: pickedJudge, format: judgeFormat }),
          )}
        </div>
        <div className="row gap wrap">
          <span className="small">Moderation endpoint</span>
          <PickSelect label="Moderation endpoint" pick={modEndpoint} empty="no endpoints" options={endpoints} />
          {addButton('moderation', 'Add moderation', pickedMod, () =>
            add({ kind: 'moderation', endpoint: pickedMod, threshold: '0.5' }),
          )}
          <span className="small">HF classifier</span>
          <input
            className="input"
            aria-label="HF classifier name"
            placeholder="registered name"
            value={hfName}
            onChange={(e) => setHfName(e.target.value)}
          />
          {addButton('hf', 'Add HF classifier', hfName.trim(), () => {
            add({ kind: 'hf', classifier: hfName.trim() });
            setHfName('');
          })}
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
            <ChoiceRow
              key={scorerChoiceKey(s)}
              testId="eval-scorer"
              name={scorerChoiceKey(s)}
              mono
              removeLabel={`Remove scorer ${i + 1}`}
              onRemove={() => set({ scorers: without(form.scorers, i) })}
            >
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
            </ChoiceRow>
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
