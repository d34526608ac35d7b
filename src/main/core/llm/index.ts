// The llm capability: model library, downloads, preflight, playground completions, sentence
// log-likelihoods and OpenAI-compatible endpoints, over one lazy node-llama-cpp runtime.
import fs from 'node:fs';
import path from 'node:path';
import type { ParsedInput } from '../../../shared/api';
import { ApiError } from '../../../shared/contract';
import type {
  Completion,
  GgufSummary,
  Hardware,
  LoadOptions,
  LoglikResult,
  ModelFolderFile,
  ModelInfo,
  Preflight,
  Target,
  TemplateSpec,
} from '../../../shared/contracts/llm';
import type { EventBus } from '../events';
import type { Db } from '../db';
import type { JobService, StartedJob } from '../jobs';
import type { HomePaths } from '../paths';
import { downloadFile, hfResolveUrl, parseHfUri } from './download';
import { createEndpointStore, type EndpointSettingsInput, type EndpointStore } from './endpoints';
import { listModelFolder, modelFolderFile } from './folder';
import { completeOnSequence } from './generate';
import { inspectGguf, specialTokenText, type InspectedGguf } from './gguf';
import { sha256File } from './hash';
import { createModelLibrary, nameFromFile, RECOMMENDED_MODELS, type ModelLibrary } from './library';
import { scoreTexts } from './loglik';
import { createEndpointClient, type EndpointClient, type EndpointConfig, type EndpointPrompt } from './openai';
import { createLlamaRuntime, type LlamaRuntime, type RuntimeOptions, type Session } from './runtime';
import { createSecretStore, hfToken, type SafeStorageLike, type SecretStore } from './secrets';
import { chatMessages, createTemplateStore, renderPrompt, type ModelPromptInfo, type TemplateStore } from './templates';

export type { LlamaRuntime, Session } from './runtime';
export type { SafeStorageLike, SecretStore } from './secrets';

export interface LlmDeps {
  db: Db;
  paths: HomePaths;
  jobs: JobService;
  events: EventBus;
  now: () => Date;
  runtime?: RuntimeOptions;
  /** Electron safeStorage, injected by the desktop main process. */
  safeStorage?: SafeStorageLike;
  /** For tests: the secret-tool binary (null: none). Default: looked up on PATH. */
  secretTool?: string | null;
  /** For tests: backoff base of endpoint retries (default 1000 ms). */
  endpointRetryBaseMs?: number;
  /**
   * The adapter GGUF of a training run (`adapterRun`), from the training capability; throws
   * not-found for no such run. Without it, adapterRun is refused.
   */
  trainRunAdapter?: (id: number) => { name: string; adapterGguf: string | null };
}

export interface LocalHandle {
  session: Session;
  model: ModelInfo;
  gguf: InspectedGguf;
  adapterSha256: string | null;
  promptInfo: ModelPromptInfo;
}

