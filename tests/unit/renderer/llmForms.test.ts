import { describe, expect, test } from 'vitest';
import type { TemplateSpec } from '../../../src/shared/contracts/llm';
import { contracts } from '../../../src/shared/api';
import {
  decodingFromForm,
  DEFAULT_DECODING_FORM,
  formatStopStrings,
  parseStopStrings,
} from '../../../src/renderer/src/lib/llmForms';
import { emptyRunForm, MODEL_TEMPLATE, runRequest } from '../../../src/renderer/src/areas/runs/runForm';
import { templateRef } from '../../../src/renderer/src/areas/playground/templateDraft';
import {
  endpointRequest,
  EMPTY_ENDPOINT_FORM,
  hfUriFromUrl,
  hfUriProblem,
} from '../../../src/renderer/src/areas/models/modelForms';

const PAPER: TemplateSpec = { format: 'llama2-chat', systemPrompt: 'Be fair.', instruction: 'Rewrite: "{text}"' };

describe('stop strings', () => {
  test('one per line, with \\n, \\t and \\\\ escapes, and back', () => {
    const stop = parseStopStrings('</s>\n\\n\\nUser:\n\nC:\\\\x');
    expect(stop).toEqual(['</s>', '\n\nUser:', 'C:\\x']);
    expect(parseStopStrings(formatStopStrings(stop))).toEqual(stop);
  });
});

describe('decoding form', () => {
  test('the defaults are greedy decoding as in the paper', () => {
    const problems: string[] = [];
    const d = decodingFromForm(DEFAULT_DECODING_FORM, problems);
    expect(problems).toEqual([]);
    expect(d).toEqual({ maxTokens: 256, temperature: 0, seed: 42 });
  });
  test('top-k and top-p are only sent when sampling', () => {
    const problems: string[] = [];
    expect(decodingFromForm({ ...DEFAULT_DECODING_FORM, topK: '40', topP: '0.9' }, problems)).not.toHaveProperty(
      'topK',
    );
    expect(
      decodingFromForm({ ...DEFAULT_DECODING_FORM, temperature: '0.7', topK: '40', topP: '0.9' }, problems),
    ).toMatchObject({
      temperature: 0.7,
      topK: 40,
      topP: 0.9,
    });
  });
  test('every out-of-range field is reported at once', () => {
    const problems: string[] = [];
    decodingFromForm({ ...DEFAULT_DECODING_FORM, maxTokens: '0', temperature: 'hot', seed: '-1' }, problems);
    expect(problems).toHaveLength(3);
  });
});

describe('templates', () => {
  test('an unchanged saved template is sent by name and version (its provenance is kept)', () => {
    expect(templateRef({ ...PAPER, base: { name: 'sr-llm-paper', version: 1 } }, PAPER)).toEqual({
      name: 'sr-llm-paper',
      version: 1,
    });
  });
  test('an edited one is sent inline', () => {
    const ref = templateRef({ ...PAPER, systemPrompt: 'Be kind.', base: { name: 'sr-llm-paper', version: 1 } }, PAPER);
    expect(ref).toEqual({ inline: { ...PAPER, systemPrompt: 'Be kind.' } });
  });
});

