// A training left running by a process that is gone (killed, crashed) is marked failed when a
// data home is opened, so it can be resumed; one whose process is alive is left alone.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { createClassifierStore } from '../../../src/main/core/classifiers/store';
import type { ClassifierInfo } from '../../../src/shared/contracts/classifiers';
import { tempDir } from '../../helpers';

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

const row = (name: string): Omit<ClassifierInfo, 'id'> => ({
  name,
  source: 'trained',
  base: '/models/base',
  model: '/models/out',
  labels: ['Benign', 'Unsafe'],
  positive: 'Unsafe',
  measure: 'unsafe',
  state: 'running',
  version: 'untrained',
  validation: null,
  training: null,
  error: null,
  jobId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  finishedAt: null,
});

describe('classifier store', () => {
  let core: Core;
  beforeAll(async () => {
    core = await createCore({ home: tempDir(), loadDemo: false, checkOutputs: true, secretTool: null });
  });
  afterAll(async () => {
    await core.close();
  });

  it('marks trainings of a dead process failed and keeps those of a live one', () => {
    const store = createClassifierStore(core.db);
    store.insert(row('orphan'), deadPid());
    store.insert(row('alive'), process.ppid); // another srlab process, still running
    store.markInterrupted('2026-01-02T00:00:00.000Z');
    expect(store.get('orphan')).toMatchObject({ state: 'failed', finishedAt: '2026-01-02T00:00:00.000Z' });
    expect(store.get('orphan')!.error).toMatch(/^interrupted: .*resume it/);
    expect(store.get('alive')!.state).toBe('running');
    // Through the contract: listed, and the interrupted one can be resumed (refused only while running).
    expect(core.classifiers.list().map((c) => c.name)).toEqual(['alive', 'orphan']);
    expect(() => core.classifiers.resume('alive')).toThrow(/running; cancel it first/);
  });
});