export interface LlmService {
  runtime: LlamaRuntime;
  library: ModelLibrary;
  templates: TemplateStore;
  endpoints: EndpointStore;
  secrets: SecretStore;
  hardware(): Promise<Hardware>;
  listModels(): { models: ModelInfo[]; recommended: typeof RECOMMENDED_MODELS };
  addModel(input: { path: string; name?: string | undefined }): Promise<ModelInfo>;
  /** The models/ folder and its GGUF files not in the library yet (models.folder). */
  modelFolder(): Promise<{ folder: string; files: ModelFolderFile[] }>;
  /** Register a file of the models/ folder by its file name (models.addFromFolder). */
  addFromFolder(input: ParsedInput<'models.addFromFolder'>): Promise<ModelInfo>;
  startPull(input: ParsedInput<'models.pull'>): StartedJob<ModelInfo>;
  removeModel(input: ParsedInput<'models.remove'>): { removed: string; fileDeleted: boolean };
  preflight(input: ParsedInput<'models.preflight'>): Promise<Preflight>;
  inspect(file: string): Promise<{ path: string; sizeBytes: number; gguf: GgufSummary }>;
  /** A registered model's header, re-read when the file changed. */
  inspectModel(model: ModelInfo): Promise<InspectedGguf>;
  promptInfo(gguf: InspectedGguf): ModelPromptInfo;
  /** The adapter file a local target names (its path, or its training run's adapter GGUF), or null. */
  adapterFile(target: Extract<Target, { kind: 'local' }>): string | null;
  /** Load a local target (model + optional adapter) with a context; the caller disposes the session. */
  openLocal(target: Extract<Target, { kind: 'local' }>, load: LoadOptions): Promise<LocalHandle>;
  endpointClient(name: string): Promise<{ client: EndpointClient; config: EndpointConfig }>;
  complete(input: ParsedInput<'chat.complete'>): Promise<Completion>;
  /** Stop the running completion that gave `streamId` (see chat.cancel). */
  cancelCompletion(streamId: string): { cancelled: boolean };
  loglik(
    input: ParsedInput<'llm.loglik'>,
  ): Promise<{ model: string; modelSha256: string; results: LoglikResult[]; durationMs: number }>;
  renderPrompt(input: ParsedInput<'llm.renderPrompt'>): Promise<{ prompt: string }>;
  saveEndpoint(
    name: string,
    settings: EndpointSettingsInput,
    apiKey: string | null | undefined,
  ): Promise<Awaited<ReturnType<EndpointStore['get']>>>;
  testEndpoint(name: string): Promise<{ ok: boolean; latencyMs: number; message: string }>;
  close(): Promise<void>;
}

/** How a template reaches an endpoint: the model's own template → chat messages; otherwise the rendered text. */
export function endpointPrompt(spec: TemplateSpec, text: string): { request: EndpointPrompt; shown: string } {
  if (spec.format === 'model') {
    const messages = chatMessages(spec, text);
    return { request: { kind: 'chat', messages }, shown: JSON.stringify(messages) };
  }
  // Servers add BOS themselves: the text goes without it.
  const prompt = renderPrompt(spec, text, { chatTemplate: null, bos: '', eos: '' });
  return { request: { kind: 'completion', prompt }, shown: prompt };
}

