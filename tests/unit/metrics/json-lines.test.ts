// The locator `srlab metrics` uses to say on which line of an input file a refused field is.
import { describe, expect, it } from 'vitest';
import { jsonValueLines } from '../../../src/main/cli/commands/metrics';

describe('jsonValueLines', () => {
  it('maps each value’s dotted path (as the contract’s issues name it) to its line', () => {
    const text = JSON.stringify({ items: [{ target: 'a "q" \\ b', anti: -1.5e3 }, { ok: [true, null] }] }, null, 2);
    const lines = jsonValueLines(text);
    expect(lines.get('')).toBe(1);
    expect(lines.get('items')).toBe(2);
    expect(lines.get('items.0')).toBe(3);
    expect(lines.get('items.0.anti')).toBe(5);
    expect(lines.get('items.1.ok.1')).toBe(10);
    expect(lines.size).toBe(9);
  });

  it.each([
    ['{\n  "a": [1, 2,\n  3,, 4]\n}', 3],
    ['{"a": 1,\n}', 2],
    ['{"a": 01}', 1],
    ['[1]\n\nx', 3],
    ['{"a": "unterminated\n}', 1],
    ['{"a": tru}', 1],
  ])('finds the first syntax error of %j on line %i', (text, line) => {
    expect(() => JSON.parse(text)).toThrow();
    let pos = -1;
    try {
      jsonValueLines(text);
    } catch (err) {
      pos = (err as { pos: number }).pos;
    }
    expect(pos).toBeGreaterThanOrEqual(0);
    expect(text.slice(0, pos).split('\n').length).toBe(line);
  });
});
