// `srlab import` as a user runs it (issue 9): a misspelt --map field is an error naming the valid
// ones; kept-but-flagged values and skipped duplicates are reported with their lines, in --json
// and in the human report.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../helpers';
import { assertBuilt, srlab } from './cli-helpers';

beforeAll(assertBuilt);

const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'import', 'appendix-b1.jsonl');

describe('srlab import', () => {
  it('refuses --map with an unknown field: exit 2, naming the valid fields; nothing is imported', () => {
    const home = tempDir();
    const file = path.join(home, 'g.csv');
    fs.writeFileSync(file, 'content,label\nhello,Yes\n');
    const r = srlab(['import', file, '--dataset', 'typo', '--format', 'csv', '--map', 'text=content,toxcity=label'], {
      home,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'unknown field "toxcity" in the column mapping; the fields are: text, id, bias, toxicity, sentiment, harm, annotation, target, biasedWords, benign',
    );
    expect(srlab(['datasets', '--json'], { home }).json.datasets.map((d: { name: string }) => d.name)).not.toContain(
      'typo',
    );
  });

  it("keeps the paper's Appendix B.1 values and reports the flagged one, in --json and in words", () => {
    const home = tempDir();
    const j = srlab(['import', FIXTURE, '--dataset', 'paper', '--json'], { home });
    expect(j.code).toBe(0);
    expect(j.json).toMatchObject({ imported: 2, rejected: 0, flaggedTotal: 1 });
    expect(j.json.flagged).toEqual([expect.objectContaining({ line: 1, field: 'TOXICITY', value: 'Yes' })]);

    // The same file again: both rows are duplicates of the first import's lines, and say so.
    const again = srlab(['import', FIXTURE, '--dataset', 'paper'], { home });
    expect(again.code).toBe(0);
    expect(again.stderr + again.stdout).toContain('imported 0, duplicates 2, rejected 0, 1 values kept but flagged');
    expect(again.stderr + again.stdout).toContain(
      `appendix-b1.jsonl:1: TOXICITY: "Yes" is not one of No, Mild, High; kept as written`,
    );
    expect(again.stderr + again.stdout).toMatch(
      /appendix-b1\.jsonl:2: duplicates line 2 of .*appendix-b1\.jsonl \(an earlier import\)/,
    );
  });

  it('an import whose every row is rejected creates no dataset and exits 2', () => {
    const home = tempDir();
    const file = path.join(home, 'bad.jsonl');
    fs.writeFileSync(file, '{"Original Sentence": ""}\n');
    const r = srlab(['import', file, '--dataset', 'empty'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toContain('Every row was rejected: nothing was imported.');
    expect(srlab(['datasets', '--json'], { home }).json.datasets.map((d: { name: string }) => d.name)).not.toContain(
      'empty',
    );
  });
});
