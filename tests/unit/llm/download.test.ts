import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core';
import { downloadFile, hfResolveUrl, parseHfUri } from '../../../src/main/core/llm/download';
import { tempDir } from '../../helpers';
import { type HubServer, startHub } from './hf-server';
import { tinyModelFiles } from './tiny-model';

const model = fs.readFileSync(tinyModelFiles().model);
const sha = createHash('sha256').update(model).digest('hex');
let hub: HubServer;

beforeAll(async () => {
  hub = await startHub({
    'tiny.gguf': { body: model },
    'dropped.gguf': { body: model, cutAfter: 400_000 },
    'slow.gguf': { body: model, trickleMs: 15 },
    'corrupt.gguf': { body: model, announcedSha256: 'f'.repeat(64) },
    'gated.gguf': { body: model, status: 401 },
    'notes.gguf': { body: Buffer.from('this is not a model at all') },
  });
});
afterAll(() => hub.close());

const url = (file: string) => hfResolveUrl(parseHfUri(`hf:o/r/${file}`), { HF_ENDPOINT: hub.url });

describe('Hugging Face file URIs', () => {
  const cases: [string, string, string][] = [
    [
      'hf:TheBloke/Llama-2-7B-Chat-GGUF/llama-2-7b-chat.Q4_K_M.gguf',
      '',
      'https://huggingface.co/TheBloke/Llama-2-7B-Chat-GGUF/resolve/main/llama-2-7b-chat.Q4_K_M.gguf',
    ],
    ['hf:o/r/sub/dir/m.gguf', '', 'https://huggingface.co/o/r/resolve/main/sub/dir/m.gguf'],
    ['hf:o/r/m.gguf@v1.0', '', 'https://huggingface.co/o/r/resolve/v1.0/m.gguf'],
    ['hf:o/r/m.gguf', 'http://mirror.local/', 'http://mirror.local/o/r/resolve/main/m.gguf'],
  ];
  it.each(cases)('%s → its resolve URL (HF_ENDPOINT %j)', (uri, endpoint, expected) => {
    expect(hfResolveUrl(parseHfUri(uri), endpoint ? { HF_ENDPOINT: endpoint } : {})).toBe(expected);
  });

  it.each(['hf:only-owner/file.gguf', 'https://huggingface.co/o/r/m.gguf', 'hf:o/r/model.bin'])('rejects %s', (uri) => {
    expect(() => parseHfUri(uri)).toThrow(/hf:OWNER\/REPO\/FILE\.gguf/);
  });
});

