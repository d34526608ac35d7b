// The first-run checklist's "what is done" logic (src/renderer/src/lib/firstRun.ts), step by step,
// from the facts the list calls return — the demo dataset counting for nothing included.
import { describe, expect, test } from 'vitest';
import { DEMO_DATASET as CORE_DEMO_DATASET } from '../../../src/main/core';
import {
  allDone,
  checklistSteps,
  DEMO_DATASET,
  showChecklist,
  type FirstRunFacts,
  type StepId,
} from '../../../src/renderer/src/lib/firstRun';

const DEMO = { name: 'cmd-demo', records: 240, splits: { train: 168, dev: 24, test: 48, none: 0 } };
const NEW_HOME: FirstRunFacts = { datasets: [DEMO], models: 0, runs: [], trainRuns: [] };

function done(facts: Partial<FirstRunFacts>): StepId[] {
  return checklistSteps({ ...NEW_HOME, ...facts })
    .filter((s) => s.done)
    .map((s) => s.id);
}

describe('first-run checklist', () => {
  test('the steps, in the workflow order, each linking to its area; evaluation is "coming", not a link', () => {
    const steps = checklistSteps(NEW_HOME);
    expect(steps.map((s) => [s.id, s.area, s.coming])).toEqual([
      ['import', 'datasets', false],
      ['split', 'datasets', false],
      ['model', 'models', false],
      ['generate', 'runs', false],
      ['train', 'training', false],
      ['evaluate', 'evaluate', false],
    ]);
  });

  test('a new data home (the demo, imported and split) and an empty one have nothing done', () => {
    expect(done({})).toEqual([]);
    expect(done({ datasets: [] })).toEqual([]);
    expect(showChecklist(checklistSteps(NEW_HOME), false)).toBe(true);
  });

  test('import is done by a dataset of the user’s own with records; split by one that is split', () => {
    const unsplit = { name: 'mine', records: 10, splits: { train: 0, dev: 0, test: 0, none: 10 } };
    expect(done({ datasets: [DEMO, unsplit] })).toEqual(['import']);
    const split = { ...unsplit, splits: { train: 7, dev: 1, test: 2, none: 0 } };
    expect(done({ datasets: [DEMO, split] })).toEqual(['import', 'split']);
    // An empty dataset of one's own imported nothing.
    expect(done({ datasets: [{ ...unsplit, records: 0 }] })).toEqual([]);
  });

  test('a model in the library, a finished generation run and a finished training run tick their steps', () => {
    expect(done({ models: 1 })).toEqual(['model']);
    expect(done({ runs: [{ state: 'running' }, { state: 'failed' }, { state: 'interrupted' }] })).toEqual([]);
    expect(done({ runs: [{ state: 'failed' }, { state: 'succeeded' }] })).toEqual(['generate']);
    expect(done({ trainRuns: [{ state: 'cancelled' }, { state: 'queued' }] })).toEqual([]);
    expect(done({ trainRuns: [{ state: 'succeeded' }] })).toEqual(['train']);
  });

  test('it hides when dismissed, and when every step is done (evaluation too, from a finished evaluation)', () => {
    const allButEvaluation: FirstRunFacts = {
      datasets: [{ name: 'mine', records: 3, splits: { train: 2, dev: 0, test: 1, none: 0 } }],
      models: 2,
      runs: [{ state: 'succeeded' }],
      trainRuns: [{ state: 'succeeded' }],
      evaluations: [{ state: 'failed' }],
    };
    const before = checklistSteps(allButEvaluation);
    expect(before.find((s) => s.id === 'evaluate')?.done).toBe(false);
    expect(allDone(before)).toBe(false);
    expect(showChecklist(before, false)).toBe(true);
    const everything = {
      ...allButEvaluation,
      evaluations: [{ state: 'failed' as const }, { state: 'succeeded' as const }],
    };
    const steps = checklistSteps(everything);
    expect(steps.find((s) => s.id === 'evaluate')?.done).toBe(true);
    expect(allDone(steps)).toBe(true);
    expect(showChecklist(steps, false)).toBe(false);
    expect(showChecklist(checklistSteps(NEW_HOME), true)).toBe(false);
    expect(allDone(checklistSteps({ ...everything, models: 0 }))).toBe(false);
  });

  test('the demo dataset name is the core’s', () => {
    expect(DEMO_DATASET).toBe(CORE_DEMO_DATASET);
  });
});
