// New training run: base model, dataset + split, preset and prompt template, the grouped preset
// form (the preset's values marked, each with where it comes from, each resettable, validated
// live with every problem at once), a preflight, Start.
import { useEffect, useMemo, useState } from 'react';
import type { Input } from '../../../../shared/api';
import { DEFAULT_TEMPLATE_NAME } from '../../../../shared/contracts/llm';
import type { TrainConfig, TrainPreflight, TrainPreset } from '../../../../shared/contracts/training';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount } from '../../lib/format';
import {
  checkForm,
  defaultText,
  fieldsOf,
  isDefault,
  sourceOf,
  TRAIN_GROUPS,
  toFormValues,
  overridesOf,
  type FormValues,
  type TrainField,
} from './trainForm';
import { plannedSteps } from '../../lib/trainSeries';
import { preflightInput, preflightKey, preflightView } from './trainPreflight';
import { api, errorMessage } from '../../api';
import { selectDatasets, useDatasetsStore } from '../datasets/datasets';
import { selectTemplates, useTemplatesStore } from '../../stores/templates';
import { selectPresets, useTrainingStore } from './training';
import { selectDoctor, useWorkerStore } from './worker';
import { BaseField } from './BaseField';
import { WorkerPanel } from './WorkerPanel';

const SPLITS = ['train', 'dev', 'test'] as const;
const PREFLIGHT_DEBOUNCE_MS = 400;

