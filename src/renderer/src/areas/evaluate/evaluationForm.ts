// The New evaluation form → the `evaluation.plan` / `evaluation.start` config, with the problems a
// user can fix before anything is sent. Test sets × generators × scorers are lists the user builds;
// decoding, template and the t-test are shared by the whole evaluation. Pure.
import type { EvaluationConfigInput } from '../../../../shared/contracts/evaluation';
import type { ScorerSpecInput } from '../../../../shared/contracts/scorers';
import {
  adapterFields,
  decodingFromForm,
  DEFAULT_DECODING_FORM,
  parseIntField,
  parseNumberField,
  type DecodingForm,
} from '../../lib/llmForms';

/** A test set row: a CMD dataset's split, or an imported standard test set by name. */
export type TestsetChoice =
  | { kind: 'cmd'; dataset: string; split: 'train' | 'dev' | 'test'; limit: string }
  | { kind: 'testset'; testset: string; limit: string; groups: string[] };

export type GeneratorChoice =
  | { kind: 'local'; model: string; adapter: string; label: string }
  | { kind: 'endpoint'; endpoint: string; label: string };

export type ScorerChoice =
  | { kind: 'embedded'; classifier: string }
  | { kind: 'hf'; classifier: string }
  | { kind: 'judge'; model: string; format: 'llama-guard' | 'rubric' }
  | { kind: 'moderation'; endpoint: string; threshold: string };

export const TTEST_ALTERNATIVES = ['two-sided', 'greater', 'less'] as const;

export interface EvaluationForm {
  name: string;
  testsets: TestsetChoice[];
  generators: GeneratorChoice[];
  baselineInitial: boolean;
  scorers: ScorerChoice[];
  /** A saved template's name. */
  template: string;
  parallel: string;
  decoding: DecodingForm;
  /** Imported StereoSet / CrowS-Pairs test sets for Tables 7–8 ('' = none). */
  stereoset: string;
  crowsPairs: string;
  likelihoodLimit: string;
  ttestMeasure: 'reduction' | 'output';
  ttestAlternative: (typeof TTEST_ALTERNATIVES)[number];
  ttestAlpha: string;
  ttestMu: string;
}

export function emptyEvaluationForm(preset: Partial<EvaluationForm> = {}): EvaluationForm {
  return {
    name: '',
    testsets: [],
    generators: [],
    baselineInitial: true,
    scorers: [],
    template: 'sr-llm-paper',
    parallel: '1',
    decoding: { ...DEFAULT_DECODING_FORM },
    stereoset: '',
    crowsPairs: '',
    likelihoodLimit: '',
    ttestMeasure: 'reduction',
    ttestAlternative: 'two-sided',
    ttestAlpha: '0.05',
    ttestMu: '0',
    ...preset,
  };
}

/** A stable key for a list row (React keys, "already added" checks). */
export function testsetChoiceKey(t: TestsetChoice): string {
  return t.kind === 'cmd' ? `cmd:${t.dataset}:${t.split}` : `testset:${t.testset}`;
}

export function generatorChoiceKey(g: GeneratorChoice): string {
  return g.kind === 'local' ? `local:${g.model}:${g.adapter.trim()}` : `endpoint:${g.endpoint}`;
}

export function scorerChoiceKey(s: ScorerChoice): string {
  switch (s.kind) {
    case 'embedded':
    case 'hf':
      return `${s.kind}:${s.classifier}`;
    case 'judge':
      return `judge:${s.format}:${s.model}`;
    case 'moderation':
      return `moderation:${s.endpoint}`;
  }
}

/** `list` with `item` added at the end, unless a row with the same key is there already. */
export function addUnique<T>(list: T[], item: T, key: (t: T) => string): T[] {
  const k = key(item);
  return list.some((x) => key(x) === k) ? list : [...list, item];
}

/** The row label a generator gets when none is given (what the tables show). */
export function defaultGeneratorLabel(g: GeneratorChoice): string {
  if (g.kind === 'endpoint') return g.endpoint;
  const adapter = g.adapter.trim();
  if (!adapter) return g.model;
  const fields = adapterFields(adapter);
  return fields.adapterRun !== undefined
    ? `${g.model} + run ${fields.adapterRun}`
    : `${g.model} + ${adapter.split(/[\\/]/).pop()}`;
}

export type EvaluationConfigRequest = EvaluationConfigInput;