describe('new run form', () => {
  test('a dataset run gives a runs.start input the contract accepts', () => {
    const form = emptyRunForm({
      model: 'tiny',
      dataset: 'cmd-demo',
      limit: '5',
      load: { threads: '1', contextSize: '', gpuLayers: '' },
    });
    form.decoding.maxTokens = '16';
    const { request, problems } = runRequest(form, PAPER);
    expect(problems).toEqual([]);
    expect(request).toEqual({
      target: { kind: 'local', model: 'tiny' },
      source: { kind: 'dataset', dataset: 'cmd-demo', split: 'test', limit: 5 },
      template: { name: 'sr-llm-paper' },
      decoding: { maxTokens: 16, temperature: 0, seed: 42 },
      parallel: 1,
      load: { threads: 1 },
    });
    expect(contracts.runs.start.input.safeParse(request).success).toBe(true);
  });

  test('the model’s own template borrows the paper’s system prompt and instruction', () => {
    const { request } = runRequest(emptyRunForm({ model: 'tiny', dataset: 'd', template: MODEL_TEMPLATE }), PAPER);
    expect(request!.template).toEqual({ inline: { ...PAPER, format: 'model' } });
  });

  test('a test set of texts, one per line, blank lines ignored, with an adapter', () => {
    const form = emptyRunForm({
      model: 'tiny',
      adapter: ' /tmp/lora.gguf ',
      adapterScale: '0.5',
      sourceKind: 'texts',
      textsName: 'bold',
      texts: 'first\n\n  second  \n',
      parallel: '4',
    });
    const { request } = runRequest(form, PAPER);
    expect(request!.target).toEqual({ kind: 'local', model: 'tiny', adapter: '/tmp/lora.gguf', adapterScale: 0.5 });
    expect(request!.source).toEqual({ kind: 'texts', name: 'bold', texts: ['first', 'second'] });
    expect(request!.parallel).toBe(4);
    expect(contracts.runs.start.input.safeParse(request).success).toBe(true);
  });

  test('an endpoint run needs an endpoint; missing choices are all reported', () => {
    const { request, problems } = runRequest(emptyRunForm({ targetKind: 'endpoint', parallel: '100' }), PAPER);
    expect(request).toBeNull();
    expect(problems).toEqual([
      'Choose an endpoint.',
      'Choose a dataset.',
      'Parallel sequences must be a whole number from 1 to 64.',
    ]);
  });
});

describe('Hugging Face files', () => {
  test('hf: URIs are checked against the contract’s pattern', () => {
    expect(hfUriProblem('hf:TheBloke/Llama-2-7B-Chat-GGUF/llama-2-7b-chat.Q4_K_M.gguf')).toBeNull();
    expect(hfUriProblem('hf:owner/repo/model.bin')).toMatch(/\.gguf/);
    expect(hfUriProblem('')).toMatch(/hf:OWNER/);
  });
  test('a huggingface.co file link becomes an hf: URI (a branch other than main becomes @REVISION)', () => {
    expect(
      hfUriFromUrl('https://huggingface.co/TheBloke/Llama-2-7B-Chat-GGUF/blob/main/llama-2-7b-chat.Q4_K_M.gguf'),
    ).toBe('hf:TheBloke/Llama-2-7B-Chat-GGUF/llama-2-7b-chat.Q4_K_M.gguf');
    expect(hfUriFromUrl('https://huggingface.co/o/r/resolve/v2/sub/m.gguf?download=true')).toBe('hf:o/r/sub/m.gguf@v2');
    expect(hfUriFromUrl(' hf:o/r/m.gguf ')).toBe('hf:o/r/m.gguf');
  });
});

describe('endpoint form', () => {
  const form = { ...EMPTY_ENDPOINT_FORM, name: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1', model: 'llama' };
  test('an empty key field keeps the stored key (apiKey left out); a typed key is sent; "delete" sends null', () => {
    expect(endpointRequest(form).request).not.toHaveProperty('apiKey');
    expect(endpointRequest({ ...form, apiKey: ' sk-1 ' }).request!.apiKey).toBe('sk-1');
    expect(endpointRequest({ ...form, apiKey: 'sk-1', removeKey: true }).request!.apiKey).toBeNull();
    expect(contracts.endpoints.save.input.safeParse(endpointRequest(form).request).success).toBe(true);
  });
  test('a URL that is not http(s) is refused before sending', () => {
    expect(endpointRequest({ ...form, baseUrl: 'ftp://x' }).problems).toEqual([
      'The base URL must be an http(s) URL, e.g. http://127.0.0.1:8000/v1.',
    ]);
  });
});
