// The presets as the core serves them (the worker's JSON files, through the contract), the keys
// added for issue 9 (fp16/bf16, group_by_length, final_checkpoint) in --set and validation, and
// runs stored before those keys existed still reading back (with the defaults the old runs had).
// The paper preset's values are checked one by one in python-worker/tests/test_presets.py.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/contract';
import { TRAIN_CONFIG_KEYS } from '../../../src/shared/contracts/training';
import { openDb } from '../../../src/main/core/db';
import { loadPresets, parseSetting, resolveConfig } from '../../../src/main/core/training/config';
import { createTrainStore } from '../../../src/main/core/training/store';
import { tempDir } from '../../helpers';

describe('presets', () => {
  it('serves srllm-paper and srlab-recommended, each with a source for every key', () => {
    const presets = loadPresets();
    expect(presets.map((p) => p.name).sort()).toEqual(['srlab-recommended', 'srllm-paper']);
    for (const p of presets) expect(Object.keys(p.sources).sort()).toEqual([...TRAIN_CONFIG_KEYS].sort());
  });

  it("the paper preset: fp16 on, loss on the whole sequence, q_proj/v_proj, authors' logging and batching, last step", () => {
    expect(resolveConfig('srllm-paper', {})).toMatchObject({
      fp16: true,
      bf16: false,
      response_only_loss: false,
      lora_target_modules: ['q_proj', 'v_proj'],
      logging_steps: 25,
      group_by_length: true,
      lr_scheduler_type: 'constant',
      warmup_ratio: 0.03,
      final_checkpoint: 'last',
    });
  });

  it("srlab-recommended is described as srlab's: response-only, all linear, bf16, cosine with warmup, best checkpoint", () => {
    const rec = loadPresets().find((p) => p.name === 'srlab-recommended')!;
    expect(rec.description).toMatch(/^srlab's own recipe, not the paper's/);
    expect(rec.config).toMatchObject({
      response_only_loss: true,
      lora_target_modules: [],
      bf16: true,
      fp16: false,
      lr_scheduler_type: 'cosine',
      warmup_ratio: 0.03,
      final_checkpoint: 'best',
    });
  });

  it.each([
    ['fp16=false', ['fp16', false]],
    ['group_by_length=true', ['group_by_length', true]],
    ['final_checkpoint=best', ['final_checkpoint', 'best']],
  ])('parses --set %s', (raw, expected) => {
    expect(parseSetting(raw)).toEqual(expected);
  });

  it('refuses fp16 and bf16 together, and a final_checkpoint that is neither best nor last', () => {
    const issues = (over: Record<string, unknown>) => {
      try {
        resolveConfig('srllm-paper', over);
      } catch (err) {
        expect(err).toBeInstanceOf(ApiError);
        return (err as ApiError).issues!.map((i) => i.path);
      }
      throw new Error('expected invalid input');
    };
    expect(issues({ bf16: true })).toEqual(['bf16']);
    expect(issues({ final_checkpoint: 'first' })).toEqual(['final_checkpoint']);
  });
});

describe('runs stored before issue 9', () => {
  it('read back with the defaults they ran with: fp16/bf16 off, no length grouping, the last step, nothing recorded', () => {
    const db = openDb(path.join(tempDir(), 'srlab.sqlite'));
    const store = createTrainStore(db);
    const id = store.create('2024-01-01T00:00:00.000Z');
    const { fp16, bf16, group_by_length, final_checkpoint, ...oldConfig } = resolveConfig('srllm-paper', {});
    expect([fp16, bf16, group_by_length, final_checkpoint]).toEqual([true, false, true, 'last']);
    const old = {
      id,
      name: 'old',
      state: 'succeeded',
      base: '/m',
      dataset: 'd',
      split: 'train',
      evalSplit: null,
      preset: 'srllm-paper',
      config: oldConfig,
      exportGguf: false,
      dataHash: null,
      examples: 1,
      truncated: 0,
      versions: {},
      device: 'cpu',
      step: 1,
      totalSteps: 1,
      initialLoss: 1,
      finalLoss: 1,
      bestEvalLoss: null,
      stoppedEarly: false,
      runDir: '/r',
      adapterDir: '/r/adapter',
      mergedDir: null,
      ggufModel: null,
      adapterGguf: null,
      checkpoints: [],
      energy: null,
      error: null,
      stderrTail: null,
      jobId: null,
      createdAt: '2024-01-01T00:00:00.000Z',
      finishedAt: '2024-01-01T00:00:01.000Z',
    };
    db.prepare('UPDATE train_runs SET state = ?, data = ? WHERE id = ?').run('succeeded', JSON.stringify(old), id);
    const run = store.get(id)!;
    expect(run.adapterCheckpoint).toBeNull();
    expect(run.template).toBeNull();
    expect(run.config).toMatchObject({ fp16: false, bf16: false, group_by_length: false, final_checkpoint: 'last' });
    expect(store.list(10)[0]).toEqual(run);
    db.close();
  });
});
