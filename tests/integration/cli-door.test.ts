// The contract is the CLI's only door (issue 10): every command that takes input hands it to
// core.call, which checks it against the method's zod schema exactly as for desktop IPC and
// serve mode. Each case runs the built CLI with one input the contract refuses and expects
// exit 2 and the contract's own message — the message core.call itself gives for that input.
// A command that went around the contract (a core service called directly, or a CLI-side check
// of its own) answers differently or not at all, and fails its case.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import type { Method } from '../../src/shared/api';
import { REPO_ROOT, tempDir } from '../helpers';
import { assertBuilt, srlab } from './cli-helpers';

const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'import', 'appendix-b1.jsonl');
const ADAPTER = path.join(REPO_ROOT, 'no-such-model.gguf');

interface Case {
  /** The command line after `srlab --home HOME`. */
  args: string[];
  /** What the CLI must send, as far as the refused field goes: core.call's answer to it is the expected message. */
  method: Method;
  input: unknown;
  /** Text for stdin. */
  stdin?: string;
  /** What the CLI says before the contract's message (eval run and plan name the config file). */
  prefix?: string;
}

/** What `srlab generate --model tiny --dataset cmd-demo` sends before any flag changes it. */
const runStart = {
  target: { kind: 'local', model: 'tiny', adapterScale: 1 },
  source: { kind: 'dataset', dataset: 'cmd-demo', split: 'test' },
  template: { name: 'sr-llm-paper' },
  decoding: { temperature: 0, seed: 42, maxTokens: 256, stop: [] },
  parallel: 1,
  load: {},
};
const trainStart = {
  dataset: 'cmd-demo',
  split: 'train',
  base: '/nonexistent/base',
  preset: 'srllm-paper',
  overrides: {},
  exportGguf: true,
  pue: 1,
  carbonIntensity: 0.4,
};
const trainFlags = ['--dataset', 'cmd-demo', '--base', '/nonexistent/base'];

/** Files the file-reading commands are given: an evaluation config without test sets, a trait list. */
const files = tempDir();
const CONFIG = path.join(files, 'no-testsets.json');
fs.writeFileSync(CONFIG, JSON.stringify({ testsets: [] }));
const TRAITS = path.join(files, 'traits.txt');
fs.writeFileSync(TRAITS, 'Articulate (Well-spoken)\nCalm\n');

/** What `srlab classifiers train --base B --dataset cmd-demo` sends before any flag changes it. */
const classifierTrain = {
  base: 'FacebookAI/roberta-base',
  dataset: 'cmd-demo',
  label: 'annotation',
  epochs: 3,
  batchSize: 16,
  learningRate: 2e-5,
  maxLength: 256,
  seed: 42,
  saveSteps: 0,
};

