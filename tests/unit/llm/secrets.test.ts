import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { envKeyName } from '../../../src/main/core/llm/secrets';
import { tempDir } from '../../helpers';
import { homeBytes, keychainCipher } from './keychain';

const SECRET = 'sk-live-DO-NOT-LEAK-1234567890';
const settings = { baseUrl: 'http://127.0.0.1:9/v1', model: 'gpt-4' };
let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

describe('API keys', () => {
  it.each([
    ['openai', 'SRLAB_API_KEY_OPENAI'],
    ['my vllm-box.2', 'SRLAB_API_KEY_MY_VLLM_BOX_2'],
  ])('endpoint %j reads its key from %s', (name, variable) => {
    expect(envKeyName(name)).toBe(variable);
  });

  it('are refused, with the alternative spelled out, when there is no keychain, and nothing is saved', async () => {
    core = await createCore({ home: tempDir(), loadDemo: false, checkOutputs: true, secretTool: null });
    const r = await core.call('endpoints.save', { name: 'openai', ...settings, apiKey: SECRET });
    expect(r).toMatchObject({
      ok: false,
      error: {
        kind: 'failed',
        message: expect.stringMatching(/No OS keychain .* never stores keys in plain text.*SRLAB_API_KEY_OPENAI/),
      },
    });
    const list = await core.invoke('endpoints.list', {});
    expect(list).toMatchObject({ endpoints: [], keychain: { backend: null } });
    expect(homeBytes(core)).not.toContain(SECRET);
  });

  it('are encrypted with the injected OS keychain: only ciphertext reaches the database', async () => {
    core = await createCore({
      home: tempDir(),
      loadDemo: false,
      checkOutputs: true,
      secretTool: null,
      safeStorage: keychainCipher(),
    });
    const { endpoint } = await core.invoke('endpoints.save', { name: 'openai', ...settings, apiKey: SECRET });
    expect(endpoint).toMatchObject({ name: 'openai', hasKey: true, keyBackend: 'safe-storage' });
    expect(JSON.stringify(endpoint)).not.toContain(SECRET);
    expect(await core.llm.endpoints.apiKey('openai')).toBe(SECRET);
    expect(homeBytes(core)).not.toContain(SECRET);
    expect((await core.invoke('endpoints.list', {})).keychain.backend).toBe('safe-storage');

    await core.invoke('endpoints.save', { name: 'openai', ...settings, apiKey: null });
    expect(await core.llm.endpoints.apiKey('openai')).toBeNull();
  });

  it('come from SRLAB_API_KEY_<NAME> when set, without being stored', async () => {
    process.env.SRLAB_API_KEY_LOCAL_VLLM = SECRET;
    try {
      core = await createCore({ home: tempDir(), loadDemo: false, checkOutputs: true, secretTool: null });
      const { endpoint } = await core.invoke('endpoints.save', { name: 'local-vllm', ...settings });
      expect(endpoint).toMatchObject({ hasKey: true, keyBackend: 'env' });
      expect(homeBytes(core)).not.toContain(SECRET);
    } finally {
      delete process.env.SRLAB_API_KEY_LOCAL_VLLM;
    }
  });
});
