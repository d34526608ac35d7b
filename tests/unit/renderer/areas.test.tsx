// The renderer's area registry (src/renderer/src/areas/index.ts): every area folder is
// registered, in the nav order the e2e tests and the checklist rely on; the hash picks the area;
// each area's onEvent routes server events to its own stores. And the two shared pieces that
// replaced duplicated markup: the decoding/load fields and the job Cancel/Resume/Remove header.
import fs from 'node:fs';
import path from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import type { RunSummary } from '../../../src/shared/contracts/runs';
import { AREA_IDS, AREAS } from '../../../src/renderer/src/areas';
import { usePlaygroundStore } from '../../../src/renderer/src/areas/playground/playground';
import { useRunsStore } from '../../../src/renderer/src/areas/runs/runs';
import { DecodingFields, LoadFields } from '../../../src/renderer/src/components/DecodingFields';
import { JobActions } from '../../../src/renderer/src/components/JobActions';
import { DEFAULT_DECODING_FORM, EMPTY_LOAD_FORM } from '../../../src/renderer/src/lib/llmForms';
import { areaFromHash } from '../../../src/renderer/src/stores/area';
import { REPO_ROOT } from '../../helpers';

const AREAS_DIR = path.join(REPO_ROOT, 'src/renderer/src/areas');

describe('area registry', () => {
  test('the areas in nav order, with the labels the nav links are found by', () => {
    // New areas may come anywhere; these keep their ids (URL hashes) and labels (e2e tests).
    const known = new Set(['datasets', 'models', 'playground', 'runs', 'training']);
    expect(AREAS.filter((a) => known.has(a.id)).map((a) => [a.id, a.label])).toEqual([
      ['datasets', 'Datasets'],
      ['models', 'Models'],
      ['playground', 'Playground'],
      ['runs', 'Runs'],
      ['training', 'Training'],
    ]);
    expect(new Set(AREA_IDS).size).toBe(AREAS.length);
    for (const a of AREAS) {
      expect(a.icon.length, a.id).toBeGreaterThan(0);
      expect(typeof a.Component, a.id).toBe('function');
    }
  });

  test('every folder with an index.ts is a registered area whose id is the folder name', () => {
    const folders = fs
      .readdirSync(AREAS_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(AREAS_DIR, d.name, 'index.ts')))
      .map((d) => d.name)
      .sort();
    expect([...AREA_IDS].sort()).toEqual(folders);
  });

  test('the hash picks the area; anything else shows the first one', () => {
    expect(areaFromHash('#/models', AREA_IDS)).toBe('models');
    expect(areaFromHash('#/training?x=1', AREA_IDS)).toBe('training');
    expect(areaFromHash('#/evaluation', AREA_IDS)).toBe('datasets');
    expect(areaFromHash('', AREA_IDS)).toBe('datasets');
    expect(areaFromHash('#/models', [])).toBeUndefined();
  });
});

describe('areas react to the events that concern them', () => {
  const run = {
    id: 7,
    name: 'r',
    state: 'running',
    jobId: 3,
    total: 10,
    done: 1,
    errors: 0,
  } as unknown as RunSummary;
  const broadcast = (event: Parameters<NonNullable<(typeof AREAS)[number]['onEvent']>>[0]) => {
    for (const a of AREAS) a.onEvent?.(event);
  };

  test('a run event reaches the runs store, and only a run event', () => {
    useRunsStore.setState({ runs: [] });
    broadcast({ type: 'chat-token', streamId: 's', text: 'x' });
    expect(useRunsStore.getState().runs).toEqual([]);
    broadcast({ type: 'run', run });
    expect(useRunsStore.getState().runs.map((r) => r.id)).toEqual([7]);
  });

  test('streamed playground text reaches the playground store for its stream only', () => {
    usePlaygroundStore.setState({ streamId: 'mine', streamed: '', running: true });
    broadcast({ type: 'chat-token', streamId: 'other', text: 'no' });
    broadcast({ type: 'chat-token', streamId: 'mine', text: 'yes' });
    expect(usePlaygroundStore.getState().streamed).toBe('yes');
  });
});

describe('DecodingFields / LoadFields', () => {
  const names = (html: string) => [...html.matchAll(/name="(\w+)"/g)].map((m) => m[1]);

  test('greedy: max tokens, temperature, seed and stop strings; no top-k/top-p', () => {
    const html = renderToStaticMarkup(<DecodingFields value={DEFAULT_DECODING_FORM} onChange={() => {}} />);
    expect(names(html)).toEqual(['maxTokens', 'temperature', 'seed', 'stop']);
    expect(html).toContain('Greedy (temperature 0)');
    expect(html).toContain('value="256"');
  });

  test('sampling adds top-k and top-p', () => {
    const html = renderToStaticMarkup(
      <DecodingFields value={{ ...DEFAULT_DECODING_FORM, temperature: '0.7' }} onChange={() => {}} wide />,
    );
    expect(names(html)).toEqual(['maxTokens', 'temperature', 'seed', 'topK', 'topP', 'stop']);
    expect(html).toContain('form-grid four');
    expect(html).toContain('Sampling with the seed below.');
  });

  test('load fields are named, empty meaning auto', () => {
    const html = renderToStaticMarkup(<LoadFields value={EMPTY_LOAD_FORM} onChange={() => {}} />);
    expect(names(html)).toEqual(['threads', 'contextSize', 'gpuLayers']);
    expect(html.match(/placeholder="auto"/g)).toHaveLength(3);
  });
});

describe('JobActions', () => {
  const noop = async () => {};
  const buttons = (html: string) => [...html.matchAll(/<button[^>]*>([^<]*)<\/button>/g)].map((m) => m[1]);

  test('shows only the actions that apply, with the caller’s labels', () => {
    expect(
      buttons(renderToStaticMarkup(<JobActions cancel={{ label: 'Cancel run', run: noop }} resume={null} />)),
    ).toEqual(['Cancel run']);
    expect(
      buttons(
        renderToStaticMarkup(<JobActions cancel={null} resume={{ label: 'Resume', run: noop }} onRemove={() => {}} />),
      ),
    ).toEqual(['Resume', 'Remove']);
    expect(buttons(renderToStaticMarkup(<JobActions cancel={null} resume={null} onRemove={null} />))).toEqual([]);
  });
});
