// The models capability (folder llm): GGUF models, prompt templates, local inference (playground,
// log-likelihoods), OpenAI-compatible endpoints and the Hugging Face token, all kept by the LLM
// service (endpoint keys and the HF token share its secret store).
import { contracts as llmContracts } from '../../../shared/contracts/llm';
import { endpoints } from '../../../shared/contracts/runs';
import { hf } from '../../../shared/contracts/training';
import { ApiError } from '../../../shared/contract';
import { defineCapability, type CapabilityContext } from '../capability';
import type { TrainingService } from '../training';
import { createLlmService } from '.';
import { HF_TOKEN_SECRET, hfToken } from './secrets';

export const capability = defineCapability({
  name: 'llm',
  contracts: { ...llmContracts, endpoints, hf },
  migrations: [
    {
      // Shipped in the global migration 2 (with the runs capability's tables).
      id: 'models-templates-endpoints',
      sql: `
-- A registered GGUF file. gguf: JSON GgufSummary read from its header; source: JSON ModelSource.
CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  source TEXT NOT NULL,
  gguf TEXT NOT NULL,
  added_at TEXT NOT NULL
);

-- Versioned prompt templates: a save under an existing name adds the next version.
CREATE TABLE prompt_templates (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  format TEXT NOT NULL,
  system_prompt TEXT NOT NULL,
  instruction TEXT NOT NULL,
  builtin INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  UNIQUE (name, version)
);

-- OpenAI-compatible endpoints. The API key is never here: key_backend says where it is kept.
CREATE TABLE endpoints (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  base_url TEXT NOT NULL,
  model TEXT NOT NULL,
  concurrency INTEGER NOT NULL,
  requests_per_minute INTEGER NOT NULL,
  timeout_ms INTEGER NOT NULL,
  max_retries INTEGER NOT NULL,
  key_backend TEXT,
  created_at TEXT NOT NULL
);

-- Ciphertext only (Electron safeStorage); plain-text secrets are never stored.
CREATE TABLE secrets (
  name TEXT PRIMARY KEY,
  ciphertext BLOB NOT NULL,
  updated_at TEXT NOT NULL
);

-- Endpoint responses by request hash, so a rerun costs nothing.
CREATE TABLE response_cache (
  key TEXT PRIMARY KEY,
  response TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`,
    },
  ],
  create({ db, paths, jobs, events, now, options, later }: CapabilityContext<unknown, { training: TrainingService }>) {
    const llm = createLlmService({
      db,
      paths,
      jobs,
      events,
      now,
      ...(options.runtime ? { runtime: options.runtime } : {}),
      ...(options.safeStorage ? { safeStorage: options.safeStorage } : {}),
      ...(options.secretTool !== undefined ? { secretTool: options.secretTool } : {}),
      ...(options.endpointRetryBaseMs !== undefined ? { endpointRetryBaseMs: options.endpointRetryBaseMs } : {}),
      // `adapterRun`: a training run's adapter GGUF (training is registered after this; this runs per call).
      trainRunAdapter: (id) => later().training.get(id),
    });
    const hfTokenStatus = async () => {
      const token = await hfToken(llm.secrets);
      return { hasToken: token !== null, backend: token?.backend ?? null, keychain: llm.secrets.status() };
    };
    return {
      service: llm,
      handlers: {
        'models.list': () => llm.listModels(),
        'models.folder': () => llm.modelFolder(),
        'models.addFromFolder': async (input) => ({ model: await llm.addFromFolder(input) }),
        'models.get': (input) => ({ model: llm.library.get(input.name) }),
        'models.add': async (input) => ({ model: await llm.addModel(input) }),
        'models.pull': (input) => ({ job: llm.startPull(input).job }),
        'models.remove': (input) => llm.removeModel(input),
        'models.preflight': (input) => llm.preflight(input),
        'models.inspect': (input) => llm.inspect(input.path),
        'llm.hardware': () => llm.hardware(),
        'llm.templates': (input) => ({ templates: llm.templates.list(input.name, input.allVersions) }),
        'llm.saveTemplate': ({ name, ...spec }) => ({ template: llm.templates.save(name, spec) }),
        'llm.renderPrompt': (input) => llm.renderPrompt(input),
        'llm.loglik': (input) => llm.loglik(input),
        'chat.complete': (input) => llm.complete(input),
        'chat.cancel': (input) => llm.cancelCompletion(input.streamId),
        'endpoints.list': async () => ({ endpoints: await llm.endpoints.list(), keychain: llm.secrets.status() }),
        'endpoints.save': async ({ name, apiKey, ...settings }) => ({
          endpoint: await llm.saveEndpoint(name, settings, apiKey),
        }),
        'endpoints.remove': async (input) => {
          await llm.endpoints.remove(input.name);
          return { removed: input.name };
        },
        'endpoints.test': (input) => llm.testEndpoint(input.name),
        'hf.tokenStatus': () => hfTokenStatus(),
        'hf.setToken': async ({ token }) => {
          if (!llm.secrets.writableBackend)
            throw new ApiError(
              'failed',
              `${llm.secrets.status().message} For Hugging Face downloads, set HF_TOKEN in the environment instead.`,
            );
          await llm.secrets.set(HF_TOKEN_SECRET, token);
          return hfTokenStatus();
        },
        'hf.clearToken': async () => {
          await llm.secrets.delete(HF_TOKEN_SECRET);
          return hfTokenStatus();
        },
      },
      // After every job ended: unload models and contexts.
      close: () => llm.close(),
    };
  },
});
