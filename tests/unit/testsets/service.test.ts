// The testsets capability through core.call / core.invoke and its service (core.testsets), as
// the likelihood metrics and the evaluation runner use it; broken copies of the real files keep
// their valid records and name the bad ones by file, line and field.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { saveUpload } from '../../../src/main/core/datasets/uploads';
import { CrowsPairsFields, StereosetFields } from '../../../src/shared/contracts/testsets';
import { hasSharedData, sharedData, tempDir } from '../../helpers';

const CROWS = sharedData('crows-pairs', 'crows_pairs_anonymized.csv');
const STEREOSET = sharedData('stereoset', 'stereoset_dev.jsonl');
const HAVE =
  hasSharedData('crows-pairs', 'crows_pairs_anonymized.csv') && hasSharedData('stereoset', 'stereoset_dev.jsonl');

let core: Core;
beforeAll(async () => {
  core = await createCore({ home: tempDir(), loadDemo: false, checkOutputs: true, secretTool: null });
});
afterAll(async () => {
  await core.close();
});

describe.runIf(HAVE)('testsets', () => {
  it('imports a file, lists it, and serves its items in source order (get, allItems, paged items)', async () => {
    const r = await core.invoke('testsets.import', {
      source: { kind: 'path', path: CROWS },
      kind: 'crows-pairs',
      name: 'crows',
    });
    expect(r).toMatchObject({ testset: 'crows', kind: 'crows-pairs', items: 1207, rejected: 0, errors: [] });
    expect(r.groups['race-color']).toBe(421);

    const summary = core.testsets.get('crows');
    expect(summary).toMatchObject({
      name: 'crows',
      kind: 'crows-pairs',
      items: 1207,
      sourceFile: CROWS,
      groups: r.groups,
    });
    const all = core.testsets.allItems('crows');
    expect(all).toHaveLength(1207);
    expect(all.map((i) => i.index)).toEqual([...Array(1207).keys()]);
    expect(all[0]!.fields).toMatchObject({ direction: 'stereo', biasType: 'race-color', sourceId: '0' });
    // The shared schema other capabilities parse fields with accepts every item.
    for (const it of all) CrowsPairsFields.parse(it.fields);

    const page = await core.invoke('testsets.items', { name: 'crows', group: 'disability', offset: 40, limit: 10 });
    expect(page.total).toBe(44);
    expect(page.items).toHaveLength(4);
    expect(page.items.every((i) => i.group === 'disability')).toBe(true);
    const disability = all.filter((i) => i.group === 'disability');
    expect(page.items).toEqual(disability.slice(40));

    const { testsets } = await core.invoke('testsets.list', {});
    expect(testsets.map((t) => t.name)).toContain('crows');
  });

  it('refuses a second test set of the same name (conflict) and a test set that is not there (not-found)', async () => {
    const again = await core.call('testsets.import', {
      source: { kind: 'path', path: CROWS },
      kind: 'crows-pairs',
      name: ' crows ',
    });
    expect(again).toMatchObject({
      ok: false,
      error: { kind: 'conflict', message: expect.stringContaining('"crows" exists') },
    });
    expect(() => core.testsets.get('nope')).toThrow(expect.objectContaining({ kind: 'not-found' }));
    expect(() => core.testsets.allItems('nope')).toThrow(expect.objectContaining({ kind: 'not-found' }));
    expect(await core.call('testsets.remove', { name: 'nope' })).toMatchObject({
      ok: false,
      error: { kind: 'not-found' },
    });
  });

  it('a path is for local callers only: the lab browser must upload', async () => {
    const r = await core.call(
      'testsets.import',
      { source: { kind: 'path', path: CROWS }, kind: 'crows-pairs', name: 'from-http' },
      { scope: 'lab' },
    );
    expect(r).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    const up = await saveUpload(core.paths, 'crows.csv', Readable.from(fs.readFileSync(CROWS)));
    const ok = await core.call(
      'testsets.import',
      { source: { kind: 'upload', uploadId: up.uploadId }, kind: 'crows-pairs', name: 'uploaded' },
      { scope: 'lab' },
    );
    expect(ok).toMatchObject({ ok: true, result: { items: 1207, testset: 'uploaded' } });
    expect(core.testsets.get('uploaded').sourceFile).toBe('crows.csv');
    expect(fs.existsSync(path.join(core.paths.uploads, up.uploadId))).toBe(false); // the copy is gone
  });

  it('remove deletes the test set and its items', async () => {
    expect(await core.invoke('testsets.remove', { name: 'uploaded' })).toEqual({ removed: 'uploaded', items: 1207 });
    expect(() => core.testsets.get('uploaded')).toThrow(/no test set "uploaded"/);
    const left = core.db
      .prepare('SELECT COUNT(*) FROM testset_items i JOIN testsets t ON t.id = i.testset_id')
      .pluck()
      .get();
    expect(left).toBe(1207); // only "crows" is left
  });

  it('a broken CrowS-Pairs copy: the bad rows are rejected by line and field, the rest kept', async () => {
    const dir = tempDir();
    const lines = fs.readFileSync(CROWS, 'utf8').split('\n');
    // Line 3 (the row with source id 1): a direction that is neither stereo nor antistereo.
    lines[2] = lines[2]!.replace(',stereo,socioeconomic,', ',maybe,socioeconomic,');
    // Line 4: an empty sent_less.
    const cols = lines[3]!.split(',');
    expect(cols[0]).toBe('2');
    lines[3] = lines[3]!.replace(/^2,(".*?"|[^,]*),(".*?"|[^,]*),/, '2,$1,,');
    const broken = path.join(dir, 'crows_broken.csv');
    fs.writeFileSync(broken, lines.join('\n'));
    const r = await core.invoke('testsets.import', {
      source: { kind: 'path', path: broken },
      kind: 'crows-pairs',
      name: 'crows-broken',
    });
    expect(r.items).toBe(1205);
    expect(r.rejected).toBe(2);
    expect(r.errors).toEqual([
      { file: broken, line: 3, field: 'stereo_antistereo', message: 'must be "stereo" or "antistereo", not "maybe"' },
      { file: broken, line: 4, field: 'sent_less', message: 'empty' },
    ]);
  });

  it('a broken StereoSet copy: a line that is not JSON and a missing option are rejected, the rest kept', async () => {
    const dir = tempDir();
    const lines = fs.readFileSync(STEREOSET, 'utf8').split('\n');
    lines[9] = lines[9]!.slice(0, 40); // line 10: cut off
    const obj = JSON.parse(lines[1999]!) as Record<string, unknown>;
    delete obj['anti-stereotype'];
    lines[1999] = JSON.stringify(obj); // line 2000
    const broken = path.join(dir, 'stereoset_broken.jsonl');
    fs.writeFileSync(broken, lines.join('\n'));
    const r = await core.invoke('testsets.import', {
      source: { kind: 'path', path: broken },
      kind: 'stereoset',
      name: 'ss-broken',
    });
    expect(r.items).toBe(3382);
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([
      [10, null],
      [2000, 'anti-stereotype'],
    ]);
    expect(r.errors[0]!.message).toMatch(/^not valid JSON/);
    expect(r.errors[1]!.message).toBe('missing');
    for (const it of core.testsets.allItems('ss-broken')) StereosetFields.parse(it.fields);
  });

  it('the wrong kind for a file imports nothing and says why', async () => {
    const r = await core.call('testsets.import', {
      source: { kind: 'path', path: CROWS },
      kind: 'stereoset',
      name: 'wrong',
    });
    expect(r).toMatchObject({
      ok: false,
      error: { kind: 'invalid-input', message: expect.stringMatching(/no stereoset items found .*right --kind/) },
    });
    expect((r as { error: { issues: { path: string }[] } }).error.issues[0]!.path).toBe(`${CROWS}:1`);
    expect(core.db.prepare("SELECT COUNT(*) FROM testsets WHERE name = 'wrong'").pluck().get()).toBe(0);
    const missing = await core.call('testsets.import', {
      source: { kind: 'path', path: '/no/such.csv' },
      kind: 'crows-pairs',
      name: 'x',
    });
    expect(missing).toMatchObject({
      ok: false,
      error: { kind: 'invalid-input', message: '/no/such.csv: no such file' },
    });
  });

  it('options are checked by the contract and by the kind', async () => {
    const bad = await core.call('testsets.import', {
      source: { kind: 'path', path: CROWS },
      kind: 'crows-pairs',
      name: 'opt',
      options: { sampel: 3 },
    });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    const foreign = await core.call('testsets.import', {
      source: { kind: 'path', path: CROWS },
      kind: 'crows-pairs',
      name: 'opt',
      options: { sample: 3 },
    });
    expect(foreign).toMatchObject({
      ok: false,
      error: { kind: 'invalid-input', message: 'crows-pairs test sets take no options; got sample' },
    });
  });
});
