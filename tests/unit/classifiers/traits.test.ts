// Style-trait lists: the real 215-trait ParlAI Image-Chat list parses whole (names and glosses),
// and a broken copy keeps its valid lines while naming each bad one by line number.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTraits } from '../../../src/main/core/classifiers/traits';
import { hasSharedData, sharedData, tempDir } from '../../helpers';

const FILE = ['style-traits', 'image_chat_personalities.txt'];

describe('parseTraits', () => {
  it.skipIf(!hasSharedData(...FILE))('reads the 215 Image-Chat traits with their glosses', () => {
    const { traits, rejected } = parseTraits(fs.readFileSync(sharedData(...FILE), 'utf8'));
    expect(rejected).toEqual([]);
    expect(traits).toHaveLength(215);
    expect(traits[0]).toEqual({ name: 'Adventurous', glosses: [] });
    expect(traits.find((t) => t.name === 'Articulate')).toEqual({
      name: 'Articulate',
      glosses: ['Well-spoken', 'Expressive'],
    });
    // The paper's Table 9 traits are all in the list, by name.
    const names = new Set(traits.map((t) => t.name));
    for (const t of [
      'Neurotic',
      'Meticulous',
      'Argumentative',
      'Outrageous',
      'Resentful',
      'Scholarly',
      'Businesslike',
      'Eloquent',
      'Respectful',
    ])
      expect(names.has(t), t).toBe(true);
    // No name keeps a parenthesis (the glosses were split off).
    expect(traits.filter((t) => /[()]/.test(t.name))).toEqual([]);
  });

  it.skipIf(!hasSharedData(...FILE))('keeps the valid lines of a broken copy and names the bad ones', () => {
    const lines = fs.readFileSync(sharedData(...FILE), 'utf8').split('\n');
    lines.splice(3, 0, 'Unbalanced (gloss');
    lines.splice(10, 0, 'Adventurous');
    lines.splice(20, 0, '', '   ');
    const file = path.join(tempDir(), 'broken.txt');
    fs.writeFileSync(file, lines.join('\n'));
    const { traits, rejected } = parseTraits(fs.readFileSync(file, 'utf8'));
    expect(traits).toHaveLength(215);
    expect(rejected).toEqual([
      { line: 4, message: '"Unbalanced (gloss" is not "Trait" or "Trait (gloss, gloss)"' },
      { line: 11, message: '"Adventurous" repeats the trait on line 1' },
    ]);
  });

  it('treats names case-insensitively for duplicates and trims glosses', () => {
    const { traits, rejected } = parseTraits('Calm ( Serene ,  Peaceful )\ncalm\nWitty\r\n');
    expect(traits).toEqual([
      { name: 'Calm', glosses: ['Serene', 'Peaceful'] },
      { name: 'Witty', glosses: [] },
    ]);
    expect(rejected).toEqual([{ line: 2, message: '"calm" repeats the trait on line 1' }]);
  });
});
