// The New run dialog's form → the `runs.start` input, with the problems a user can fix before
// anything is sent. Pure.
import type { Input } from '../../../../shared/api';
import type { TemplateRef, TemplateSpec } from '../../../../shared/contracts/llm';
import {
  adapterFields,
  decodingFromForm,
  DEFAULT_DECODING_FORM,
  EMPTY_LOAD_FORM,
  loadFromForm,
  parseIntField,
  parseNumberField,
  type DecodingForm,
  type LoadForm,
} from '../../lib/llmForms';

export const RUN_SPLITS = ['test', 'dev', 'train', 'all'] as const;
export type RunSplit = (typeof RUN_SPLITS)[number];

export interface RunForm {
  name: string;
  targetKind: 'local' | 'endpoint';
  model: string;
  adapter: string;
  adapterScale: string;
  endpoint: string;
  sourceKind: 'dataset' | 'texts';
  dataset: string;
  split: RunSplit;
  limit: string;
  textsName: string;
  texts: string;
  /** A saved template's name, or MODEL_TEMPLATE for the model's own chat template. */
  template: string;
  parallel: string;
  decoding: DecodingForm;
  load: LoadForm;
}

export const MODEL_TEMPLATE = '(model)';

export function emptyRunForm(preset: Partial<RunForm> = {}): RunForm {
  return {
    name: '',
    targetKind: 'local',
    model: '',
    adapter: '',
    adapterScale: '1',
    endpoint: '',
    sourceKind: 'dataset',
    dataset: '',
    split: 'test',
    limit: '',
    textsName: 'prompts',
    texts: '',
    template: 'sr-llm-paper',
    parallel: '1',
    decoding: { ...DEFAULT_DECODING_FORM },
    load: { ...EMPTY_LOAD_FORM },
    ...preset,
  };
}

export type RunRequest = Input<'runs.start'>;

/**
 * The `runs.start` input, or the problems that keep it from being sent. `paper` is the spec
 * the model's own template borrows its system prompt and instruction from.
 */
export function runRequest(
  form: RunForm,
  paper: TemplateSpec | null,
): { request: RunRequest | null; problems: string[] } {
  const problems: string[] = [];
  let target: RunRequest['target'];
  if (form.targetKind === 'local') {
    if (!form.model) problems.push('Choose a model.');
    const scale = parseNumberField(form.adapterScale, 'Adapter scale', 0, 10, problems);
    target = {
      kind: 'local',
      model: form.model,
      ...(form.adapter.trim()
        ? { ...adapterFields(form.adapter), ...(scale !== undefined ? { adapterScale: scale } : {}) }
        : {}),
    };
  } else {
    if (!form.endpoint) problems.push('Choose an endpoint.');
    target = { kind: 'endpoint', endpoint: form.endpoint };
  }

  let source: RunRequest['source'];
  if (form.sourceKind === 'dataset') {
    if (!form.dataset) problems.push('Choose a dataset.');
    const limit = parseIntField(form.limit, 'Limit', 1, 10_000_000, problems);
    source = { kind: 'dataset', dataset: form.dataset, split: form.split, ...(limit !== undefined ? { limit } : {}) };
  } else {
    const texts = form.texts
      .split(/\r?\n/)
      .map((t) => t.trim())
      .filter((t) => t !== '');
    if (texts.length === 0) problems.push('Give at least one text, one per line.');
    if (!form.textsName.trim()) problems.push('Name the test set.');
    source = { kind: 'texts', name: form.textsName.trim(), texts };
  }

  let template: TemplateRef;
  if (form.template === MODEL_TEMPLATE) {
    if (!paper) problems.push('The templates are still loading.');
    template = {
      inline: {
        format: 'model',
        systemPrompt: paper?.systemPrompt ?? '',
        instruction: paper?.instruction ?? '{text}',
      },
    };
  } else {
    if (!form.template) problems.push('Choose a template.');
    template = { name: form.template };
  }

  const parallel = parseIntField(form.parallel, 'Parallel sequences', 1, 64, problems);
  const decoding = decodingFromForm(form.decoding, problems);
  const load = loadFromForm(form.load, problems);
  if (problems.length) return { request: null, problems };
  return {
    request: {
      ...(form.name.trim() ? { name: form.name.trim() } : {}),
      target,
      source,
      template,
      decoding,
      parallel: parallel ?? 1,
      load,
    },
    problems,
  };
}
