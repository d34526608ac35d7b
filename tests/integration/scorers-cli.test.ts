// `srlab scorers` as a user runs it: train an embedded classifier on the demo CMD dataset a new data
// home has, list it, score texts (the second time from the cache, same numbers), remove it; bad
// specs and names exit 2 with a message saying what to give.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { assertBuilt, srlab } from './cli-helpers';

beforeAll(assertBuilt);

describe('srlab scorers', () => {
  it('train → list → score (cached the second time) → remove', () => {
    const home = tempDir();
    const trained = srlab(
      [
        'scorers',
        'train',
        '--dataset',
        'cmd-demo',
        '--label',
        'annotation',
        '--name',
        'demo',
        '--buckets',
        '16384',
        '--json',
      ],
      { home },
    );
    expect(trained.code, trained.stderr).toBe(0);
    const c = trained.json.classifier;
    expect(c).toMatchObject({ name: 'demo', dataset: 'cmd-demo', label: 'annotation', positive: 'unsafe' });
    expect(c.counts.train).toBeGreaterThan(100);
    expect(c.validation.n).toBe(c.counts.test);
    expect(c.validation.rocAuc).toBeGreaterThan(0.9);

    const human = srlab(['scorers', 'list'], { home });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/demo\s+cmd-demo\s+annotation\s+P\(unsafe\)/);
    expect(human.stdout).toMatch(/embedded\s+yes/);
    expect(srlab(['scorers', 'list', '--json'], { home }).json.embedded).toHaveLength(1);

    const file = path.join(home, 'texts.txt');
    fs.writeFileSync(file, 'Go back to your own country, nobody wants you here.\n\nThe museum is closed on Mondays.\n');
    const args = [
      'scorers',
      'score',
      '--spec',
      'embedded:demo',
      '--file',
      file,
      '--text',
      'Thanks for the help!',
      '--json',
    ];
    const first = srlab(args, { home });
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.scorer).toMatchObject({
      id: 'embedded:demo',
      version: c.version,
      measure: 'unsafe',
      threshold: 0.5,
    });
    expect(first.json.results).toHaveLength(3);
    expect(first.json.cached).toBe(0);
    for (const r of first.json.results) {
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
      expect(r.label).toBe(r.score > 0.5 ? 'unsafe' : 'safe');
    }
    // --text texts first, then the file's non-empty lines: [thanks, go back…, museum].
    expect(first.json.results[1].score).toBeGreaterThan(0.5);
    expect(first.json.results[1].score).toBeGreaterThan(first.json.results[2].score);

    // JSON spec form, the same scorer: every text from the cache, the same numbers.
    const again = srlab(
      [
        'scorers',
        'score',
        '--spec',
        '{"kind":"embedded","classifier":"demo"}',
        '--file',
        file,
        '--text',
        'Thanks for the help!',
        '--json',
      ],
      { home },
    );
    expect(again.json.cached).toBe(3);
    expect(again.json.results).toEqual(first.json.results);

    const words = srlab(['scorers', 'score', '--spec', 'embedded:demo', '--text', '<b>bold</b> & "quoted"'], { home });
    expect(words.code).toBe(0);
    expect(words.stdout).toContain('"<b>bold</b> & \\"quoted\\""');

    expect(srlab(['scorers', 'remove', 'demo', '--json'], { home }).json).toEqual({ removed: 'demo' });
    const gone = srlab(['scorers', 'score', '--spec', 'embedded:demo', '--text', 'x'], { home });
    expect(gone.code).toBe(2); // not-found
    expect(gone.stderr).toContain('no embedded classifier "demo"');
  });

  it('bad input: exit 2 with what to give', () => {
    const home = tempDir();
    const badSpec = srlab(['scorers', 'score', '--spec', 'nonsense', '--text', 'x'], { home });
    expect(badSpec.code).toBe(2);
    expect(badSpec.stderr).toContain('give JSON such as {"kind":"embedded","classifier":"NAME"}');
    const badJson = srlab(['scorers', 'score', '--spec', '{"kind":"embedded"', '--text', 'x'], { home });
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain('--spec is not valid JSON');
    const wrongKind = srlab(['scorers', 'score', '--spec', '{"kind":"magic"}', '--text', 'x', '--json'], { home });
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.json.error.kind).toBe('invalid-input');
    const noTexts = srlab(['scorers', 'score', '--spec', 'embedded:x'], { home });
    expect(noTexts.code).toBe(2);
    expect(noTexts.stderr).toContain('no texts');
    const noDataset = srlab(['scorers', 'train', '--dataset', 'nope', '--json'], { home });
    expect(noDataset.json.error).toMatchObject({
      kind: 'not-found',
      message: expect.stringContaining('no dataset "nope"'),
    });
  });
});
