// The worker boundary's contract. Drift: the committed JSON Schema is what the zod TrainConfig
// generates now, and the Python worker reads the same keys, defaults, limits and choices from it
// and accepts/refuses the same probe values as zod. Conversion: camelCase ↔ snake_case along the
// schemas (record keys and TrainConfig's own keys untouched), malformed results and events are
// errors naming the method and field, and no core module calls a worker method by string.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TrainConfig } from '../../../src/shared/contracts/training';
import {
  TRAIN_CONFIG_SCHEMA_PATH,
  trainConfigDefaults,
  trainConfigJsonSchema,
  trainConfigSchemaText,
} from '../../../src/shared/train-config-schema';
import {
  callWorker,
  fromWireResult,
  snakeKey,
  toWireParams,
  type WorkerParams,
} from '../../../src/main/core/worker/methods';
import { defaultVenv, venvPython, workerRoot } from '../../../src/main/core/worker/paths';
import { WorkerError, WorkerProcess } from '../../../src/main/core/worker/process';
import { TRAIN_FIELDS } from '../../../src/renderer/src/areas/training/trainForm';
import { REPO_ROOT } from '../../helpers';

// config.py needs only the standard library: without the venv, any python3 reads the schema as it does.
const python = fs.existsSync(venvPython(defaultVenv())) ? venvPython(defaultVenv()) : 'python3';

function py(code: string, input = ''): unknown {
  const out = execFileSync(python, ['-c', code], { cwd: workerRoot(), input, encoding: 'utf8' });
  return JSON.parse(out);
}

/** The Python side's view of the schema: per key type, default, limits, choices (config.schema_view). */
function pythonView(schemaFile?: string): Record<string, Record<string, unknown>> {
  const load = schemaFile
    ? `import srlab_worker.config as c, pathlib, json; c.SCHEMA = json.loads(pathlib.Path(${JSON.stringify(schemaFile)}).read_text())`
    : 'import srlab_worker.config as c';
  // A different schema file means a different dataclass: rebuild it as config.py does at import.
  const rebuild = schemaFile
    ? `; import dataclasses; c.TrainConfig = dataclasses.make_dataclass('TrainConfig', [(n, c._PY_TYPES[s['type']], c._field(s)) for n, s in c.SCHEMA['properties'].items()])`
    : '';
  return py(`${load}${rebuild}; import json; print(json.dumps(c.schema_view()))`) as Record<
    string,
    Record<string, unknown>
  >;
}

/** The same view computed from the live zod schema (not from the committed file). */
function zodView(): Record<string, Record<string, unknown>> {
  const defaults = trainConfigDefaults() as Record<string, unknown>;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [key, spec] of Object.entries(trainConfigJsonSchema().properties)) {
    const view: Record<string, unknown> = { type: spec.type, default: defaults[key] };
    for (const k of ['minimum', 'maximum', 'exclusiveMinimum', 'enum'] as const) if (k in spec) view[k] = spec[k];
    out[key] = view;
  }
  return out;
}

function driftProblems(view: Record<string, Record<string, unknown>>): string[] {
  const want = zodView();
  const keys = new Set([...Object.keys(want), ...Object.keys(view)]);
  return [...keys].filter((k) => JSON.stringify(want[k]) !== JSON.stringify(view[k]));
}

