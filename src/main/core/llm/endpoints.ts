// OpenAI-compatible endpoints: settings in the database, the key in the SecretStore only.
import { ApiError } from '../../../shared/contract';
import type { Endpoint, SecretBackend } from '../../../shared/contracts/runs';
import type { Db } from '../db';
import type { EndpointConfig } from './openai';
import type { SecretStore } from './secrets';

interface EndpointRow {
  id: number;
  name: string;
  base_url: string;
  model: string;
  concurrency: number;
  requests_per_minute: number;
  timeout_ms: number;
  max_retries: number;
  key_backend: string | null;
  created_at: string;
}

export type EndpointSettingsInput = Omit<EndpointConfig, 'name'>;

export interface EndpointStore {
  list(): Promise<Endpoint[]>;
  config(name: string): EndpointConfig;
  get(name: string): Promise<Endpoint>;
  save(name: string, settings: EndpointSettingsInput, apiKey: string | null | undefined): Promise<Endpoint>;
  remove(name: string): Promise<void>;
  apiKey(name: string): Promise<string | null>;
}

export function createEndpointStore(db: Db, secrets: SecretStore, now: () => Date): EndpointStore {
  const byName = db.prepare<[string], EndpointRow>('SELECT * FROM endpoints WHERE name = ?');

  function row(name: string): EndpointRow {
    const r = byName.get(name);
    if (!r) {
      const names = db
        .prepare<[], { name: string }>('SELECT name FROM endpoints ORDER BY name')
        .all()
        .map((x) => x.name);
      throw new ApiError(
        'not-found',
        `no endpoint "${name}"${names.length ? ` (have: ${names.join(', ')})` : ' (none saved yet)'}`,
      );
    }
    return r;
  }

  async function toEndpoint(r: EndpointRow): Promise<Endpoint> {
    const key = await secrets.get(r.name);
    return {
      id: r.id,
      name: r.name,
      baseUrl: r.base_url,
      model: r.model,
      concurrency: r.concurrency,
      requestsPerMinute: r.requests_per_minute,
      timeoutMs: r.timeout_ms,
      maxRetries: r.max_retries,
      hasKey: key !== null,
      keyBackend: (key?.backend ?? null) as SecretBackend | null,
      createdAt: r.created_at,
    };
  }

  return {
    async list() {
      const rows = db.prepare<[], EndpointRow>('SELECT * FROM endpoints ORDER BY name').all();
      return Promise.all(rows.map(toEndpoint));
    },
    config(name) {
      const r = row(name);
      return {
        name: r.name,
        baseUrl: r.base_url,
        model: r.model,
        concurrency: r.concurrency,
        requestsPerMinute: r.requests_per_minute,
        timeoutMs: r.timeout_ms,
        maxRetries: r.max_retries,
      };
    },
    async get(name) {
      return toEndpoint(row(name));
    },
    async save(name, s, apiKey) {
      // The key first: if no keychain can take it, nothing is saved.
      let backend: string | null = byName.get(name)?.key_backend ?? null;
      if (typeof apiKey === 'string') backend = await secrets.set(name, apiKey);
      if (apiKey === null) {
        await secrets.delete(name);
        backend = null;
      }
      db.prepare(
        `INSERT INTO endpoints (name, base_url, model, concurrency, requests_per_minute, timeout_ms, max_retries, key_backend, created_at)
         VALUES (@name, @baseUrl, @model, @concurrency, @requestsPerMinute, @timeoutMs, @maxRetries, @backend, @at)
         ON CONFLICT(name) DO UPDATE SET base_url = excluded.base_url, model = excluded.model, concurrency = excluded.concurrency,
           requests_per_minute = excluded.requests_per_minute, timeout_ms = excluded.timeout_ms, max_retries = excluded.max_retries,
           key_backend = excluded.key_backend`,
      ).run({ name, ...s, backend, at: now().toISOString() });
      return toEndpoint(row(name));
    },
    async remove(name) {
      row(name);
      await secrets.delete(name);
      db.prepare('DELETE FROM endpoints WHERE name = ?').run(name);
    },
    async apiKey(name) {
      return (await secrets.get(name))?.value ?? null;
    },
  };
}
