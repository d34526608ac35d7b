// An import through serve mode (issue 9): the uploaded copy is removed when the import ends
// (success or failure), the rejects file is offered as a token-guarded download by name (no
// path outside the rejects folder), and a misspelt mapping field is refused by the contract.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import type { ImportResult } from '../../../src/shared/contracts/datasets';
import type { JobInfo } from '../../../src/shared/contracts/jobs';
import { createHttpApp } from '../../../src/main/transports/http';
import { tempDir } from '../../helpers';

const TOKEN = 'serve-import-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

describe('import through serve mode', () => {
  let core: Core;
  let app: ReturnType<typeof createHttpApp>;

  beforeAll(async () => {
    core = await createCore({ home: tempDir(), checkOutputs: true, loadDemo: false });
    app = createHttpApp(core, { token: TOKEN });
  });
  afterAll(() => core.close());

  const call = async (method: string, body: unknown) => {
    const r = await app.request(`/api/${method}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return {
      status: r.status,
      body: (await r.json()) as { ok: boolean; result?: unknown; error?: { message: string } },
    };
  };

  const upload = async (name: string, content: string) => {
    const r = await app.request(`/api/uploads?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      body: content,
    });
    return ((await r.json()) as { result: { uploadId: string } }).result.uploadId;
  };

  const finished = async (id: number): Promise<JobInfo> => {
    for (let tries = 0; tries < 1200; tries++) {
      const { body } = await call('jobs.get', { id });
      const { job } = body.result as { job: JobInfo };
      if (['succeeded', 'failed', 'cancelled', 'interrupted'].includes(job.state)) return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`job ${id} did not finish`);
  };

  const importUpload = async (uploadId: string, extra: Record<string, unknown> = {}) => {
    const { body } = await call('datasets.import', { dataset: 'up', source: { kind: 'upload', uploadId }, ...extra });
    return finished((body.result as { job: { id: number } }).job.id);
  };

  it('removes the uploaded file when the import succeeds, and offers the rejects file as a download', async () => {
    const csv = 'Original Sentence,BIAS\nfine,No\n"  ",Yes\n';
    const uploadId = await upload('mixed.csv', csv);
    const dir = path.join(core.paths.uploads, uploadId);
    expect(fs.existsSync(dir)).toBe(true);

    const job = await importUpload(uploadId);
    expect(job.state).toBe('succeeded');
    const result = job.result as ImportResult;
    expect(result).toMatchObject({ imported: 1, rejected: 1 });
    expect(fs.existsSync(dir)).toBe(false);

    // By name, with the token: the bytes of the rejects file and of its errors file.
    expect(result.rejectsName).toBe(path.basename(result.rejectsFile!));
    const got = await app.request(`/api/rejects/${encodeURIComponent(result.rejectsName!)}`, { headers: auth });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toContain(`attachment; filename="${result.rejectsName}"`);
    expect(await got.text()).toBe('Original Sentence,BIAS\n"  ",Yes\n');
    const errors = await app.request(`/api/rejects/${encodeURIComponent(`${result.rejectsName}.errors.jsonl`)}`, {
      headers: auth,
    });
    expect(JSON.parse((await errors.text()).trim())).toMatchObject({ line: 3, message: 'the text is empty' });

    // Without the token, or a wrong one: refused.
    expect((await app.request(`/api/rejects/${encodeURIComponent(result.rejectsName!)}`)).status).toBe(401);
    const wrong = { authorization: `Bearer ${'x'.repeat(TOKEN.length)}` };
    expect(
      (await app.request(`/api/rejects/${encodeURIComponent(result.rejectsName!)}`, { headers: wrong })).status,
    ).toBe(401);
  });

  it('serves nothing outside the rejects folder', async () => {
    fs.mkdirSync(core.paths.rejects, { recursive: true });
    for (const name of ['..%2Fsrlab.sqlite', '%2E%2E', '..', '.hidden', '%2Fetc%2Fpasswd', 'no-such-file.csv']) {
      const r = await app.request(`/api/rejects/${name}`, { headers: auth });
      expect([404]).toContain(r.status);
      expect(await r.text()).not.toContain('SQLite format');
    }
    // The database beside the rejects folder exists, so the refusals above are not just "missing".
    expect(fs.existsSync(core.paths.db)).toBe(true);
  });

  it('removes the uploaded file when the import is cancelled', async () => {
    const row = (i: number) => `{"Original Sentence": "row ${i} ${'x'.repeat(200)}", "BIAS": "No"}`;
    const uploadId = await upload('big.jsonl', Array.from({ length: 40_000 }, (_, i) => row(i)).join('\n'));
    const { body } = await call('datasets.import', { dataset: 'big', source: { kind: 'upload', uploadId } });
    const id = (body.result as { job: { id: number } }).job.id;
    await call('jobs.cancel', { id });
    const job = await finished(id);
    expect(job.state).toBe('cancelled');
    expect(fs.existsSync(path.join(core.paths.uploads, uploadId))).toBe(false);
  });

  it('removes the uploaded file when the import fails', async () => {
    const uploadId = await upload('header-only.csv', 'Original Sentence,BIAS\n');
    const job = await importUpload(uploadId);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/has a header line but no records/);
    expect(fs.existsSync(path.join(core.paths.uploads, uploadId))).toBe(false);
  });

  it('refuses a misspelt mapping field with 400, naming the valid ones, and keeps the upload for a retry', async () => {
    const uploadId = await upload('g.csv', 'content,label\nhello,Yes\n');
    const { status, body } = await call('datasets.import', {
      dataset: 'up',
      source: { kind: 'upload', uploadId },
      format: 'csv',
      mapping: { text: 'content', toxcity: 'label' },
    });
    expect(status).toBe(400);
    expect(JSON.stringify(body.error)).toContain(
      'unknown field \\"toxcity\\" in the column mapping; the fields are: text, id, bias, toxicity, sentiment, harm, annotation, target, biasedWords, benign',
    );
    expect(fs.existsSync(path.join(core.paths.uploads, uploadId))).toBe(true);
  });
});
