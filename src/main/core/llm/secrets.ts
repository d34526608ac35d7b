// API keys: kept by the OS keychain, never written to logs, exports or the database in plain
// text. Backends, in order: an environment variable (SRLAB_API_KEY_<NAME>, read-only, wins when
// set); Electron safeStorage (injected by the desktop main process: ciphertext in the database);
// libsecret's `secret-tool` (GNOME Keyring, KWallet…). With none, srlab refuses to store a key.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/contract';
import type { KeychainStatus, SecretBackend } from '../../../shared/contracts/runs';
import type { Db } from '../db';

/** What Electron's safeStorage offers; src/main/index.ts passes the real one in. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(cipher: Buffer): string;
}

export interface SecretStore {
  /** Where set() stores, or null when there is no keychain. */
  readonly writableBackend: 'safe-storage' | 'secret-tool' | null;
  status(): KeychainStatus;
  /** The key and where it came from, or null. */
  get(name: string): Promise<{ value: string; backend: SecretBackend } | null>;
  set(name: string, value: string): Promise<'safe-storage' | 'secret-tool'>;
  delete(name: string): Promise<void>;
}

/** SRLAB_API_KEY_<NAME>: the endpoint name upper-cased, every other character an underscore. */
export function envKeyName(name: string): string {
  return `SRLAB_API_KEY_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export function findOnPath(bin: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, bin);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

function runSecretTool(
  bin: string,
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    // The secret goes through stdin, never the command line (visible in ps).
    child.stdin.end(input ?? '');
  });
}

export interface SecretStoreDeps {
  db: Db;
  env?: NodeJS.ProcessEnv;
  safeStorage?: SafeStorageLike;
  /** Path of secret-tool; default: looked up on PATH (null disables it). */
  secretTool?: string | null;
  now?: () => Date;
}

export function createSecretStore(deps: SecretStoreDeps): SecretStore {
  const env = deps.env ?? process.env;
  const now = deps.now ?? (() => new Date());
  const safe = deps.safeStorage && deps.safeStorage.isEncryptionAvailable() ? deps.safeStorage : null;
  const secretTool = deps.secretTool === undefined ? findOnPath('secret-tool', env) : deps.secretTool;
  // secret-tool needs a running Secret Service (a desktop session's keyring): probed once, on first use.
  let probed: boolean | undefined;
  const secretToolWorks = (): boolean => {
    if (probed !== undefined) return probed;
    if (safe || secretTool === null) return (probed = false);
    const r = spawnSync(secretTool, ['search', 'service', 'srlab-probe'], { timeout: 3000, encoding: 'utf8' });
    return (probed = r.status !== null && (r.status === 0 || r.stderr.trim() === ''));
  };
  const writable = (): 'safe-storage' | 'secret-tool' | null =>
    safe ? 'safe-storage' : secretToolWorks() ? 'secret-tool' : null;

  const attrs = (name: string) => ['service', 'srlab', 'account', name];

  return {
    get writableBackend() {
      return writable();
    },
    status() {
      const writableBackend = writable();
      if (writableBackend === 'safe-storage')
        return {
          backend: writableBackend,
          message: 'API keys are encrypted with the OS keychain (Electron safeStorage).',
        };
      if (writableBackend === 'secret-tool')
        return {
          backend: writableBackend,
          message: 'API keys are stored in the OS keychain through secret-tool (libsecret).',
        };
      return {
        backend: null,
        message:
          'No OS keychain is available here (no desktop safeStorage, no working secret-tool), and srlab never stores keys in plain text. ' +
          'Give each endpoint its key in the environment instead: SRLAB_API_KEY_<NAME>, e.g. SRLAB_API_KEY_OPENAI for an endpoint named "openai".',
      };
    },
    async get(name) {
      const fromEnv = env[envKeyName(name)];
      if (fromEnv) return { value: fromEnv, backend: 'env' };
      if (safe) {
        const row = deps.db
          .prepare<[string], { ciphertext: Buffer }>('SELECT ciphertext FROM secrets WHERE name = ?')
          .get(name);
        if (row) return { value: safe.decryptString(row.ciphertext), backend: 'safe-storage' };
      }
      if (secretTool && secretToolWorks()) {
        const r = await runSecretTool(secretTool, ['lookup', ...attrs(name)]);
        if (r.code === 0 && r.stdout !== '') return { value: r.stdout.replace(/\n$/, ''), backend: 'secret-tool' };
      }
      return null;
    },
    async set(name, value) {
      if (safe) {
        deps.db
          .prepare(
            'INSERT INTO secrets (name, ciphertext, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at',
          )
          .run(name, safe.encryptString(value), now().toISOString());
        return 'safe-storage';
      }
      if (secretTool && secretToolWorks()) {
        const r = await runSecretTool(secretTool, ['store', `--label=srlab API key: ${name}`, ...attrs(name)], value);
        if (r.code !== 0)
          throw new ApiError('failed', `secret-tool could not store the key: ${r.stderr.trim() || `exit ${r.code}`}`);
        return 'secret-tool';
      }
      throw new ApiError('failed', `${this.status().message} (for this endpoint: ${envKeyName(name)})`);
    },
    async delete(name) {
      deps.db.prepare('DELETE FROM secrets WHERE name = ?').run(name);
      if (secretTool && secretToolWorks()) await runSecretTool(secretTool, ['clear', ...attrs(name)]);
    },
  };
}

/**
 * The Hugging Face access token (gated repos such as meta-llama/*) is kept under this fixed name.
 * `@` cannot start an endpoint name (ModelName), so it never collides with an endpoint's key.
 */
export const HF_TOKEN_SECRET = '@huggingface';

/**
 * The Hugging Face token: the one stored with `srlab hf-token set`, else the user's own HF_TOKEN.
 * Used for base-model downloads (training) and GGUF pulls; never logged, never put in job params.
 */
export async function hfToken(
  secrets: SecretStore,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ value: string; backend: SecretBackend } | null> {
  const stored = await secrets.get(HF_TOKEN_SECRET);
  if (stored) return stored;
  const fromEnv = env.HF_TOKEN?.trim();
  return fromEnv ? { value: fromEnv, backend: 'env' } : null;
}
