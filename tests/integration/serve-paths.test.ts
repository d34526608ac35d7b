// Serve mode gives the browser what it needs without server paths: models from the data home's
// models/ folder by file name, a training run's adapter by run id, a base from bases/ by name,
// a worker Python by its index in the doctor's list. Over real HTTP with the lab token; each
// path-named input stays 403 there (the negative control) and works for a local caller.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { createTrainStore } from '../../src/main/core/training/store';
import { startServer, type RunningServer } from '../../src/main/transports/http';
import { TrainConfig, type TrainRun } from '../../src/shared/contracts/training';
import { tempDir } from '../helpers';
import { tinyModelFiles } from '../unit/llm/tiny-model';

const TOKEN = 'serve-paths-token-0123456789';

/** A finished training run whose adapter GGUF is `adapterGguf` (stored as training would). */
function storeTrainRun(core: Core, adapterGguf: string | null): number {
  const store = createTrainStore(core.db);
  const at = new Date().toISOString();
  const id = store.create(at);
  const run: TrainRun = {
    id,
    name: `tiny-run-${id}`,
    state: 'succeeded',
    base: '/nowhere/base',
    dataset: 'd',
    split: 'train',
    evalSplit: null,
    preset: 'srllm-paper',
    config: TrainConfig.parse({}),
    template: null,
    exportGguf: true,
    dataHash: null,
    examples: 1,
    truncated: 0,
    versions: {},
    device: 'cpu',
    step: 1,
    totalSteps: 1,
    initialLoss: null,
    finalLoss: null,
    bestEvalLoss: null,
    stoppedEarly: false,
    runDir: path.dirname(adapterGguf ?? '/nowhere/x'),
    adapterDir: null,
    adapterCheckpoint: null,
    mergedDir: null,
    ggufModel: null,
    adapterGguf,
    checkpoints: [],
    energy: null,
    error: null,
    stderrTail: null,
    jobId: null,
    createdAt: at,
    finishedAt: at,
  };
  store.save(run, null);
  return id;
}