export function createLlmService(deps: LlmDeps): LlmService {
  const { db, jobs, events, now } = deps;
  const runtime = createLlamaRuntime(deps.runtime ?? {});
  const library = createModelLibrary(db, now);
  const templates = createTemplateStore(db, now);
  const secrets = createSecretStore({
    db,
    now,
    ...(deps.safeStorage ? { safeStorage: deps.safeStorage } : {}),
    ...(deps.secretTool !== undefined ? { secretTool: deps.secretTool } : {}),
  });
  const endpoints = createEndpointStore(db, secrets, now);
  const modelsDir = deps.paths.models;

  const inspected = new Map<string, { key: string; value: InspectedGguf }>();
  async function inspectCached(file: string): Promise<InspectedGguf> {
    let key = '';
    try {
      const st = fs.statSync(file);
      key = `${st.size}:${st.mtimeMs}`;
    } catch {
      // inspectGguf reports the missing file
    }
    const hit = inspected.get(file);
    if (hit && hit.key === key && key !== '') return hit.value;
    const value = await inspectGguf(file);
    inspected.set(file, { key, value });
    return value;
  }

  const hashes = new Map<string, { key: string; sha: string }>();
  async function fileSha(file: string): Promise<string> {
    const st = fs.statSync(file);
    const key = `${st.size}:${st.mtimeMs}`;
    const hit = hashes.get(file);
    if (hit?.key === key) return hit.sha;
    const sha = await sha256File(file);
    hashes.set(file, { key, sha });
    return sha;
  }

  async function inspectModel(model: ModelInfo): Promise<InspectedGguf> {
    if (model.missing)
      throw new ApiError(
        'not-found',
        `the file of model "${model.name}" is gone: ${model.path} (remove the model, or put the file back)`,
      );
    return inspectCached(model.path);
  }

  function promptInfo(gguf: InspectedGguf): ModelPromptInfo {
    const special = specialTokenText(gguf.info);
    return { chatTemplate: gguf.summary.chatTemplate, bos: special.bos, eos: special.eos };
  }

  /** The adapter GGUF a training run made, checked to exist: what `adapterRun` names. */
  function trainRunAdapterFile(id: number): string {
    if (!deps.trainRunAdapter) throw new ApiError('invalid-input', 'adapterRun needs the training capability');
    const run = deps.trainRunAdapter(id);
    if (!run.adapterGguf)
      throw new ApiError(
        'invalid-input',
        `training run ${id} (${run.name}) has no adapter GGUF (it has not finished, or ran without the GGUF export)`,
      );
    if (!fs.existsSync(run.adapterGguf))
      throw new ApiError(
        'not-found',
        `the adapter GGUF of training run ${id} (${run.name}) is gone: ${run.adapterGguf}`,
      );
    return run.adapterGguf;
  }

  function adapterFile(target: Extract<Target, { kind: 'local' }>): string | null {
    if (target.adapterRun !== undefined) return trainRunAdapterFile(target.adapterRun);
    return target.adapter ?? null;
  }

  async function openLocal(target: Extract<Target, { kind: 'local' }>, load: LoadOptions): Promise<LocalHandle> {
    const model = library.get(target.model);
    const gguf = await inspectModel(model);
    let adapter: { path: string; scale: number } | undefined;
    let adapterSha256: string | null = null;
    const named = adapterFile(target);
    if (named) {
      const file = path.resolve(named);
      const a = await inspectCached(file);
      if (a.summary.fileKind !== 'adapter')
        throw new ApiError('invalid-input', `${file} is a model, not a LoRA adapter (general.type is not "adapter")`);
      if (a.summary.architecture !== gguf.summary.architecture) {
        throw new ApiError(
          'invalid-input',
          `the adapter is for "${a.summary.architecture}" models; ${model.name} is "${gguf.summary.architecture}"`,
        );
      }
      adapter = { path: file, scale: target.adapterScale };
      adapterSha256 = await fileSha(file);
    }
    const session = await runtime.open({ name: model.name, gguf, load, ...(adapter ? { adapter } : {}) });
    return { session, model, gguf, adapterSha256, promptInfo: promptInfo(gguf) };
  }

  async function endpointClient(name: string) {
    const config = endpoints.config(name);
    const apiKey = await endpoints.apiKey(name);
    return {
      config,
      client: createEndpointClient(config, {
        apiKey,
        db,
        ...(deps.endpointRetryBaseMs !== undefined ? { retryBaseMs: deps.endpointRetryBaseMs } : {}),
      }),
    };
  }

  /** One completion; `signal` stops it (what was generated comes back with finishReason 'cancelled'). */
  async function completeNow(
    input: Parameters<LlmService['complete']>[0],
    signal: AbortSignal | undefined,
  ): Promise<Completion> {
    const spec = templates.resolve(input.template);
    const stream = input.streamId
      ? (text: string) => events.emit({ type: 'chat-token', streamId: input.streamId!, text })
      : undefined;
    if (input.target.kind === 'endpoint') {
      const { client } = await endpointClient(input.target.endpoint);
      const { request, shown } = endpointPrompt(spec, input.text);
      try {
        const r = await client.complete(request, input.decoding, signal ? { signal } : {});
        stream?.(r.output);
        return {
          prompt: shown,
          output: r.output,
          promptTokens: r.promptTokens ?? 0,
          completionTokens: r.completionTokens ?? 0,
          finishReason: r.finishReason,
          loadMs: 0,
          generateMs: r.generateMs,
          tokensPerSecond: r.completionTokens && r.generateMs > 0 ? r.completionTokens / (r.generateMs / 1000) : null,
          cached: r.cached,
        };
      } catch (err) {
        if (signal?.aborted) return cancelledBeforeOutput(shown, 0);
        throw new ApiError('failed', `${input.target.endpoint}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const local = await openLocal(input.target, { ...input.load, sequences: 1 });
    try {
      const prompt = renderPrompt(spec, input.text, local.promptInfo);
      if (signal?.aborted) return cancelledBeforeOutput(prompt, local.session.loadMs);
      const sequence = local.session.context.getSequence();
      try {
        const r = await completeOnSequence(sequence, local.session.model, prompt, input.decoding, {
          ...(stream ? { onText: stream } : {}),
          ...(signal ? { signal } : {}),
        });
        return {
          prompt,
          output: r.output,
          promptTokens: r.promptTokens,
          completionTokens: r.completionTokens,
          finishReason: r.finishReason,
          loadMs: local.session.loadMs,
          generateMs: r.generateMs,
          tokensPerSecond: r.generateMs > 0 ? r.completionTokens / (r.generateMs / 1000) : null,
          cached: false,
        };
      } catch (err) {
        if (err instanceof Error && err.name === 'ItemError') throw new ApiError('invalid-input', err.message);
        throw err;
      } finally {
        sequence.dispose();
      }
    } finally {
      await local.session.dispose();
    }
  }

  /** A completion stopped before any output (during loading, or an endpoint request). */
  function cancelledBeforeOutput(prompt: string, loadMs: number): Completion {
    return {
      prompt,
      output: '',
      promptTokens: 0,
      completionTokens: 0,
      finishReason: 'cancelled',
      loadMs,
      generateMs: 0,
      tokensPerSecond: null,
      cached: false,
    };
  }

  async function addModel(input: { path: string; name?: string | undefined }): Promise<ModelInfo> {
    const file = path.resolve(input.path);
    const gguf = await inspectGguf(file);
    if (gguf.summary.fileKind === 'adapter') {
      throw new ApiError('invalid-input', `${file} is a LoRA adapter, not a model: pass it to a run with --adapter`);
    }
    const existing = library.findByPath(file);
    if (existing) {
      if (input.name && input.name !== existing.name)
        throw new ApiError('conflict', `${file} is already in the library as "${existing.name}"`);
      return existing;
    }
    const name = input.name ?? nameFromFile(file);
    if (library.has(name))
      throw new ApiError('conflict', `a model named "${name}" already exists; choose another name (--name)`);
    const sha256 = await fileSha(file);
    const model = library.insert({
      name,
      path: file,
      sizeBytes: gguf.sizeBytes,
      sha256,
      source: { kind: 'file' },
      gguf: gguf.summary,
    });
    events.emit({ type: 'models-changed', model: model.name });
    return model;
  }

  /** Running completions by stream id, for chat.cancel. */
  const completions = new Map<string, AbortController>();

  return {
    runtime,
    library,
    templates,
    endpoints,
    secrets,
    hardware: () => runtime.hardware(),
    listModels: () => ({ models: library.list(), recommended: RECOMMENDED_MODELS }),

    async modelFolder() {
      const registered = new Set(
        library.list().flatMap((m) => {
          try {
            return [fs.realpathSync(m.path)];
          } catch {
            return [];
          }
        }),
      );
      return { folder: modelsDir, files: await listModelFolder(modelsDir, registered, inspectCached) };
    },

    async addFromFolder(input) {
      const file = modelFolderFile(modelsDir, input.file);
      return addModel({ path: file, ...(input.name ? { name: input.name } : {}) });
    },

    addModel,

    startPull(input) {
      const hf = parseHfUri(input.uri);
      const url = hfResolveUrl(hf);
      const name = input.name ?? nameFromFile(hf.file);
      const existing = library.findBySource(input.uri);
      if (!existing && library.has(name))
        throw new ApiError('conflict', `a model named "${name}" already exists; pull with another name (--name)`);
      const dest = path.join(modelsDir, hf.owner, hf.repo, ...hf.file.split('/'));
      return jobs.start<ModelInfo>({
        kind: 'model-download',
        title: `Download ${input.uri}`,
        params: { uri: input.uri, url, name },
        unit: 'bytes',
        run: async (ctx) => {
          if (existing && !existing.missing) return existing;
          const token = (await hfToken(secrets))?.value;
          const got = await downloadFile({
            url,
            dest,
            signal: ctx.signal,
            onProgress: (done, total) => ctx.progress(done, total),
            ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
          });
          let gguf: InspectedGguf;
          try {
            gguf = await inspectGguf(dest);
          } catch (err) {
            fs.rmSync(dest, { force: true });
            throw new ApiError(
              'failed',
              `downloaded ${input.uri}, but it is not a usable model: ${err instanceof Error ? err.message : String(err)}`,
            );
          }
          if (existing) library.remove(existing.name);
          const model = library.insert({
            name,
            path: dest,
            sizeBytes: got.bytes,
            sha256: got.sha256,
            source: { kind: 'hf', uri: input.uri, url },
            gguf: gguf.summary,
          });
          events.emit({ type: 'models-changed', model: model.name });
          return model;
        },
      });
    },

    removeModel({ name, deleteFile }) {
      const model = library.remove(name);
      let fileDeleted = false;
      // Only files srlab downloaded itself are deleted; a file the user added is theirs.
      if (deleteFile && model.source.kind === 'hf' && model.path.startsWith(modelsDir + path.sep)) {
        fs.rmSync(model.path, { force: true });
        fileDeleted = true;
      }
      events.emit({ type: 'models-changed', model: name });
      return { removed: name, fileDeleted };
    },

    async preflight({ name, load }) {
      const model = library.get(name);
      return runtime.preflight(name, await inspectModel(model), load);
    },

    async inspect(file) {
      const g = await inspectGguf(path.resolve(file));
      return { path: g.path, sizeBytes: g.sizeBytes, gguf: g.summary };
    },

    inspectModel,
    promptInfo,
    adapterFile,
    openLocal,
    endpointClient,

    cancelCompletion(streamId) {
      const running = completions.get(streamId);
      running?.abort();
      return { cancelled: running !== undefined };
    },

    async complete(input) {
      if (!input.streamId) return completeNow(input, undefined);
      const streamId = input.streamId;
      if (completions.has(streamId))
        throw new ApiError('conflict', `a completion with stream id ${streamId} is running`);
      const abort = new AbortController();
      completions.set(streamId, abort);
      try {
        return await completeNow(input, abort.signal);
      } finally {
        completions.delete(streamId);
      }
    },
    async loglik(input) {
      const t0 = performance.now();
      // scoreTexts scores on one sequence: several sequences of one context gave wrong
      // log-likelihoods with node-llama-cpp 3.21.1 (see loglik.ts), so more would only cost memory.
      const sequences = input.load.sequences ?? 1;
      const local = await openLocal(
        {
          kind: 'local',
          model: input.model,
          adapterScale: input.adapterScale,
          ...(input.adapter ? { adapter: input.adapter } : {}),
          ...(input.adapterRun !== undefined ? { adapterRun: input.adapterRun } : {}),
        },
        { ...input.load, sequences },
      );
      try {
        const results = await scoreTexts(local.session.context, local.session.model, input.items);
        return {
          model: local.model.name,
          modelSha256: local.model.sha256,
          results,
          durationMs: performance.now() - t0,
        };
      } finally {
        await local.session.dispose();
      }
    },

    async renderPrompt(input) {
      const spec = templates.resolve(input.template);
      const info = input.model ? promptInfo(await inspectModel(library.get(input.model))) : null;
      return { prompt: renderPrompt(spec, input.text, info) };
    },

    saveEndpoint(name, settings, apiKey) {
      return endpoints.save(name, settings, apiKey);
    },

    async testEndpoint(name) {
      const { client } = await endpointClient(name);
      const t0 = performance.now();
      try {
        const r = await client.complete(
          { kind: 'chat', messages: [{ role: 'user', content: 'Say OK.' }] },
          { temperature: 0, seed: 0, maxTokens: 1, stop: [] },
          { noCache: true },
        );
        return {
          ok: true,
          latencyMs: performance.now() - t0,
          message: r.cached
            ? 'answered (from the response cache)'
            : `answered in ${Math.round(performance.now() - t0)} ms`,
        };
      } catch (err) {
        return {
          ok: false,
          latencyMs: performance.now() - t0,
          message: err instanceof Error ? err.message : String(err),
        };
      }
    },

    close: () => runtime.close(),
  };
}
