// Broken copies of the real folders (in a temp dir): each malformed record is rejected with its
// file, line and field, and every valid one is kept.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTestset } from '../../../src/main/core/testsets/importers';
import { hasSharedData, sharedData, tempDir } from '../../helpers';

function copy(parts: string[]): string {
  const dir = path.join(tempDir(), parts.at(-1)!);
  fs.cpSync(sharedData(...parts), dir, { recursive: true });
  return dir;
}

describe.runIf(hasSharedData('toxigen', 'prompts'))('ToxiGen', () => {
  it('an emptied prompt line is rejected by line; the other 999 of that file are kept', () => {
    const dir = copy(['toxigen']);
    const file = path.join(dir, 'prompts', 'neutral_women_1k.txt');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[41] = '   ';
    fs.writeFileSync(file, lines.join('\n'));
    fs.writeFileSync(path.join(dir, 'prompts', 'notes.txt'), 'not a ToxiGen file: ignored\n');
    const r = readTestset('toxigen', { path: dir, shownName: dir }, {});
    expect(r.items).toHaveLength(30999);
    expect(r.problems.listed).toEqual([
      {
        file: path.join(dir, 'prompts', 'neutral_women_1k.txt'),
        line: 42,
        field: null,
        message: 'empty line: a prompt or statement was expected',
      },
    ]);
  });
});

describe.runIf(hasSharedData('srllm', 'counterfactual-inhouse.csv'))('counterfactual', () => {
  it('an empty variant cell loses that variant only; a row with a stray field is rejected whole', () => {
    const dir = tempDir();
    const src = fs.readFileSync(sharedData('srllm', 'counterfactual-inhouse.csv'), 'utf8').split('\n');
    // Row 1 (line 2): empty the gender_a_man cell.
    src[1] = src[1]!.replace('A man from the team will meet at the designated time and location.', '');
    // Line 3: one field too many.
    src[2] = `${src[2]},extra`;
    const file = path.join(dir, 'cf.csv');
    fs.writeFileSync(file, src.join('\n'));
    const r = readTestset('counterfactual', { path: file, shownName: 'cf.csv' }, {});
    expect(r.problems.listed).toEqual([
      { file: 'cf.csv', line: 2, field: 'gender_a_man', message: 'empty' },
      { file: 'cf.csv', line: 3, field: null, message: 'has 12 fields, the header has 11' },
    ]);
    expect(r.items).toHaveLength(520 * 11 - 1 - 11);
    expect(r.items.filter((i) => i.fields.original === 0).map((i) => i.group)).not.toContain('gender_a_man');
    expect(r.items.some((i) => i.fields.original === 1)).toBe(false);
  });
});

describe.runIf(hasSharedData('holisticbias', 'v1.0'))('HolisticBias', () => {
  it('a bad descriptor entry and a template without a slot are named with their line; the rest still build', () => {
    const dir = copy(['holisticbias', 'v1.0']);
    const dFile = path.join(dir, 'descriptors.json');
    const text = fs
      .readFileSync(dFile, 'utf8')
      .replace('{"descriptor": "hard-of-hearing", "preference": "reviewed"}', '{"preference": "reviewed"}');
    fs.writeFileSync(dFile, text);
    const tFile = path.join(dir, 'sentence_templates.json');
    const templates = JSON.parse(fs.readFileSync(tFile, 'utf8')) as Record<string, unknown>;
    templates['I have no slot.'] = {};
    const tText = JSON.stringify(templates, null, 4);
    fs.writeFileSync(tFile, tText);
    const lineOfNoSlot = tText.split('\n').findIndex((l) => l.includes('I have no slot.')) + 1;
    const r = readTestset('holisticbias', { path: dir, shownName: 'hb' }, { sample: 50 });
    const lineOfHard =
      text.split('\n').findIndex((l) => l.includes('{"preference": "reviewed"}') && !l.includes('descriptor')) + 1;
    expect(r.problems.listed).toEqual([
      {
        file: path.join('hb', 'descriptors.json'),
        line: lineOfHard,
        field: 'ability.auditory[1]',
        message: 'a descriptor must be a non-empty string or {descriptor, …}',
      },
      {
        file: path.join('hb', 'sentence_templates.json'),
        line: lineOfNoSlot,
        field: 'I have no slot.',
        message: 'a template must hold {noun_phrase} or {plural_noun_phrase}',
      },
    ]);
    expect(r.items).toHaveLength(50);
    expect(r.items.some((i) => i.subgroup === 'hard-of-hearing')).toBe(false);
  });
});

describe.runIf(hasSharedData('redditbias', 'race'))('RedditBias', () => {
  it('a row whose phrase is empty is rejected by line; its pair number stays that of its row', () => {
    const dir = copy(['redditbias', 'race']);
    const file = path.join(dir, 'reddit_comments_race_white_biased_test_reduced.csv');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[2] = "['black'],['white'],you are totally right.,,949.7";
    fs.writeFileSync(file, lines.join('\n'));
    const r = readTestset('redditbias', { path: dir, shownName: 'race' }, {});
    expect(r.problems.listed).toEqual([
      {
        file: path.join('race', 'reddit_comments_race_white_biased_test_reduced.csv'),
        line: 3,
        field: 'comments_processed',
        message: 'empty',
      },
    ]);
    const counter = r.items.filter((i) => i.subgroup === 'counter');
    expect(counter).toHaveLength(253);
    expect(counter.map((i) => i.fields.pair).slice(0, 3)).toEqual([0, 2, 3]);
  });
});
