// The srllm CSV stores biased words as a Python list literal; both quote styles and escapes occur.
import { expect, test } from 'vitest';
import { parsePythonList } from '../../../src/main/core/datasets/import/python-list';

const good: [string, string[]][] = [
  ["['ghetto']", ['ghetto']],
  ["['smacks', 'incoherence']", ['smacks', 'incoherence']],
  ['[]', []],
  ['  [ ]  ', []],
  [`["don't", 'x']`, ["don't", 'x']],
  [String.raw`['don\'t']`, ["don't"]],
  [String.raw`["say \"hi\""]`, ['say "hi"']],
  [String.raw`['back\\slash', 'tab\there']`, ['back\\slash', 'tab\there']],
  [String.raw`['caf\xe9', '\u00fcber', '\U0001F44B']`, ['café', 'über', '👋']],
  [String.raw`['\d stays']`, ['\\d stays']],
  [String.raw`[r'raw\n']`, ['raw\\n']],
  ["[u'unicode']", ['unicode']],
  ["['trailing',]", ['trailing']],
  ['[\'a,b\', "c]d"]', ['a,b', 'c]d']],
];

test.each(good)('parses %s', (src, items) => {
  expect(parsePythonList(src)).toEqual({ ok: true, items });
});

const bad: [string, string][] = [
  ['ghetto', 'it does not start with "["'],
  ["['open", 'a string is not closed'],
  ["['a' 'b']", 'expected "," or "]" at position 6'],
  ["['a'", 'it does not end with "]"'],
  ['[1, 2]', 'expected a quoted string at position 2'],
  ["['a'] extra", 'text after "]"'],
  ["['a',,'b']", 'expected a quoted string at position 6'],
  [String.raw`['\x4']`, 'bad \\x escape'],
];

test.each(bad)('rejects %s: %s', (src, why) => {
  const r = parsePythonList(src);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error).toBe(`not a list of strings (${why}): ${src}`);
});