/** The config to send, or the problems that keep it from being sent. */
export function evaluationConfig(form: EvaluationForm): {
  config: EvaluationConfigRequest | null;
  problems: string[];
} {
  const problems: string[] = [];
  if (form.testsets.length === 0) problems.push('Add at least one test set.');
  if (form.generators.length === 0 && !form.baselineInitial)
    problems.push('Add a generator, or keep the “initial” row (the scorers on the inputs).');
  if (form.scorers.length === 0) problems.push('Add at least one scorer: the tables count what scorers flag.');

  const testsets: EvaluationConfigRequest['testsets'] = form.testsets.map((t, i) => {
    const limit = parseIntField(t.limit, `Test set ${i + 1}: limit`, 1, 1e9, problems);
    if (t.kind === 'cmd') {
      if (!t.dataset) problems.push(`Test set ${i + 1}: choose a dataset.`);
      return { kind: 'cmd', dataset: t.dataset, split: t.split, ...(limit !== undefined ? { limit } : {}) };
    }
    if (!t.testset) problems.push(`Test set ${i + 1}: choose an imported test set.`);
    return {
      kind: 'testset',
      testset: t.testset,
      ...(limit !== undefined ? { limit } : {}),
      ...(t.groups.length ? { groups: t.groups } : {}),
    };
  });

  const labels = new Set<string>();
  const generators: EvaluationConfigRequest['generators'] = form.generators.map((g, i) => {
    const label = g.label.trim() || defaultGeneratorLabel(g);
    if (label === 'initial')
      problems.push(`Generator ${i + 1}: “initial” is the row of the inputs; choose another label.`);
    if (labels.has(label))
      problems.push(`Generator ${i + 1}: the label “${label}” is used twice; give each row its own.`);
    labels.add(label);
    if (g.kind === 'local') {
      if (!g.model) problems.push(`Generator ${i + 1}: choose a model.`);
      return {
        kind: 'local',
        model: g.model,
        ...(g.adapter.trim() ? adapterFields(g.adapter) : {}),
        ...(g.label.trim() ? { label: g.label.trim() } : {}),
      };
    }
    if (!g.endpoint) problems.push(`Generator ${i + 1}: choose an endpoint.`);
    return { kind: 'endpoint', endpoint: g.endpoint, ...(g.label.trim() ? { label: g.label.trim() } : {}) };
  });

  const scorers: ScorerSpecInput[] = form.scorers.map((s, i) => {
    switch (s.kind) {
      case 'embedded':
      case 'hf':
        if (!s.classifier) problems.push(`Scorer ${i + 1}: choose a classifier.`);
        return { kind: s.kind, classifier: s.classifier };
      case 'judge':
        if (!s.model) problems.push(`Scorer ${i + 1}: choose the judge model.`);
        return { kind: 'judge', model: s.model, format: s.format };
      case 'moderation': {
        if (!s.endpoint) problems.push(`Scorer ${i + 1}: choose the moderation endpoint.`);
        const threshold = parseNumberField(s.threshold, `Scorer ${i + 1}: threshold`, 0, 1, problems);
        return { kind: 'moderation', endpoint: s.endpoint, threshold: threshold ?? 0.5 };
      }
    }
  });

  const parallel = parseIntField(form.parallel, 'Parallel sequences', 1, 64, problems);
  const decoding = decodingFromForm(form.decoding, problems);
  const likelihoodLimit = parseIntField(form.likelihoodLimit, 'Likelihood limit', 1, 1e9, problems);
  const alpha = parseNumberField(form.ttestAlpha, 't-test alpha', 0, 1, problems);
  if (alpha !== undefined && (alpha <= 0 || alpha >= 1))
    problems.push('t-test alpha must be between 0 and 1 (exclusive).');
  const mu = parseNumberField(form.ttestMu, 't-test mu', -1e6, 1e6, problems);
  if (!form.template) problems.push('Choose a template.');

  if (problems.length) return { config: null, problems };
  const likelihood =
    form.stereoset || form.crowsPairs
      ? {
          ...(form.stereoset ? { stereoset: form.stereoset } : {}),
          ...(form.crowsPairs ? { crowsPairs: form.crowsPairs } : {}),
          ...(likelihoodLimit !== undefined ? { limit: likelihoodLimit } : {}),
        }
      : undefined;
  return {
    config: {
      ...(form.name.trim() ? { name: form.name.trim() } : {}),
      testsets,
      generators,
      baselineInitial: form.baselineInitial,
      scorers: scorers as EvaluationConfigRequest['scorers'],
      template: { name: form.template },
      decoding,
      parallel: parallel ?? 1,
      ...(likelihood ? { likelihood } : {}),
      ttest: {
        measure: form.ttestMeasure,
        alternative: form.ttestAlternative,
        alpha: alpha ?? 0.05,
        mu: mu ?? 0,
      },
    },
    problems,
  };
}