describe('TrainConfig: one source of keys, limits and defaults', () => {
  it('the committed JSON Schema is what the zod schema generates now (npm run gen:worker-schema)', () => {
    const committed = fs.readFileSync(path.join(REPO_ROOT, TRAIN_CONFIG_SCHEMA_PATH), 'utf8');
    expect(committed).toBe(trainConfigSchemaText());
  });

  it('negative control: a zod limit changed without regenerating is caught', () => {
    const changed = TrainConfig.extend({ lora_r: z.number().int().min(1).max(512).default(64) });
    const regenerated = `${JSON.stringify({ ...trainConfigJsonSchema(), properties: z.toJSONSchema(changed, { io: 'input' }).properties }, null, 2)}\n`;
    const committed = fs.readFileSync(path.join(REPO_ROOT, TRAIN_CONFIG_SCHEMA_PATH), 'utf8');
    expect(regenerated).not.toBe(committed);
  });

  it('every key has a default, and the defaults are a valid config', () => {
    const schema = trainConfigJsonSchema();
    for (const [key, spec] of Object.entries(schema.properties)) expect(spec, key).toHaveProperty('default');
    expect(TrainConfig.safeParse(trainConfigDefaults()).success).toBe(true);
  });

  it('the worker reads the same types, defaults, limits and choices as zod states', () => {
    expect(driftProblems(pythonView())).toEqual([]);
  });

  it('negative control: a schema with one default or limit changed reads as drift', () => {
    const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'test-results', 'schema-'));
    try {
      const mutated = JSON.parse(trainConfigSchemaText()) as ReturnType<typeof trainConfigJsonSchema>;
      mutated.properties.learning_rate!.default = 1e-3;
      mutated.properties.max_seq_length!.maximum = 4096;
      const file = path.join(dir, 'schema.json');
      fs.writeFileSync(file, JSON.stringify(mutated));
      expect(driftProblems(pythonView(file)).sort()).toEqual(['learning_rate', 'max_seq_length']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the worker accepts and refuses exactly what zod does, at and beyond every limit', () => {
    const probes: { key: string; value: unknown }[] = [];
    for (const [key, spec] of Object.entries(trainConfigJsonSchema().properties)) {
      const values: unknown[] = [spec.default, null, 'text'];
      if (spec.type === 'integer' || spec.type === 'number') {
        const step = spec.type === 'integer' ? 1 : 1e-6;
        for (const edge of [spec.minimum, spec.maximum, spec.exclusiveMinimum])
          if (edge !== undefined) values.push(edge, edge - step, edge + step);
        if (spec.type === 'integer') values.push(2.5);
        values.push(true);
      }
      if (spec.enum) values.push(...spec.enum, 'bogus');
      if (spec.type === 'boolean') values.push(true, false, 1);
      if (spec.type === 'array') values.push([], ['q_proj'], [''], [1]);
      for (const value of values) probes.push({ key, value });
    }
    const verdicts = py(
      `import sys, json
from srlab_worker.config import validate_args
from srlab_worker.errors import WorkerError
out = []
for p in json.load(sys.stdin):
    try:
        validate_args({p["key"]: p["value"]}); out.append(True)
    except WorkerError:
        out.append(False)
print(json.dumps(out))`,
      JSON.stringify(probes),
    ) as boolean[];
    const disagree = probes
      .map((p, i) => ({ ...p, zod: TrainConfig.safeParse({ [p.key]: p.value }).success, worker: verdicts[i] }))
      .filter((p) => p.zod !== p.worker);
    expect(disagree).toEqual([]);
    expect(probes.length).toBeGreaterThan(150);
  });

  it('the preset form reads its limits and choices from the contract (no copy of its own)', () => {
    const props = trainConfigJsonSchema().properties;
    for (const f of TRAIN_FIELDS) {
      const spec = props[f.key]!;
      expect(f.min, f.key).toBe(spec.minimum ?? spec.exclusiveMinimum);
      expect(f.exclusiveMin === true, f.key).toBe(spec.exclusiveMinimum !== undefined);
      expect(f.max, f.key).toBe(spec.maximum);
      expect(f.options, f.key).toEqual(spec.enum);
    }
    expect(TRAIN_FIELDS.find((f) => f.key === 'seed')!.max).toBe(2 ** 32 - 1);
  });

  it('an unknown key is refused by the worker (the schema says additionalProperties: false)', () => {
    expect(trainConfigJsonSchema().additionalProperties).toBe(false);
    const refused = py(`import json
from srlab_worker.config import validate_args
from srlab_worker.errors import WorkerError
try:
    validate_args({"lora_rank": 8}); print(json.dumps(None))
except WorkerError as e:
    print(json.dumps(e.message))`);
    expect(refused).toMatch(/lora_rank: unknown key/);
  });
});

const trainParams: WorkerParams<'train'> = {
  base: '/m',
  trainFile: '/r/train.jsonl',
  evalFile: null,
  config: trainConfigDefaults(),
  runDir: '/r',
  resumeFrom: null,
};

const trainResult = {
  steps: 4,
  total_steps: 4,
  initial_loss: 2,
  final_loss: 1,
  best_eval_loss: null,
  stopped_early: false,
  adapter_dir: '/r/adapter',
  adapter_checkpoint: { step: 4, selected: 'last', eval_loss: null, reason: 'last' },
  examples: 10,
  truncated: 0,
  versions: { torch: '2.9', 'nvidia-ml-py': null, some_pkg: '1' },
  device: 'cpu',
  world_size: 1,
  tokens: 100,
  train_seconds: 1.5,
};

