// The edge's pure checks (transports/edge.ts, static-site.ts) on the inputs HTTP tests do not
// reach easily: IPv6 and odd Host headers, the body types, and which build files an entry loads.
import { describe, expect, it } from 'vitest';
import { apiRequestRefusal, hostAllowed, readLimited } from '../../src/main/transports/edge';
import { entryFiles } from '../../src/main/transports/static-site';

const req = (headers: Record<string, string>) => ({ method: 'POST', header: (n: string) => headers[n] });

describe('hostAllowed', () => {
  const loop = { host: '127.0.0.1', port: 7860 };
  it('takes loopback names with our port (or none), case-insensitively', () => {
    for (const h of ['127.0.0.1:7860', 'localhost:7860', 'LOCALHOST:7860', '[::1]:7860', '127.0.0.1', '[::1]'])
      expect(hostAllowed(h, loop), h).toBe(true);
  });
  it('refuses other names, other ports, userinfo tricks and garbage', () => {
    for (const h of [
      'evil.com:7860',
      '127.0.0.1:7861',
      '127.0.0.1.evil.com',
      'a@127.0.0.1:7860',
      '',
      ' ',
      '::1',
      '[::1',
    ])
      expect(hostAllowed(h, loop), h).toBe(false);
    expect(hostAllowed(undefined, loop)).toBe(false);
  });
  it('takes the configured --host (IPv6 bracketed) besides loopback', () => {
    expect(hostAllowed('[fd00::5]:7860', { host: 'fd00::5', port: 7860 })).toBe(true);
    expect(hostAllowed('gpu-box:7860', { host: 'gpu-box', port: 7860 })).toBe(true);
    expect(hostAllowed('other-box:7860', { host: 'gpu-box', port: 7860 })).toBe(false);
  });
});

describe('apiRequestRefusal', () => {
  const own = 'http://127.0.0.1:7860';
  it('wants the exact body type, our Origin and a same-origin fetch', () => {
    expect(apiRequestRefusal(req({ 'content-type': 'application/json; charset=utf-8' }), own, 'application/json')).toBe(
      null,
    );
    expect(apiRequestRefusal(req({ 'content-type': 'application/jsonx' }), own, 'application/json')?.status).toBe(415);
    expect(apiRequestRefusal(req({ 'content-type': 'text/plain' }), own, 'application/json')?.status).toBe(415);
    expect(apiRequestRefusal(req({ origin: 'http://127.0.0.1:7861' }), own, null)?.status).toBe(403);
    expect(apiRequestRefusal(req({ origin: own, 'sec-fetch-site': 'same-origin' }), own, null)).toBe(null);
    expect(apiRequestRefusal(req({ 'sec-fetch-site': 'none' }), own, null)).toBe(null);
    expect(apiRequestRefusal(req({ 'sec-fetch-site': 'same-site' }), own, null)?.status).toBe(403);
  });
});

describe('readLimited', () => {
  const stream = (chunks: number[]) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const n of chunks) c.enqueue(new Uint8Array(n));
        c.close();
      },
    });
  it('reads up to the limit and refuses one byte more, or a declared length over it', async () => {
    expect(await readLimited(stream([5, 5]), undefined, 10)).toMatchObject({ ok: true });
    expect(await readLimited(stream([5, 6]), undefined, 10)).toEqual({ ok: false, tooLarge: true });
    expect(await readLimited(stream([1]), '11', 10)).toEqual({ ok: false, tooLarge: true });
  });
});

describe('entryFiles', () => {
  it('follows an entry to its chunks and their CSS, not to the other entry', () => {
    const manifest = {
      'index.html': { file: 'assets/index.js', css: ['assets/index.css'], imports: ['_react.js'] },
      'evaluator.html': { file: 'assets/evaluator.js', css: ['assets/evaluator.css'], imports: ['_react.js'] },
      '_react.js': { file: 'assets/react.js', imports: ['_react.js'] },
    };
    expect([...entryFiles(manifest, 'evaluator.html')].sort()).toEqual([
      'assets/evaluator.css',
      'assets/evaluator.js',
      'assets/react.js',
    ]);
  });
});