export function NewTrainForm() {
  const presets = useTrainingStore(selectPresets);
  const presetsError = useTrainingStore((s) => s.presetsError);
  const datasets = useDatasetsStore(selectDatasets);
  const doctor = useWorkerStore(selectDoctor);
  const startError = useTrainingStore((s) => s.startError);
  const starting = useTrainingStore((s) => s.starting);
  const hasRuns = useTrainingStore((s) => s.runs.length > 0);
  // Training writes Llama-2 chat examples: only llama2-chat templates can be trained on.
  const templates = useTemplatesStore(selectTemplates).filter((t) => t.format === 'llama2-chat');
  const [templateName, setTemplateName] = useState(DEFAULT_TEMPLATE_NAME);
  useEffect(() => {
    void useTemplatesStore.getState().load();
  }, []);

  const [presetName, setPresetName] = useState('srllm-paper');
  const preset: TrainPreset | undefined = presets.find((p) => p.name === presetName) ?? presets[0];
  const [values, setValues] = useState<FormValues>({});
  const [base, setBase] = useState('');
  const [name, setName] = useState('');
  const [dataset, setDataset] = useState('');
  const [split, setSplit] = useState<string>('train');
  const [evalSplit, setEvalSplit] = useState<string>('dev');
  const [exportGguf, setExportGguf] = useState(true);
  const [pue, setPue] = useState('1.0');
  const [intensity, setIntensity] = useState('0.4');
  const [submitted, setSubmitted] = useState(false);

  useEffect(() => {
    if (preset) setValues(toFormValues(preset.config));
  }, [preset]);
  useEffect(() => {
    if (!dataset && datasets.length) setDataset(datasets[0]!.name);
  }, [datasets, dataset]);

  const env = useMemo(
    () =>
      doctor?.installed ? { cuda: doctor.cuda.available, bitsandbytes: Boolean(doctor.packages.bitsandbytes) } : {},
    [doctor],
  );
  const check = useMemo(() => checkForm(values, { ...env, evalSplit: evalSplit !== '' }), [values, env, evalSplit]);
  const issueOf = (key: string) => check.issues.find((i) => i.key === key)?.message;
  const warningOf = (key: string) => check.warnings.find((i) => i.key === key)?.message;
  const summary = datasets.find((d) => d.name === dataset);
  const examples = summary ? ((summary.splits as Record<string, number>)[split] ?? 0) : null;
  const pueN = Number(pue);
  const intensityN = Number(intensity);
  const outerIssues = [
    !base.trim() ? 'Base model: enter a Hugging Face id or a local folder' : null,
    !dataset ? 'Dataset: choose one (import one in Datasets first)' : null,
    examples === 0 ? `Split "${split}" of ${dataset} has no records` : null,
    !(pueN >= 1 && pueN <= 5) ? 'PUE: out of range: must be ≥ 1 and ≤ 5' : null,
    !(intensityN >= 0 && intensityN <= 5) ? 'Carbon intensity: out of range: must be ≥ 0 and ≤ 5' : null,
  ].filter((x): x is string => x !== null);
  const canStart = Boolean(preset) && check.config !== null && outerIssues.length === 0 && !starting;

  const submit = async () => {
    setSubmitted(true);
    if (!canStart || !preset || !check.config) return;
    await useTrainingStore.getState().start({
      dataset,
      split,
      evalSplit: evalSplit === '' ? null : evalSplit,
      base: base.trim(),
      preset: preset.name,
      template: { name: templateName },
      overrides: overridesOf(check.config, preset.config),
      name: name.trim() || undefined,
      exportGguf,
      pue: pueN,
      carbonIntensity: intensityN,
    });
  };

  return (
    <form
      className="model-details train-new"
      aria-labelledby="train-new-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && hasRuns) useTrainingStore.getState().closeNew();
      }}
    >
      <div className="dataset-header">
        <div className="dataset-title">
          <h1 id="train-new-title">New training run</h1>
          <p className="muted">LoRA / QLoRA fine-tuning on a CMD split; the preset is data, every value editable.</p>
        </div>
        <div className="dataset-actions">
          {hasRuns && (
            <button type="button" className="btn ghost" onClick={() => useTrainingStore.getState().closeNew()}>
              Cancel
            </button>
          )}
          <button type="submit" className="btn primary" disabled={starting} data-testid="train-start">
            {starting ? 'Starting…' : 'Start training'}
          </button>
        </div>
      </div>
      <div className="lab-scroll">
        <ErrorBanner message={presetsError} onRetry={() => void useTrainingStore.getState().loadPresets()} />
        <ErrorBanner
          message={startError?.message ?? null}
          issues={startError?.issues}
          onDismiss={() => useTrainingStore.setState({ startError: null })}
        />
        <WorkerPanel compact />
        <section className="card" aria-labelledby="train-what">
          <h3 id="train-what">What to train</h3>
          <div className="form-grid">
            <BaseField value={base} onChange={setBase} invalid={submitted && !base.trim()} />
            <label className="field">
              <span className="field-name">Run name (optional)</span>
              <input
                className="input"
                name="name"
                value={name}
                maxLength={120}
                onChange={(e) => setName(e.target.value)}
              />
            </label>
            <label className="field">
              <span className="field-name">Dataset</span>
              <select className="input" name="dataset" value={dataset} onChange={(e) => setDataset(e.target.value)}>
                {datasets.length === 0 && <option value="">(no datasets)</option>}
                {datasets.map((d) => (
                  <option key={d.name} value={d.name}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
            <div className="row gap">
              <label className="field">
                <span className="field-name">Training split</span>
                <select className="input" name="split" value={split} onChange={(e) => setSplit(e.target.value)}>
                  {SPLITS.map((s) => (
                    <option key={s} value={s}>
                      {s}
                      {summary ? ` (${formatCount((summary.splits as Record<string, number>)[s] ?? 0)})` : ''}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span className="field-name">Eval split</span>
                <select
                  className="input"
                  name="evalSplit"
                  value={evalSplit}
                  onChange={(e) => setEvalSplit(e.target.value)}
                >
                  <option value="">none (no early stopping)</option>
                  {SPLITS.filter((s) => s !== split).map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <label className="field">
              <span className="field-name">Preset</span>
              <select
                className="input"
                name="preset"
                value={preset?.name ?? ''}
                onChange={(e) => setPresetName(e.target.value)}
              >
                {presets.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name}
                    {p.name === 'srllm-paper'
                      ? ' (the paper’s, default)'
                      : p.name === 'srlab-recommended'
                        ? ' (srlab’s)'
                        : ''}
                  </option>
                ))}
              </select>
              {preset && (
                <span className="muted small" data-testid="preset-description">
                  {preset.description}. Source: {preset.source}.
                </span>
              )}
            </label>
            <label className="field">
              <span className="field-name">Prompt template</span>
              <select
                className="input"
                name="template"
                value={templateName}
                onChange={(e) => setTemplateName(e.target.value)}
              >
                {templates.length === 0 && <option value={DEFAULT_TEMPLATE_NAME}>{DEFAULT_TEMPLATE_NAME}</option>}
                {templates.map((t) => (
                  <option key={t.name} value={t.name}>
                    {t.name} v{t.version}
                    {t.name === DEFAULT_TEMPLATE_NAME
                      ? ' (the paper’s, Appendix C)'
                      : t.name === 'srllm-authors-code'
                        ? ' (the authors’ code)'
                        : ''}
                  </option>
                ))}
              </select>
              <span className="muted small">
                The examples’ system prompt and instruction (Llama-2 chat). Generate with the same template and the
                prompt is byte for byte what the model was trained on up to [/INST].
              </span>
            </label>
          </div>
        </section>

        {preset && (
          <PresetForm
            presetName={preset.name}
            sources={preset.sources}
            preset={preset.config}
            values={values}
            onChange={(key, v) => setValues((s) => ({ ...s, [key]: v }))}
            issueOf={issueOf}
            warningOf={warningOf}
            onResetAll={() => setValues(toFormValues(preset.config))}
          />
        )}

        <section className="card" aria-labelledby="train-out">
          <h3 id="train-out">Outputs and energy</h3>
          <div className="form-grid three">
            <label className="field checkbox">
              <input type="checkbox" checked={exportGguf} onChange={(e) => setExportGguf(e.target.checked)} />
              <span>Merge and convert to GGUF (registered in Models)</span>
            </label>
            <label className="field">
              <span className="field-name">PUE</span>
              <input
                className="input"
                type="number"
                step="any"
                min={1}
                max={5}
                value={pue}
                onChange={(e) => setPue(e.target.value)}
              />
            </label>
            <label className="field">
              <span className="field-name">Carbon intensity (kgCO2e/kWh)</span>
              <input
                className="input"
                type="number"
                step="any"
                min={0}
                max={5}
                value={intensity}
                onChange={(e) => setIntensity(e.target.value)}
              />
            </label>
          </div>
        </section>

        <Preflight
          config={check.config}
          examplesInSplit={examples}
          input={preflightInput({
            dataset,
            split,
            base,
            preset: preset?.name ?? null,
            overrides: preset && check.config ? overridesOf(check.config, preset.config) : null,
          })}
          template={templateName}
        />

        {(check.issues.length > 0 || (submitted && outerIssues.length > 0)) && (
          <div className="banner error" role="alert" data-testid="train-form-issues">
            <div className="banner-body">
              <strong>Fix before starting:</strong>
              <ul className="issues">
                {(submitted ? outerIssues : []).map((m) => (
                  <li key={m}>{m}</li>
                ))}
                {check.issues.map((i) => (
                  <li key={i.key}>
                    <code>{i.key}</code> {i.message}
                  </li>
                ))}
              </ul>
            </div>
          </div>
        )}
      </div>
    </form>
  );
}

function PresetForm({
  presetName,
  sources,
  preset,
  values,
  onChange,
  issueOf,
  warningOf,
  onResetAll,
}: {
  presetName: string;
  sources: Record<string, string>;
  preset: TrainConfig;
  values: FormValues;
  onChange: (key: string, v: string | boolean) => void;
  issueOf: (key: string) => string | undefined;
  warningOf: (key: string) => string | undefined;
  onResetAll: () => void;
}) {
  const changed = fieldsOf('lora')
    .concat(...TRAIN_GROUPS.slice(1).map((g) => fieldsOf(g.id)))
    .filter((f) => !isDefault(f, values[f.key], preset)).length;
  return (
    <section className="card" aria-labelledby="train-settings">
      <div className="row gap">
        <h3 id="train-settings">Training settings</h3>
        <span className="muted small">
          <span className="default-mark">●</span> = the {presetName} preset’s value; under each, where it comes from ·{' '}
          {changed} changed
        </span>
        <span className="spacer" />
        <button type="button" className="btn small ghost" disabled={changed === 0} onClick={onResetAll}>
          Reset all
        </button>
      </div>
      <div className="train-groups">
        {TRAIN_GROUPS.map((g) => (
          <fieldset key={g.id} className="train-group" data-group={g.id}>
            <legend>{g.label}</legend>
            {fieldsOf(g.id).map((f) => (
              <FieldRow
                key={f.key}
                field={f}
                value={values[f.key]}
                preset={preset}
                presetName={presetName}
                source={sourceOf(f, sources)}
                issue={issueOf(f.key)}
                warning={warningOf(f.key)}
                onChange={(v) => onChange(f.key, v)}
              />
            ))}
          </fieldset>
        ))}
      </div>
    </section>
  );
}

function FieldRow({
  field,
  value,
  preset,
  presetName,
  source,
  issue,
  warning,
  onChange,
}: {
  field: TrainField;
  value: string | boolean | undefined;
  preset: TrainConfig;
  presetName: string;
  /** Where the preset's value comes from, e.g. "paper, Tables 3–4". */
  source: string | null;
  issue?: string;
  warning?: string;
  onChange: (v: string | boolean) => void;
}) {
  const id = `train-${field.key}`;
  const atDefault = isDefault(field, value, preset);
  const reset = () => onChange(toFormValues(preset)[field.key]!);
  return (
    <div className={issue ? 'train-field invalid' : 'train-field'} data-key={field.key}>
      <label htmlFor={id} className="train-field-label" title={field.key}>
        {field.label}
        {atDefault && (
          <span className="default-mark" title={`The ${presetName} preset’s value`} aria-label="preset default">
            {' '}
            ●
          </span>
        )}
      </label>
      <div className="train-field-input">
        {field.kind === 'bool' ? (
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        ) : field.kind === 'enum' ? (
          <select
            id={id}
            className="input"
            value={String(value ?? '')}
            aria-describedby={`${id}-hint`}
            onChange={(e) => onChange(e.target.value)}
          >
            {field.options!.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        ) : (
          <input
            id={id}
            className="input"
            name={field.key}
            inputMode={field.kind === 'list' ? undefined : 'decimal'}
            value={String(value ?? '')}
            aria-invalid={issue ? true : undefined}
            aria-describedby={`${id}-hint`}
            onChange={(e) => onChange(e.target.value)}
          />
        )}
        <button
          type="button"
          className="btn small ghost icon"
          disabled={atDefault}
          onClick={reset}
          aria-label={`Reset ${field.label} to ${defaultText(field, preset)}`}
          title={`Reset to ${defaultText(field, preset)}`}
        >
          ↺
        </button>
      </div>
      <span id={`${id}-hint`} className={issue ? 'field-error' : warning ? 'warn-text small' : 'muted small'}>
        {issue ?? warning ?? (atDefault ? field.hint : `${presetName}: ${defaultText(field, preset)} · ${field.hint}`)}
        {source && (
          <span className="train-source" data-testid={`source-${field.key}`}>
            {' '}
            [{source}]
          </span>
        )}
      </span>
    </div>
  );
}

function Preflight({
  config,
  input: formInput,
  template,
  examplesInSplit,
}: {
  config: TrainConfig | null;
  input: Input<'train.preflight'> | null;
  /** The prompt template: the exported examples (and so their tokens) depend on it. */
  template: string;
  examplesInSplit: number | null;
}) {
  const input = formInput === null ? null : { ...formInput, template: { name: template } };
  const [answer, setAnswer] = useState<{ key: string; result: TrainPreflight | null; error: string | null } | null>(
    null,
  );
  const [loading, setLoading] = useState(false);
  /** The worker is counting tokens with the base's tokenizer (seconds the first time). */
  const [counting, setCounting] = useState(false);
  const key = preflightKey(input);
  useEffect(() => {
    if (key === null || input === null) return;
    let stale = false;
    const timer = setTimeout(() => {
      setLoading(true);
      setCounting(false);
      // A quick answer first (characters / 4 unless this split was counted before), then the
      // real count, which replaces it when it lands.
      api
        .call('train.preflight', { ...input, countTokens: false })
        .then((quick) => {
          if (stale) return;
          setAnswer({ key, result: quick, error: null });
          setLoading(false);
          if (quick.tokens.basis === 'tokenizer') return;
          setCounting(true);
          return api
            .call('train.preflight', { ...input, countTokens: true })
            .then((full) => !stale && setAnswer({ key, result: full, error: null }))
            .catch(() => undefined) // the quick answer stands
            .finally(() => !stale && setCounting(false));
        })
        .catch((err: unknown) => {
          if (stale) return;
          setAnswer({ key, result: null, error: errorMessage(err) });
          setLoading(false);
        });
    }, PREFLIGHT_DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
    // `input` is rebuilt every render; `key` is its value, so the request follows `key` only.
  }, [key]);
  if (!config) return null;
  const result = answer?.result ?? null;
  const view = preflightView(result, config, plannedSteps);
  const current = answer !== null && answer.key === key;
  const pending = loading || !current;
  return (
    <section
      className="card"
      aria-labelledby="train-preflight"
      data-testid="train-preflight"
      aria-busy={loading || counting || undefined}
    >
      <div className="row gap">
        <h3 id="train-preflight">Preflight</h3>
        <span className="muted small">
          {input === null
            ? 'Enter a base model to check the run.'
            : loading || !current
              ? 'Checking…'
              : counting
                ? 'Counting tokens with the base’s tokenizer (a few seconds the first time)…'
                : 'From the exported split and the base’s config.json.'}
        </span>
      </div>
      {answer?.error && current && <p className="field-error">{answer.error}</p>}
      <dl className="stat-row">
        <div className="stat">
          <dt>Memory estimate</dt>
          <dd title={view.memoryTitle}>{view.memory}</dd>
        </div>
        <div className="stat">
          <dt>Free VRAM (best GPU)</dt>
          <dd className={result?.fits === false ? 'warn-text' : undefined}>{view.device}</dd>
        </div>
        <div className="stat">
          <dt>Examples in split</dt>
          <dd>{result ? view.examples : examplesInSplit !== null ? formatCount(examplesInSplit) : '–'}</dd>
        </div>
        <div className="stat">
          <dt>Tokens</dt>
          <dd title={view.tokensTitle} data-testid="preflight-tokens">
            {pending && input !== null ? (
              <span className="muted">…</span>
            ) : (
              <>
                {view.tokens}{' '}
                {counting ? (
                  <span className="pill" data-testid="preflight-tokens-basis">
                    counting with the tokenizer…
                  </span>
                ) : (
                  view.tokensBadge && (
                    <span
                      className={`pill ${view.tokensBadge === 'real' ? 'good' : 'mild'}`}
                      data-testid="preflight-tokens-basis"
                    >
                      {view.tokensBadge === 'real' ? 'tokenizer' : 'estimated'}
                    </span>
                  )
                )}
              </>
            )}
          </dd>
        </div>
        <div className="stat">
          <dt>Truncated</dt>
          <dd className={result && result.truncated > 0 ? 'warn-text' : undefined}>
            {pending && input !== null ? '…' : view.truncated}
          </dd>
        </div>
        <div className="stat">
          <dt>Steps</dt>
          <dd data-testid="preflight-steps">
            {result || examplesInSplit === null || examplesInSplit === 0
              ? view.steps
              : formatCount(plannedSteps(examplesInSplit, config))}
          </dd>
        </div>
        <div className="stat">
          <dt>Duration</dt>
          <dd title={view.durationTitle} data-testid="preflight-duration">
            {pending && input !== null ? (
              <span className="muted">…</span>
            ) : (
              <>
                {view.duration}{' '}
                {view.durationBadge && (
                  <span
                    className={`pill ${view.durationBadge === 'measured' ? 'good' : view.durationBadge === 'estimated' ? 'mild' : 'missing'}`}
                  >
                    {view.durationBadge}
                  </span>
                )}
              </>
            )}
          </dd>
        </div>
      </dl>
      {result && result.problems.length > 0 && (
        <ul className="issues warn-text" data-testid="preflight-problems">
          {result.problems.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      <p className="muted small">
        {result ? `${view.model}. ` : ''}
        {result?.memory ? 'Memory is an estimate for planning (hover for the parts), not a measurement. ' : ''}
        {result ? `${result.gpuNote}. ` : ''}
        {result?.tokens.estimated ? `Tokens are estimated as characters / 4 (${result.tokens.reason}). ` : ''}
        {result ? `Duration: ${result.duration.detail}. ` : ''}
        The run view shows the real rate and ETA once steps land.
      </p>
    </section>
  );
}