describe('downloading a model file', () => {
  it('downloads, checks the sha256 the Hub announces and renames into place', async () => {
    const dest = path.join(tempDir(), 'tiny.gguf');
    const seen: number[] = [];
    const r = await downloadFile({ url: url('tiny.gguf'), dest, onProgress: (d) => seen.push(d) });
    expect(r).toMatchObject({ path: dest, bytes: model.length, sha256: sha, expectedSha256: sha, resumedFrom: 0 });
    expect(fs.readFileSync(dest).equals(model)).toBe(true);
    expect(fs.existsSync(`${dest}.part`) || fs.existsSync(`${dest}.part.json`)).toBe(false);
    expect(seen.at(-1)).toBe(model.length);
  });

  it('resumes with a Range request after the connection drops mid-file', async () => {
    const dest = path.join(tempDir(), 'dropped.gguf');
    const r = await downloadFile({ url: url('dropped.gguf'), dest, retryDelayMs: 10 });
    expect(r.sha256).toBe(sha);
    const gets = hub.requests.filter((q) => q.path === '/cdn/dropped.gguf' && q.method === 'GET');
    // The hub drops the connection after sending 400,000 bytes; the client resumes from what
    // reached its disk, which a reset socket may leave a little short of that.
    expect(gets).toHaveLength(2);
    expect(gets[0]!.range).toBeNull();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(gets[1]!.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(400_000);
  });

  it('keeps the partial file when cancelled, and the next pull continues from it', async () => {
    const dest = path.join(tempDir(), 'slow.gguf');
    const abort = new AbortController();
    const first = downloadFile({
      url: url('slow.gguf'),
      dest,
      signal: abort.signal,
      onProgress: (d) => d > 200_000 && abort.abort(),
    });
    await expect(first).rejects.toMatchObject({
      kind: 'cancelled',
      message: expect.stringMatching(/kept in .*slow\.gguf\.part: pull again to resume/),
    });
    const kept = fs.statSync(`${dest}.part`).size;
    expect(kept).toBeGreaterThan(200_000);
    const second = await downloadFile({ url: url('slow.gguf'), dest });
    expect(second).toMatchObject({ sha256: sha, resumedFrom: kept });
    expect(hub.requests.filter((q) => q.path === '/cdn/slow.gguf' && q.method === 'GET').at(-1)!.range).toBe(
      `bytes=${kept}-`,
    );
  });

  const failures: [string, string, object][] = [
    [
      'a checksum that does not match',
      'corrupt.gguf',
      {
        kind: 'failed',
        message: expect.stringMatching(
          /checksum mismatch .* expected sha256 f{64}, got [0-9a-f]{64}; the damaged download was removed/,
        ),
      },
    ],
    [
      'a gated model without a token',
      'gated.gguf',
      { kind: 'failed', message: expect.stringMatching(/needs access \(HTTP 401\).*HF_TOKEN/) },
    ],
    [
      'a file the repository does not have',
      'absent.gguf',
      { kind: 'not-found', message: expect.stringMatching(/HTTP 404/) },
    ],
  ];
  it.each(failures)('refuses %s', async (_label, file, error) => {
    const dest = path.join(tempDir(), file);
    await expect(downloadFile({ url: url(file), dest, retryDelayMs: 10 })).rejects.toMatchObject(error);
    expect(fs.existsSync(dest)).toBe(false);
    expect(fs.existsSync(`${dest}.part`)).toBe(false);
  });

  it('says so when the server cannot be reached', async () => {
    const dest = path.join(tempDir(), 'x.gguf');
    await expect(downloadFile({ url: 'http://127.0.0.1:9/o/r/resolve/main/x.gguf', dest })).rejects.toMatchObject({
      message: expect.stringMatching(/cannot reach http:\/\/127\.0\.0\.1:9/),
    });
  });
});

describe('models.pull', () => {
  it('downloads as a job with byte progress, registers the model with its source and hash, and reuses it on a second pull', async () => {
    process.env.HF_ENDPOINT = hub.url;
    const core = await createCore({ home: tempDir(), loadDemo: false, checkOutputs: true, secretTool: null });
    try {
      const progress: number[] = [];
      core.events.subscribe(
        (e) => e.type === 'job' && e.job.kind === 'model-download' && progress.push(e.job.progress.done),
      );
      const { job } = await core.invoke('models.pull', { uri: 'hf:o/r/tiny.gguf', name: 'tiny' });
      expect(job).toMatchObject({ kind: 'model-download', progress: { unit: 'bytes' } });
      const done = await waitForJob(core, job.id);
      expect(done).toMatchObject({ state: 'succeeded', progress: { done: model.length, total: model.length } });
      const { model: m } = await core.invoke('models.get', { name: 'tiny' });
      expect(m).toMatchObject({
        sha256: sha,
        sizeBytes: model.length,
        source: { kind: 'hf', uri: 'hf:o/r/tiny.gguf' },
        gguf: { architecture: 'llama' },
        missing: false,
      });
      expect(m.path).toBe(path.join(core.paths.home, 'models', 'o', 'r', 'tiny.gguf'));
      expect(progress.at(-1)).toBe(model.length);

      const before = hub.requests.length;
      const again = await core.invoke('models.pull', { uri: 'hf:o/r/tiny.gguf', name: 'tiny' });
      expect(await waitForJob(core, again.job.id)).toMatchObject({ state: 'succeeded' });
      expect(hub.requests.length).toBe(before);

      const notModel = await core.invoke('models.pull', { uri: 'hf:o/r/notes.gguf' });
      expect(await waitForJob(core, notModel.job.id)).toMatchObject({
        state: 'failed',
        error: expect.stringMatching(/not a usable model: .*not a GGUF file/),
      });
      expect((await core.invoke('models.list', {})).models.map((x) => x.name)).toEqual(['tiny']);

      const removed = await core.invoke('models.remove', { name: 'tiny', deleteFile: true });
      expect(removed).toEqual({ removed: 'tiny', fileDeleted: true });
      expect(fs.existsSync(m.path)).toBe(false);
    } finally {
      await core.close();
      delete process.env.HF_ENDPOINT;
    }
  });
});

async function waitForJob(core: Awaited<ReturnType<typeof createCore>>, id: number) {
  for (;;) {
    const { job } = await core.invoke('jobs.get', { id });
    if (job.state !== 'queued' && job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 20));
  }
}