describe('callWorker: keys converted along the schemas, results validated', () => {
  it('snake_case at lower→upper boundaries', () => {
    expect(['sizeBytes', 'totalMiB', 'llamaCppDir', 'use_4bit', 'lora_r'].map(snakeKey)).toEqual([
      'size_bytes',
      'total_mib',
      'llama_cpp_dir',
      'use_4bit',
      'lora_r',
    ]);
  });

  it('params go snake_case; TrainConfig keys pass as they are', () => {
    const wire = toWireParams('train', { ...trainParams, cancelFile: '/r/cancel' });
    expect(Object.keys(wire).sort()).toEqual(
      ['base', 'cancel_file', 'config', 'eval_file', 'resume_from', 'run_dir', 'train_file'].sort(),
    );
    expect(wire.config).toEqual(trainConfigDefaults());
    expect(toWireParams('count_tokens', { base: 'b', files: ['f'], maxSeqLength: 8, responseOnlyLoss: true })).toEqual({
      base: 'b',
      files: ['f'],
      max_seq_length: 8,
      response_only_loss: true,
    });
  });

  it('bad params are refused before anything is sent, naming the field', () => {
    const bad = { ...trainParams, config: { ...trainParams.config, lora_r: 0 } };
    expect(() => toWireParams('train', bad)).toThrow(/worker method "train": malformed params \(config\.lora_r/);
  });

  it('results come back camelCase, nested objects too, record keys untouched', () => {
    const r = fromWireResult('train', trainResult);
    expect(r.totalSteps).toBe(4);
    expect(r.adapterCheckpoint).toEqual({ step: 4, selected: 'last', evalLoss: null, reason: 'last' });
    expect(r.versions).toEqual({ torch: '2.9', 'nvidia-ml-py': null, some_pkg: '1' });
    const doctor = fromWireResult('doctor', {
      python: '/py',
      python_version: '3.11',
      packages: { 'nvidia-ml-py': null, torch: '2.9' },
      cuda: { available: false, version: null },
      gpus: [{ index: 0, name: 'H100', total_mib: 81559, free_mib: 80000 }],
      can_run: ['LoRA 32-bit on CPU'],
      problems: [],
    });
    expect(doctor.gpus[0]).toEqual({ index: 0, name: 'H100', totalMiB: 81559, freeMiB: 80000 });
    expect(doctor.packages).toEqual({ 'nvidia-ml-py': null, torch: '2.9' });
  });

  it('a malformed result is an error naming the method and the field', () => {
    const { adapter_dir: _dropped, ...missing } = trainResult;
    expect(() => fromWireResult('train', missing)).toThrow(/worker method "train": malformed result \(adapterDir: /);
    expect(() => fromWireResult('train', { ...trainResult, steps: 'four' })).toThrow(/steps: /);
    // An answer in the old camelCase wire form is not silently accepted.
    expect(() => fromWireResult('merge', { outDir: '/o', adapterCheckpoint: null })).toThrow(
      /worker method "merge": malformed result \(outDir: /,
    );
    try {
      fromWireResult('merge', { out_dir: 1, adapter_checkpoint: null });
    } catch (err) {
      expect(err).toBeInstanceOf(WorkerError);
      expect((err as WorkerError).code).toBe('bad-protocol');
    }
  });

  it('events are converted and validated; a malformed event fails the call when it ends', async () => {
    const fake = (events: Record<string, unknown>[], result: unknown) =>
      ({
        request: (_m: string, _p: unknown, o: { onEvent?: (e: never) => void }) => {
          for (const e of events) o.onEvent?.({ id: 1, ...e } as never);
          return Promise.resolve(result);
        },
      }) as unknown as WorkerProcess;
    const seen: unknown[] = [];
    const metric = {
      event: 'metric',
      step: 1,
      split: 'train',
      loss: 2,
      lr: 1e-4,
      grad_norm: 0.5,
      tokens_per_second: 9,
    };
    await callWorker(fake([metric], trainResult), 'train', trainParams, { onEvent: (e) => seen.push(e) });
    expect(seen).toEqual([
      { event: 'metric', step: 1, split: 'train', loss: 2, lr: 1e-4, gradNorm: 0.5, tokensPerSecond: 9 },
    ]);
    const bad = { event: 'checkpoint', step: 1, dir: 7, train_loss: null, eval_loss: null };
    await expect(callWorker(fake([bad], trainResult), 'train', trainParams)).rejects.toThrow(
      /worker method "train": malformed "checkpoint" event \(dir: /,
    );
  });

  it('against the real worker: doctor through the contract', async () => {
    const w = await WorkerProcess.start({ python, root: workerRoot(), readyTimeoutMs: 60_000 });
    try {
      const r = await callWorker(w, 'doctor', {});
      expect(r.python).toBeTruthy();
      expect(r.pythonVersion).toMatch(/^3\./);
      expect(Array.isArray(r.canRun)).toBe(true);
    } finally {
      await w.close();
    }
  }, 60_000);

  it('no core module calls a worker method by its string (callWorker is the one door)', () => {
    const core = path.join(REPO_ROOT, 'src', 'main', 'core');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts') && !file.endsWith(path.join('worker', 'methods.ts'))) {
          const text = fs.readFileSync(file, 'utf8');
          if (/\.(request|expect)\(\s*['"`]/.test(text)) offenders.push(path.relative(core, file));
        }
      }
    };
    walk(core);
    expect(offenders).toEqual([]);
  });
});
