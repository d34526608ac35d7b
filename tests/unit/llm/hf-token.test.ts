// The Hugging Face token: kept in the OS keychain like endpoint keys (never in plain text),
// HF_TOKEN as the fallback, and used by GGUF pulls (and by training's base download).
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { tempDir } from '../../helpers';
import { homeBytes, keychainCipher } from './keychain';
import { type HubServer, startHub } from './hf-server';
import { tinyModelFiles } from './tiny-model';

const TOKEN = 'hf_DO_NOT_LEAK_abcdef123456';

let hub: HubServer;
let core: Core | undefined;
const savedToken = process.env.HF_TOKEN;
beforeAll(async () => {
  delete process.env.HF_TOKEN;
  hub = await startHub({ 'tiny.gguf': { body: fs.readFileSync(tinyModelFiles().model) } });
});
afterAll(async () => {
  await hub.close();
  if (savedToken !== undefined) process.env.HF_TOKEN = savedToken;
});
afterEach(async () => {
  await core?.close();
  core = undefined;
  delete process.env.HF_TOKEN;
});

describe('the Hugging Face token', () => {
  it('is refused without a keychain, pointing at HF_TOKEN, which then counts as the token', async () => {
    core = await createCore({ home: tempDir(), loadDemo: false, checkOutputs: true, secretTool: null });
    expect(await core.invoke('hf.tokenStatus', {})).toMatchObject({ hasToken: false, backend: null });
    const r = await core.call('hf.setToken', { token: TOKEN });
    expect(r).toMatchObject({ ok: false, error: { kind: 'failed', message: expect.stringMatching(/HF_TOKEN/) } });
    expect(homeBytes(core)).not.toContain(TOKEN);
    process.env.HF_TOKEN = TOKEN;
    const status = await core.invoke('hf.tokenStatus', {});
    expect(status).toMatchObject({ hasToken: true, backend: 'env' });
    expect(JSON.stringify(status)).not.toContain(TOKEN);
  });

  it('is stored encrypted, wins over HF_TOKEN, goes with GGUF pulls, and can be cleared', async () => {
    process.env.HF_ENDPOINT = hub.url;
    try {
      core = await createCore({
        home: tempDir(),
        loadDemo: false,
        checkOutputs: true,
        secretTool: null,
        safeStorage: keychainCipher(),
      });
      expect(await core.invoke('hf.setToken', { token: ` ${TOKEN}\n` })).toMatchObject({
        hasToken: true,
        backend: 'safe-storage',
      });
      expect(homeBytes(core)).not.toContain(TOKEN);
      process.env.HF_TOKEN = 'hf_from_env';

      const { job } = await core.invoke('models.pull', { uri: 'hf:o/r/tiny.gguf', name: 'tiny' });
      for (;;) {
        const j = core.jobs.get(job.id);
        if (j.state !== 'running' && j.state !== 'queued') {
          expect(j.state).toBe('succeeded');
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      const auth = hub.requests.filter((q) => q.path.includes('tiny.gguf')).map((q) => q.authorization);
      expect(auth[0]).toBe(`Bearer ${TOKEN}`);
      expect(JSON.stringify(core.jobs.get(job.id))).not.toContain(TOKEN);

      expect(await core.invoke('hf.clearToken', {})).toMatchObject({ hasToken: true, backend: 'env' });
      delete process.env.HF_TOKEN;
      expect(await core.invoke('hf.tokenStatus', {})).toMatchObject({ hasToken: false, backend: null });
    } finally {
      delete process.env.HF_ENDPOINT;
    }
  });
});
