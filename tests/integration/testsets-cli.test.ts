// `srlab testsets import|list|remove` as a user runs them, over the real benchmark files: the
// --json result is the contract's shape, a broken copy keeps its valid records and exits 2 naming
// the bad ones, and options reach the importer (HolisticBias's seeded sample).
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, sharedData, tempDir } from '../helpers';
import { assertBuilt, srlab } from './cli-helpers';

beforeAll(assertBuilt);

const HAVE = hasSharedData('crows-pairs', 'crows_pairs_anonymized.csv') && hasSharedData('holisticbias', 'v1.0');

describe.runIf(HAVE)('srlab testsets', () => {
  it('imports, lists and removes; --json prints exactly the import result', () => {
    const home = tempDir();
    const r = srlab(
      ['testsets', 'import', sharedData('crows-pairs'), '--kind', 'crows-pairs', '--name', 'crows', '--json'],
      { home },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(r.json).sort()).toEqual(['errors', 'groups', 'items', 'kind', 'rejected', 'testset']);
    expect(r.json).toMatchObject({ testset: 'crows', kind: 'crows-pairs', items: 1207, rejected: 0, errors: [] });
    expect(r.json.groups).toMatchObject({ 'race-color': 421, disability: 44 });

    const list = srlab(['testsets', 'list', '--json'], { home });
    expect(list.json.testsets).toEqual([
      expect.objectContaining({
        name: 'crows',
        kind: 'crows-pairs',
        items: 1207,
        sourceFile: sharedData('crows-pairs', 'crows_pairs_anonymized.csv'),
      }),
    ]);
    const human = srlab(['testsets'], { home });
    expect(human.stdout).toMatch(/crows\s+crows-pairs\s+1207\s+9/);

    // The same name again is a conflict (exit 1), and nothing changes.
    const again = srlab(['testsets', 'import', sharedData('crows-pairs'), '--kind', 'crows-pairs', '--name', 'crows'], {
      home,
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('a test set "crows" exists already');

    const removed = srlab(['testsets', 'remove', 'crows'], { home });
    expect(removed.code).toBe(0);
    expect(removed.stderr).toContain('removed test set crows (1207 items)');
    expect(srlab(['testsets', 'list', '--json'], { home }).json.testsets).toEqual([]);
    expect(srlab(['testsets', 'remove', 'crows'], { home }).code).toBe(2);
  });

  it('a broken copy: valid records kept, exit 2, each bad record named by file, line and field', () => {
    const home = tempDir();
    const file = path.join(home, 'crows.csv');
    const lines = fs.readFileSync(sharedData('crows-pairs', 'crows_pairs_anonymized.csv'), 'utf8').split('\n');
    lines[2] = lines[2]!.replace(',stereo,socioeconomic,', ',sometimes,socioeconomic,');
    fs.writeFileSync(file, lines.join('\n'));
    const r = srlab(['testsets', 'import', file, '--kind', 'crows-pairs', '--name', 'broken', '--json'], { home });
    expect(r.code).toBe(2);
    expect(r.json).toMatchObject({ items: 1206, rejected: 1 });
    expect(r.json.errors).toEqual([
      { file, line: 3, field: 'stereo_antistereo', message: 'must be "stereo" or "antistereo", not "sometimes"' },
    ]);
    expect(r.stderr).toContain(`${file}:3: stereo_antistereo: must be "stereo" or "antistereo", not "sometimes"`);
    expect(srlab(['testsets', 'list', '--json'], { home }).json.testsets[0]).toMatchObject({
      name: 'broken',
      items: 1206,
    });
  });

  it('HolisticBias: --sample and --seed reach the importer; a bad kind or a foreign option is refused (exit 2)', () => {
    const home = tempDir();
    const a = srlab(
      [
        'testsets',
        'import',
        sharedData('holisticbias'),
        '--kind',
        'holisticbias',
        '--name',
        'hb',
        '--sample',
        '40',
        '--seed',
        '7',
        '--json',
      ],
      { home },
    );
    expect(a.code, a.stderr).toBe(0);
    expect(a.json.items).toBe(40);
    expect(srlab(['testsets', 'list', '--json'], { home }).json.testsets[0].options).toMatchObject({
      sample: 40,
      seed: 7,
      version: 'v1.0',
    });
    const bad = srlab(['testsets', 'import', sharedData('holisticbias'), '--kind', 'holistic', '--name', 'x'], {
      home,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('kind');
    const foreign = srlab(
      ['testsets', 'import', sharedData('crows-pairs'), '--kind', 'crows-pairs', '--name', 'x', '--sample', '3'],
      { home },
    );
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('crows-pairs test sets take no options; got sample');
  });
});
