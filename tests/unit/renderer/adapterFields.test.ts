// The adapter field's value becomes `adapterRun` (a training run, what a browser may give) or
// `adapter` (a file path, local callers only); the request builders use it.
import { describe, expect, it } from 'vitest';
import { adapterFields } from '../../../src/renderer/src/lib/llmForms';
import { emptyRunForm, runRequest } from '../../../src/renderer/src/areas/runs/runForm';
import { targetLabel } from '../../../src/renderer/src/lib/llmFormat';

describe('adapterFields', () => {
  it('reads run:ID as a training run, anything else as a path, empty as none', () => {
    expect(adapterFields('run:12')).toEqual({ adapterRun: 12 });
    expect(adapterFields('  /models/lora.gguf ')).toEqual({ adapter: '/models/lora.gguf' });
    expect(adapterFields('')).toEqual({});
    // Not a run id: kept as the path it is, so the server (not the form) decides.
    expect(adapterFields('run:x')).toEqual({ adapter: 'run:x' });
    expect(adapterFields('run:0')).toEqual({ adapter: 'run:0' });
  });

  it('runRequest sends a chosen training run as adapterRun', () => {
    const form = emptyRunForm({
      model: 'tiny',
      adapter: 'run:7',
      adapterScale: '0.5',
      sourceKind: 'texts',
      textsName: 't',
      texts: 'a text',
    });
    const { request, problems } = runRequest(form, null);
    expect(problems).toEqual([]);
    expect(request?.target).toEqual({ kind: 'local', model: 'tiny', adapterRun: 7, adapterScale: 0.5 });
  });

  it('labels a target with a training run’s adapter', () => {
    expect(targetLabel({ kind: 'local', model: 'tiny', adapterRun: 3, adapterScale: 1 })).toBe(
      'tiny + adapter of training run 3',
    );
  });
});
