// When the preflight may ask the worker for real token counts: only for a tokenizer already on
// this machine (a model folder, or a snapshot in the Hugging Face cache), never a download.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cachedTokenCount,
  hfHubCache,
  inHfCache,
  tokenCacheKey,
  tokenizerUnavailable,
  type TokenCache,
} from '../../../src/main/core/training/tokencount';
import { tempDir } from '../../helpers';

describe('tokenizer availability', () => {
  it('finds the hub cache as huggingface_hub does', () => {
    expect(hfHubCache({ HF_HUB_CACHE: '/a' })).toBe('/a');
    expect(hfHubCache({ HF_HOME: '/h' })).toBe(path.join('/h', 'hub'));
    expect(hfHubCache({ XDG_CACHE_HOME: '/x' })).toBe(path.join('/x', 'huggingface', 'hub'));
  });

  it('takes a cached snapshot with tokenizer files, and nothing else', () => {
    const hub = tempDir();
    const env = { HF_HUB_CACHE: hub };
    expect(inHfCache('org/model', env)).toBe(false);
    const snap = path.join(hub, 'models--org--model', 'snapshots', 'abc123');
    fs.mkdirSync(snap, { recursive: true });
    fs.writeFileSync(path.join(snap, 'config.json'), '{}');
    expect(inHfCache('org/model', env)).toBe(false); // a snapshot without its tokenizer
    fs.writeFileSync(path.join(snap, 'tokenizer.json'), '{}');
    expect(inHfCache('org/model', env)).toBe(true);
    expect(inHfCache('../../etc', env)).toBe(false);
    expect(tokenizerUnavailable('org/model', null, env)).toBeNull();
    expect(tokenizerUnavailable('org/other', null, env)).toMatch(/never downloads/);
  });

  it('takes a model folder with tokenizer files', () => {
    const dir = tempDir();
    expect(tokenizerUnavailable(dir, dir)).toMatch(/no tokenizer files/);
    fs.writeFileSync(path.join(dir, 'tokenizer.model'), '');
    expect(tokenizerUnavailable(dir, dir)).toBeNull();
  });

  it('keys the cache by data hash, base, max_seq_length and response-only loss', async () => {
    const a = { dataHash: 'h', base: '/m', maxSeq: 512, responseOnly: true };
    expect(tokenCacheKey(a)).not.toBe(tokenCacheKey({ ...a, maxSeq: 1024 }));
    expect(tokenCacheKey(a)).not.toBe(tokenCacheKey({ ...a, responseOnly: false }));
    const cache: TokenCache = new Map();
    expect(cachedTokenCount(a, cache)).toBeNull();
    const count = { tokenizer: 'T', files: [], ms: 5000, cached: false };
    cache.set(tokenCacheKey(a), { promise: Promise.resolve({ ok: true, count }), done: count });
    expect(cachedTokenCount(a, cache)).toEqual({ ...count, ms: 0, cached: true });
  });
});