describe('serve mode without server paths (real HTTP, lab token)', () => {
  let core: Core;
  let server: RunningServer;
  let origin: string;
  const outside = tempDir('srlab-outside-');
  const post = async (method: string, body: unknown) => {
    const r = await fetch(`${origin}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', origin },
      body: JSON.stringify(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of the JSON answer freely
    return { status: r.status, body: (await r.json()) as { ok: boolean; result?: any; error?: any } };
  };

  beforeAll(async () => {
    process.env.SRLAB_THREADS = '1';
    core = await createCore({ home: tempDir(), loadDemo: false, checkOutputs: true, runtime: { gpu: false } });
    server = await startServer(core, { host: '127.0.0.1', port: 0, token: TOKEN });
    origin = new URL(server.url).origin;
    const tiny = tinyModelFiles();
    fs.mkdirSync(core.paths.models, { recursive: true });
    fs.copyFileSync(tiny.model, path.join(core.paths.models, 'tiny.gguf'));
    fs.copyFileSync(tiny.adapter, path.join(core.paths.models, 'tiny-lora.gguf'));
    fs.writeFileSync(path.join(core.paths.models, 'notes.txt'), 'not a model');
    // A link in the folder that leads out of it: never listed, never added.
    fs.copyFileSync(tiny.model, path.join(outside, 'secret.gguf'));
    fs.symlinkSync(path.join(outside, 'secret.gguf'), path.join(core.paths.models, 'escape.gguf'));
  }, 60_000);
  afterAll(async () => {
    await server.close();
    await core.close();
  });

  it('models.folder lists the GGUF files of models/ by name (not links out, not other files)', async () => {
    const r = await post('models.folder', {});
    expect(r.status).toBe(200);
    expect(r.body.result.folder).toBe(core.paths.models);
    const files = r.body.result.files as { file: string; gguf: { fileKind: string } | null }[];
    expect(files.map((f) => f.file)).toEqual(['tiny-lora.gguf', 'tiny.gguf']);
    expect(files.find((f) => f.file === 'tiny-lora.gguf')!.gguf!.fileKind).toBe('adapter');
  });

  it('models.addFromFolder adds a file by its name; the folder then no longer offers it', async () => {
    const r = await post('models.addFromFolder', { file: 'tiny.gguf', name: 'tiny' });
    expect(r.status).toBe(200);
    expect(r.body.result.model).toMatchObject({ name: 'tiny', path: path.join(core.paths.models, 'tiny.gguf') });
    const after = await post('models.folder', {});
    expect(after.body.result.files.map((f: { file: string }) => f.file)).toEqual(['tiny-lora.gguf']);
  });

  it('refuses a name that is a path, a link out of the folder, an adapter and a missing file', async () => {
    for (const file of ['../x.gguf', 'a/b.gguf', '..', `${outside}/secret.gguf`]) {
      const r = await post('models.addFromFolder', { file });
      expect(r.status, file).toBe(400);
      expect(r.body.error.issues.map((i: { path: string }) => i.path)).toContain('file');
    }
    const link = await post('models.addFromFolder', { file: 'escape.gguf' });
    expect(link.status).toBe(400);
    expect(link.body.error.message).toMatch(/link that leads out of/);
    expect((await post('models.addFromFolder', { file: 'tiny-lora.gguf' })).body.error.message).toMatch(
      /LoRA adapter, not a model/,
    );
    expect((await post('models.addFromFolder', { file: 'nope.gguf' })).status).toBe(404);
    expect(core.llm.library.list().map((m) => m.name)).toEqual(['tiny']);
  });

  it('the core checks the name itself too, beneath the contract (a caller that skips it)', async () => {
    await expect(core.llm.addFromFolder({ file: '../x.gguf' })).rejects.toMatchObject({ kind: 'invalid-input' });
    await expect(core.llm.addFromFolder({ file: 'escape.gguf' })).rejects.toMatchObject({ kind: 'invalid-input' });
  });

  it('models.add and models.inspect by path stay 403 over HTTP and work locally', async () => {
    const file = path.join(outside, 'secret.gguf');
    expect((await post('models.add', { path: file })).status).toBe(403);
    expect((await post('models.inspect', { path: file })).status).toBe(403);
    const local = await core.call('models.inspect', { path: file });
    expect(local.ok).toBe(true);
  });

  it('chat.complete takes a training run’s adapter by run id; an adapter path stays local-only', async () => {
    const runId = storeTrainRun(core, path.join(core.paths.models, 'tiny-lora.gguf'));
    const text = 'The quick brown fox';
    const decoding = { maxTokens: 6 };
    const template = { inline: { format: 'raw', systemPrompt: '', instruction: '{text}' } };
    const plain = await post('chat.complete', { target: { kind: 'local', model: 'tiny' }, template, text, decoding });
    expect(plain.status).toBe(200);
    const adapted = await post('chat.complete', {
      target: { kind: 'local', model: 'tiny', adapterRun: runId },
      template,
      text,
      decoding,
    });
    expect(adapted.status).toBe(200);
    expect(adapted.body.result.output).not.toBe(plain.body.result.output);

    const byPath = { kind: 'local', model: 'tiny', adapter: path.join(core.paths.models, 'tiny-lora.gguf') };
    const refused = await post('chat.complete', { target: byPath, template, text, decoding });
    expect(refused.status).toBe(403);
    expect(refused.body.error.issues[0].path).toBe('target.adapter');
    const local = await core.call('chat.complete', { target: byPath, template, text, decoding });
    expect(local.ok && (local.result as { output: string }).output).toBe(adapted.body.result.output);

    const both = await post('chat.complete', { target: { ...byPath, adapterRun: runId }, template, text, decoding });
    expect(both.status).toBe(400);
  }, 60_000);

  it('runs and loglik take adapterRun; a run without an adapter GGUF, or no such run, is refused', async () => {
    const runId = storeTrainRun(core, path.join(core.paths.models, 'tiny-lora.gguf'));
    const loglik = await post('llm.loglik', { model: 'tiny', adapterRun: runId, items: [{ text: 'hello there' }] });
    expect(loglik.status).toBe(200);
    const started = await post('runs.start', {
      target: { kind: 'local', model: 'tiny', adapterRun: runId },
      source: { kind: 'texts', name: 't', texts: ['a b c'] },
      decoding: { maxTokens: 2 },
    });
    expect(started.status).toBe(200);
    const waited = await post('jobs.wait', { id: started.body.result.job.id });
    expect(waited.body.result.job.state).toBe('succeeded');
    const run = (await post('runs.get', { id: started.body.result.run.id })).body.result.run;
    expect(run.provenance.adapterSha256).toMatch(/^[0-9a-f]{64}$/);

    const unfinished = storeTrainRun(core, null);
    const noGguf = await post('llm.loglik', { model: 'tiny', adapterRun: unfinished, items: [{ text: 'x y' }] });
    expect(noGguf.status).toBe(400);
    expect(noGguf.body.error.message).toMatch(/has no adapter GGUF/);
    expect((await post('llm.loglik', { model: 'tiny', adapterRun: 99999, items: [{ text: 'x' }] })).status).toBe(404);
  }, 60_000);

  it('train.bases lists bases/ by name; train.preflight takes bases:NAME but not a path', async () => {
    const base = path.join(core.paths.bases, 'tiny-base');
    fs.mkdirSync(base, { recursive: true });
    fs.writeFileSync(
      path.join(base, 'config.json'),
      JSON.stringify({ hidden_size: 64, num_hidden_layers: 2, vocab_size: 256, intermediate_size: 128 }),
    );
    fs.mkdirSync(path.join(outside, 'base-out'), { recursive: true });
    fs.writeFileSync(path.join(outside, 'base-out', 'config.json'), '{}');
    fs.symlinkSync(path.join(outside, 'base-out'), path.join(core.paths.bases, 'escape'));
    fs.writeFileSync(path.join(core.paths.bases, 'README.txt'), 'put base folders here');

    const listed = await post('train.bases', {});
    expect(listed.status).toBe(200);
    expect(listed.body.result).toEqual({ folder: core.paths.bases, bases: [{ name: 'tiny-base', hasConfig: true }] });

    const input = { dataset: 'nope', countTokens: false };
    // The dataset does not exist: a 404 from the preflight itself shows the base was accepted.
    const named = await post('train.preflight', { ...input, base: 'bases:tiny-base' });
    expect(named.status, JSON.stringify(named.body)).not.toBe(403);
    expect(named.body.error?.message ?? '').not.toMatch(/base/);
    for (const bad of [base, '../x', 'bases:../x', 'bases:a/b'])
      expect((await post('train.preflight', { ...input, base: bad })).status, bad).toBe(403);
    const escape = await post('train.preflight', { ...input, base: 'bases:escape' });
    expect(escape.status).toBe(400);
    expect(escape.body.error.message).toMatch(/link that leads out of/);
    expect((await post('train.preflight', { ...input, base: 'bases:missing' })).status).toBe(404);
    // A Hugging Face id that is also a folder where the server runs would be read as that folder.
    const relative = path.relative(process.cwd(), path.join(process.cwd(), 'tests', 'fixtures'));
    expect((await post('train.preflight', { ...input, base: relative })).status).toBe(403);
    // Locally a folder path is still fine (the same preflight as bases:tiny-base).
    const local = await core.call('train.preflight', { ...input, base });
    expect(local.ok ? null : local.error.message).toEqual(named.body.error?.message ?? null);
  });

  it('worker.doctor lists the Pythons found; worker.setup picks one by index, never by path over HTTP', async () => {
    const doctor = await post('worker.doctor', {});
    expect(doctor.status).toBe(200);
    const pythons = doctor.body.result.pythons as { index: number; path: string; version: string }[];
    expect(pythons.length).toBeGreaterThan(0);
    expect(pythons.map((p) => p.index)).toEqual(pythons.map((_, i) => i));
    const byPath = await post('worker.setup', { python: pythons[0]!.path, cpu: true });
    expect(byPath.status).toBe(403);
    expect(byPath.body.error.issues[0].path).toBe('python');
    const missing = await post('worker.setup', { pythonIndex: 200, cpu: true });
    expect(missing.status).toBe(200);
    const job = (await post('jobs.wait', { id: missing.body.result.job.id })).body.result.job;
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/no Python 200 on this machine/);
    expect((await post('worker.setup', { pythonIndex: 0, python: 'python3' })).status).toBe(400);
  });

  it('refuses split ratios of 1e308 over HTTP', async () => {
    const r = await post('datasets.split', { dataset: 'd', ratios: [1e308, 1e308, 1e308] });
    expect(r.status).toBe(400);
    expect(r.body.error.issues.map((i: { path: string }) => i.path)).toContain('ratios.0');
  });
});