const CASES: Record<string, Case> = {
  // The issue's two: a path-like dataset name, and a parallelism over the contract's 64.
  'import into a path-like dataset name': {
    args: ['import', FIXTURE, '--dataset', '  ../../etc/x  '],
    method: 'datasets.import',
    input: { dataset: '  ../../etc/x  ', source: { kind: 'path', path: FIXTURE } },
  },
  'import with an unknown format': {
    args: ['import', FIXTURE, '--dataset', 'x', '--format', 'docx'],
    method: 'datasets.import',
    input: { dataset: 'x', source: { kind: 'path', path: FIXTURE }, format: 'docx' },
  },
  'import with a misspelt --map field': {
    args: ['import', FIXTURE, '--dataset', 'x', '--format', 'csv', '--map', 'text=content,toxcity=label'],
    method: 'datasets.import',
    input: {
      dataset: 'x',
      source: { kind: 'path', path: FIXTURE },
      format: 'csv',
      mapping: { text: 'content', toxcity: 'label' },
    },
  },
  'stats of a split that is none': {
    args: ['stats', 'cmd-demo', '--split', 'nope'],
    method: 'datasets.stats',
    input: { dataset: 'cmd-demo', split: 'nope' },
  },
  'split with a fractional seed': {
    args: ['split', 'cmd-demo', '--seed', '1.5'],
    method: 'datasets.split',
    input: { dataset: 'cmd-demo', seed: 1.5, ratios: [70, 10, 20] },
  },
  'split with a negative ratio': {
    args: ['split', 'cmd-demo', '--ratios=-1,10,20'],
    method: 'datasets.split',
    input: { dataset: 'cmd-demo', seed: 42, ratios: [-1, 10, 20] },
  },
  'export to an unknown format': {
    args: ['export', 'cmd-demo', '--format', 'docx'],
    method: 'datasets.export',
    input: { dataset: 'cmd-demo', split: 'train', format: 'docx' },
  },
  'models add with a path-like name': {
    args: ['models', 'add', ADAPTER, '--name', '../x'],
    method: 'models.add',
    input: { path: ADAPTER, name: '../x' },
  },
  'models pull of something that is no hf: file': {
    args: ['models', 'pull', 'https://example.com/m.gguf'],
    method: 'models.pull',
    input: { uri: 'https://example.com/m.gguf' },
  },
  'models show of an empty name': { args: ['models', 'show', ''], method: 'models.get', input: { name: '' } },
  'models remove of an empty name': {
    args: ['models', 'remove', ''],
    method: 'models.remove',
    input: { name: '', deleteFile: false },
  },
  'generate --parallel 1000': {
    args: ['generate', '--model', 'tiny', '--dataset', 'cmd-demo', '--parallel', '1000'],
    method: 'runs.findUnfinished',
    input: { ...runStart, parallel: 1000 },
  },
  'generate --fresh with a negative limit': {
    args: ['generate', '--fresh', '--model', 'tiny', '--dataset', 'cmd-demo', '--limit=-5'],
    method: 'runs.start',
    input: { ...runStart, source: { ...runStart.source, limit: -5 } },
  },
  'generate with a temperature over 5': {
    args: ['generate', '--fresh', '--model', 'tiny', '--dataset', 'cmd-demo', '--temperature', '50'],
    method: 'runs.start',
    input: { ...runStart, decoding: { ...runStart.decoding, temperature: 50 } },
  },
  'runs show of a fractional id': { args: ['runs', 'show', '1.5'], method: 'runs.get', input: { id: 1.5 } },
  'runs resume of a fractional id': { args: ['runs', 'resume', '1.5'], method: 'runs.resume', input: { id: 1.5 } },
  'runs remove of a fractional id': { args: ['runs', 'remove', '1.5'], method: 'runs.remove', input: { id: 1.5 } },
  'loglik with 0 threads': {
    args: ['loglik', '--model', 'tiny', '--text', 'hello', '--threads', '0'],
    method: 'llm.loglik',
    input: { model: 'tiny', adapterScale: 1, items: [{ text: 'hello', prefix: '' }], load: { threads: 0 } },
  },
  'endpoints save with 1000 requests at once': {
    args: ['endpoints', 'save', 'e', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--concurrency', '1000'],
    method: 'endpoints.save',
    input: {
      name: 'e',
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      concurrency: 1000,
      requestsPerMinute: 60,
      timeoutMs: 60_000,
      maxRetries: 4,
    },
  },
  'endpoints test of an empty name': { args: ['endpoints', 'test', ''], method: 'endpoints.test', input: { name: '' } },
  'endpoints remove of an empty name': {
    args: ['endpoints', 'remove', ''],
    method: 'endpoints.remove',
    input: { name: '' },
  },
  'worker setup with an empty --python': {
    args: ['worker', 'setup', '--cpu', '--python', ''],
    method: 'worker.setup',
    input: { python: '', cpu: true },
  },
  'jobs log of a fractional id': { args: ['jobs', 'log', '1.5'], method: 'jobs.log', input: { id: 1.5 } },
  'jobs log after a negative line': {
    args: ['jobs', 'log', '1', '--after=-1'],
    method: 'jobs.log',
    input: { id: 1, after: -1 },
  },
  'train with a PUE of 99': {
    args: ['train', ...trainFlags, '--pue', '99'],
    method: 'train.start',
    input: { ...trainStart, pue: 99 },
  },
  'train preflight with a negative carbon intensity': {
    args: ['train', 'preflight', ...trainFlags, '--carbon=-1'],
    method: 'train.preflight',
    input: { ...trainStart, carbonIntensity: -1 },
  },
  'train show of a fractional run': { args: ['train', 'show', '1.5'], method: 'train.get', input: { id: 1.5 } },
  'train resume of a fractional run': { args: ['train', 'resume', '1.5'], method: 'train.resume', input: { id: 1.5 } },
  'train cancel of a fractional run': { args: ['train', 'cancel', '1.5'], method: 'train.cancel', input: { id: 1.5 } },
  'access create for an evaluator whose name is blank': {
    args: ['access', 'create', '--evaluator', '  ', '--session', 'pilot'],
    method: 'access.createEvaluatorToken',
    input: { evaluator: '  ', session: 'pilot' },
  },
  'access revoke of id 0': {
    args: ['access', 'revoke', '0'],
    method: 'access.revokeEvaluatorToken',
    input: { id: 0 },
  },
  'hf-token set of a token over 4096 characters': {
    args: ['hf-token', 'set'],
    stdin: 'x'.repeat(5000),
    method: 'hf.setToken',
    input: { token: 'x'.repeat(5000) },
  },
  'testsets import of an unknown kind': {
    args: ['testsets', 'import', FIXTURE, '--kind', 'holistic', '--name', 'x'],
    method: 'testsets.import',
    input: { source: { kind: 'path', path: FIXTURE }, kind: 'holistic', name: 'x', options: {} },
  },
  'metrics ttest of a single value': {
    args: ['metrics', 'ttest', '--input=-'],
    stdin: '{"values": [1]}',
    method: 'metrics.ttest',
    input: { values: [1] },
  },
  'metrics fleiss with one category': {
    args: ['metrics', 'fleiss', '--input=-'],
    stdin: '{"matrix": [[3], [3]]}',
    method: 'metrics.fleiss',
    input: { matrix: [[3], [3]] },
  },
  'metrics krippendorff at an unknown level': {
    args: ['metrics', 'krippendorff', '--input=-'],
    stdin: '{"ratings": [[1, 2], [1, 3]], "level": "ratio"}',
    method: 'metrics.krippendorff',
    input: {
      ratings: [
        [1, 2],
        [1, 3],
      ],
      level: 'ratio',
    },
  },
  'metrics stereoset of no items': {
    args: ['metrics', 'stereoset', '--input=-'],
    stdin: '{"items": []}',
    method: 'metrics.stereoset',
    input: { items: [] },
  },
  'classifiers train for 0 epochs': {
    args: ['classifiers', 'train', '--base', 'FacebookAI/roberta-base', '--dataset', 'cmd-demo', '--epochs', '0'],
    method: 'classifiers.train',
    input: { ...classifierTrain, epochs: 0 },
  },
  'classifiers resume of an empty name': {
    args: ['classifiers', 'resume', ''],
    method: 'classifiers.resume',
    input: { name: '' },
  },
  'classifiers cancel of an empty name': {
    args: ['classifiers', 'cancel', ''],
    method: 'classifiers.cancel',
    input: { name: '' },
  },
  'classifiers add with a path-like name': {
    args: ['classifiers', 'add', '--name', '../x', '--hf', 'tomh/toxigen_roberta', '--positive', 'LABEL_1'],
    method: 'classifiers.add',
    input: {
      name: '../x',
      source: { kind: 'hf', id: 'tomh/toxigen_roberta' },
      positive: 'LABEL_1',
      measure: 'toxicity',
    },
  },
  'classifiers show of an empty name': {
    args: ['classifiers', 'show', ''],
    method: 'classifiers.get',
    input: { name: '' },
  },
  'classifiers remove of an empty name': {
    args: ['classifiers', 'remove', ''],
    method: 'classifiers.remove',
    input: { name: '', deleteFiles: false },
  },
  'classifiers traits imported under a path-like name': {
    args: ['classifiers', 'traits', '../x', '--file', TRAITS],
    method: 'classifiers.addTraits',
    input: { name: '../x', source: { kind: 'path', path: TRAITS } },
  },
  'scorers train on a blank dataset name': {
    args: ['scorers', 'train', '--dataset', '  '],
    method: 'scorers.trainEmbedded',
    input: { dataset: '  ', label: 'annotation', options: {} },
  },
  'scorers train with 3 hash buckets': {
    args: ['scorers', 'train', '--dataset', 'cmd-demo', '--buckets', '3'],
    method: 'scorers.trainEmbedded',
    input: { dataset: 'cmd-demo', label: 'annotation', options: { buckets: 3 } },
  },
  'scorers score with a moderation threshold over 1': {
    args: ['scorers', 'score', '--spec', '{"kind":"moderation","endpoint":"e","threshold":2}', '--text', 'hello'],
    method: 'scorers.score',
    input: { spec: { kind: 'moderation', endpoint: 'e', threshold: 2 }, texts: ['hello'] },
  },
  'scorers remove of a blank name': {
    args: ['scorers', 'remove', '  '],
    method: 'scorers.remove',
    input: { name: '  ' },
  },
  'eval run of a config without test sets': {
    args: ['eval', 'run', '--config', CONFIG],
    method: 'evaluation.start',
    input: { config: { testsets: [] }, fresh: false },
    prefix: `${CONFIG}: `,
  },
  'eval plan of a config without test sets': {
    args: ['eval', 'plan', '--config', CONFIG],
    method: 'evaluation.plan',
    input: { config: { testsets: [] } },
    prefix: `${CONFIG}: `,
  },
  'eval list with a limit of 0': {
    args: ['eval', 'list', '--limit', '0'],
    method: 'evaluation.list',
    input: { limit: 0 },
  },
  'eval resume of a fractional id': {
    args: ['eval', 'resume', '1.5'],
    method: 'evaluation.resume',
    input: { id: 1.5 },
  },
  'eval compare with a negative seed': {
    args: ['eval', 'compare', '--baseline', 'initial', '--seed=-1'],
    method: 'evaluation.compare',
    input: { baseline: { generator: 'initial' }, seed: -1 },
  },
  'eval stereoset with a limit below 1': {
    args: ['eval', 'stereoset', '--model', 'tiny', '--testset', 'ss', '--limit', '0'],
    method: 'likelihood.stereoset',
    input: { model: 'tiny', testset: 'ss', limit: 0, adapterScale: 1, load: {} },
  },
  'eval crows-pairs with a blank test set name': {
    args: ['eval', 'crows-pairs', '--model', 'tiny', '--testset', '  '],
    method: 'likelihood.crowsPairs',
    input: { model: 'tiny', testset: '  ', adapterScale: 1, load: {} },
  },
  'tables of a table that is none': {
    args: ['tables', '1', '--table', 'table99'],
    method: 'evaluation.export',
    input: { evaluation: 1, format: 'latex', reference: false, tables: ['table99'] },
  },
  'humaneval create with no evaluator per item': {
    args: ['humaneval', 'create', '--runs', '1, 2,', '--sample', '2', '--evaluators', 'a, b', '--per-item', '0'],
    method: 'humaneval.create',
    input: { runs: [1, 2], sample: 2, evaluators: ['a', 'b'], perItem: 0, pairs: false, stratify: false },
  },
  'humaneval invite to session 0': {
    args: ['humaneval', 'invite', '0', 'ann'],
    method: 'humaneval.invite',
    input: { id: 0, evaluator: 'ann', revoke: false },
  },
  'humaneval status of a fractional session': {
    args: ['humaneval', 'status', '1.5'],
    method: 'humaneval.status',
    input: { id: 1.5 },
  },
  'humaneval results with 5 bootstrap resamples': {
    args: ['humaneval', 'results', '1', '--resamples', '5'],
    method: 'humaneval.results',
    input: { id: 1, resamples: 5 },
  },
  'humaneval export for a blank evaluator': {
    args: ['humaneval', 'export', '1', '  ', '--out', path.join(files, 'he.json')],
    method: 'humaneval.export',
    input: { id: 1, evaluator: '  ', out: path.join(files, 'he.json') },
  },
  'humaneval import of a path over 4096 characters': {
    args: ['humaneval', 'import', path.join(files, 'x'.repeat(4100))],
    method: 'humaneval.import',
    input: { source: { kind: 'path', path: path.join(files, 'x'.repeat(4100)) } },
  },
  'humaneval remove of session 0': {
    args: ['humaneval', 'remove', '0'],
    method: 'humaneval.remove',
    input: { id: 0 },
  },
  'rounds create with no annotator per record': {
    args: ['rounds', 'create', '--dataset', 'cmd-demo', '--records', '3', '--annotators', 'a,,b', '--per-record', '0'],
    method: 'rounds.create',
    input: { dataset: 'cmd-demo', records: 3, annotators: ['a', 'b'], perRecord: 0 },
  },
  'rounds status of a fractional round': {
    args: ['rounds', 'status', '1.5'],
    method: 'rounds.status',
    input: { id: 1.5 },
  },
  'rounds adjudicate of round 0': {
    args: ['rounds', 'adjudicate', '0'],
    method: 'rounds.queue',
    input: { id: 0, includeResolved: false },
  },
  'rounds adjudicate with a toxicity that is none': {
    args: ['rounds', 'adjudicate', '1', '--record', '2', '--toxicity', 'Very', '--by', 'expert'],
    method: 'rounds.adjudicate',
    input: {
      id: 1,
      record: 2,
      labels: { bias: null, toxicity: 'Very', sentiment: null, harm: null },
      by: 'expert',
    },
  },
  'rounds adjudicate --apply without who applies': {
    args: ['rounds', 'adjudicate', '1', '--apply'],
    method: 'rounds.apply',
    input: { id: 1 },
  },
  'rounds invite to round 0': {
    args: ['rounds', 'invite', '0', 'a'],
    method: 'rounds.invite',
    input: { id: 0, annotator: 'a', revoke: false },
  },
  'rounds remove of round 0': {
    args: ['rounds', 'remove', '0'],
    method: 'rounds.remove',
    input: { id: 0 },
  },
  'figure of evaluation 0': {
    args: ['figure', '--kind', 't-dist', '--evaluation', '0', '--out', path.join(files, 'x.svg')],
    method: 'figures.export',
    input: { spec: { kind: 't-dist', source: { kind: 'evaluation', evaluation: 0 }, options: {} }, format: 'svg' },
  },
  'figure of human-evaluation session 0': {
    args: ['figure', '--kind', 'human', '--humaneval', '0', '--out', path.join(files, 'h.svg')],
    method: 'figures.export',
    input: { spec: { kind: 'human', source: { kind: 'humaneval', session: 0 }, options: {} }, format: 'svg' },
  },
};

/**
 * Commands whose every input the contract accepts today (a dataset or test set is named by any
 * string and answered `not-found` by the service) or that take none (`testsets`, `classifiers` and
 * `scorers` alone list, with no input); `worker`, `metrics` and `eval` only group their
 * subcommands and `serve` takes no contract input.
 */
const NOTHING_TO_REFUSE = [
  'datasets',
  'datasets list',
  'datasets fields',
  'remove',
  'models',
  'runs',
  'runs templates',
  'endpoints',
  'worker',
  'worker doctor',
  'jobs',
  'hf-token',
  'access',
  'access list',
  'hf-token status',
  'hf-token clear',
  'serve',
  'testsets',
  'testsets list',
  'testsets remove',
  'metrics',
  'classifiers',
  'scorers',
  'scorers list',
  'eval',
  'humaneval',
  'humaneval list',
  'rounds',
  'rounds list',
];

let home: string;
let core: Core;

beforeAll(async () => {
  assertBuilt();
  home = tempDir();
  // A first command creates the home with the demo dataset, so no case fails for its absence.
  expect(srlab(['datasets', '--json'], { home }).code).toBe(0);
  core = await createCore({ home: tempDir(), loadDemo: false });
});
afterAll(() => core?.close());

/** The message core.call answers for this input: what the CLI must print. */
async function contractMessage(method: Method, input: unknown): Promise<string> {
  const r = await core.call(method, input);
  if (r.ok || r.error.kind !== 'invalid-input') throw new Error(`the contract accepts the ${method} case's input`);
  return r.error.message;
}

describe('every CLI command takes its input through the contract', () => {
  it.each(Object.entries(CASES))('%s: exit 2 with the contract’s message', async (_name, c) => {
    const expected = await contractMessage(c.method, c.input);
    expect(expected).toMatch(new RegExp(`^invalid input for ${c.method.replace('.', '\\.')}: `));
    const r = srlab(c.args, { home, ...(c.stdin !== undefined ? { input: c.stdin } : {}) });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`srlab: ${c.prefix ?? ''}${expected}\n`);
  });

  it('with --json the refusal is one JSON error of kind invalid-input', () => {
    const r = srlab(['generate', '--model', 'tiny', '--dataset', 'cmd-demo', '--parallel', '1000', '--json'], { home });
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({
      kind: 'invalid-input',
      issues: [{ path: 'parallel', message: expect.stringMatching(/64/) }],
    });
  });

  it('a refused import starts no job and leaves the data home as it was', () => {
    const datasets = srlab(['datasets', '--json'], { home }).json;
    const jobs = srlab(['jobs', '--json'], { home }).json;
    expect(srlab(CASES['import into a path-like dataset name']!.args, { home }).code).toBe(2);
    expect(srlab(['datasets', '--json'], { home }).json).toEqual(datasets);
    expect(srlab(['jobs', '--json'], { home }).json).toEqual(jobs);
  });

  it('has a case for every command, or says why it has none', () => {
    // The commands as `srlab --help` lists them, with one level of subcommands.
    const listed = (args: string[]) =>
      [...srlab([...args, '--help'], { home }).stdout.matchAll(/^ {2}srlab ((?:[a-z-]+ ?)+)/gm)].map((m) =>
        m[1]!.trim(),
      );
    const commands = listed([]).flatMap((c) => [c, ...listed([c]).filter((sub) => sub !== c)]);
    expect(commands).toEqual(expect.arrayContaining(['import', 'generate', 'models pull', 'worker setup', 'train']));
    // A case covers the subcommand it runs (`models pull`), else its command (`generate`, `train`).
    const withCase = new Set(
      Object.values(CASES).map((c) =>
        commands.includes(`${c.args[0]} ${c.args[1]}`) ? `${c.args[0]} ${c.args[1]}` : c.args[0]!,
      ),
    );
    const uncovered = commands.filter((c) => !withCase.has(c) && !NOTHING_TO_REFUSE.includes(c));
    expect(uncovered).toEqual([]);
  });
});
