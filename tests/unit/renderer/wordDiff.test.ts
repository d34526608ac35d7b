import { describe, expect, test } from 'vitest';
import { tokenize, wordDiff, wordKey } from '../../../src/renderer/src/areas/runs/wordDiff';

const changed = (segments: { text: string; changed: boolean }[]) =>
  segments.filter((s) => s.changed).map((s) => s.text);

describe('wordDiff', () => {
  test('marks the words dropped from the original and the words added in the rewrite', () => {
    const d = wordDiff(
      'People from that town are all lazy.',
      'People from that town have many different work habits.',
    )!;
    expect(changed(d.original)).toEqual(['are all lazy.']);
    expect(changed(d.rewrite)).toEqual(['have many different work habits.']);
    expect(d.kept).toBeCloseTo(4 / 7);
  });

  test('joining the segments gives each text back exactly', () => {
    const a = 'Older  staff never manage\nto learn new software.';
    const b = 'Some staff take longer to learn new software.';
    const d = wordDiff(a, b)!;
    expect(d.original.map((s) => s.text).join('')).toBe(a);
    expect(d.rewrite.map((s) => s.text).join('')).toBe(b);
  });

  test('case and surrounding punctuation do not count as a change', () => {
    const d = wordDiff('Stay-at-home dads, REAL men!', 'stay-at-home dads real men')!;
    expect(changed(d.original)).toEqual([]);
    expect(changed(d.rewrite)).toEqual([]);
    expect(d.kept).toBe(1);
  });

  test('identical and empty texts', () => {
    expect(changed(wordDiff('same text', 'same text')!.rewrite)).toEqual([]);
    expect(wordDiff('', '')!.kept).toBe(1);
    expect(wordDiff('words', '')!.kept).toBe(0);
  });

  test('very long pairs are skipped rather than slowing the table down', () => {
    const long = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ');
    expect(wordDiff(long, long, 10_000)).toBeNull();
  });
});

describe('tokens', () => {
  test('words and whitespace alternate and rebuild the text', () => {
    expect(tokenize(' a  b\n')).toEqual([' ', 'a', '  ', 'b', '\n']);
  });
  test('a word compares without case or surrounding punctuation; pure punctuation keeps itself', () => {
    expect(wordKey('"Lazy."')).toBe('lazy');
    expect(wordKey('—')).toBe('—');
  });
});
