import { describe, expect, test } from 'vitest';
import {
  fileName,
  finishReasonLabel,
  formatMs,
  formatParameters,
  formatTokensPerSecond,
  shortSha,
  showControlChars,
  sourceLabel,
  targetLabel,
  tokensPerSecond,
} from '../../../src/renderer/src/lib/llmFormat';

describe('formatParameters', () => {
  test.each([
    [239_168, '239K'],
    [6_738_415_616, '6.7B'],
    [1_100_000, '1.1M'],
    [13_015_864_320, '13B'],
    [70_553_706_496, '70.6B'],
    [999, '999'],
    [null, '–'],
  ])('%s parameters read as %s', (n, text) => {
    expect(formatParameters(n)).toBe(text);
  });
});

describe('tokens per second', () => {
  test('one decimal under 100 tok/s, none above, a dash when unknown', () => {
    expect(formatTokensPerSecond(54.42)).toBe('54.4 tok/s');
    expect(formatTokensPerSecond(330.2)).toBe('330 tok/s');
    expect(formatTokensPerSecond(1234.5)).toBe('1,235 tok/s');
    expect(formatTokensPerSecond(null)).toBe('–');
    expect(formatTokensPerSecond(Number.NaN)).toBe('–');
  });
  test('tokens over milliseconds; unknown for a zero or missing duration', () => {
    expect(tokensPerSecond(16, 500)).toBe(32);
    expect(tokensPerSecond(16, 0)).toBeNull();
    expect(tokensPerSecond(null, 500)).toBeNull();
    expect(tokensPerSecond(16, null)).toBeNull();
  });
});

describe('formatMs', () => {
  test.each([
    [266.4, '266 ms'],
    [1234, '1.23 s'],
    [12_345, '12.3 s'],
    [125_000, '2m 05s'],
    [null, '–'],
  ])('%s ms reads as %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });
});

describe('small labels', () => {
  test('a hash is shortened to its first characters', () => {
    expect(shortSha('d86c10ff888b2ae6c48f2d712a573582')).toBe('d86c10ff888b');
    expect(shortSha(null)).toBe('–');
  });
  test('finish reasons read as words', () => {
    expect(finishReasonLabel('length')).toBe('max tokens');
    expect(finishReasonLabel('eos')).toBe('end of text');
    expect(finishReasonLabel(null)).toBe('–');
  });
  test('file names come from POSIX and Windows paths', () => {
    expect(fileName('/models/a/adapter.gguf')).toBe('adapter.gguf');
    expect(fileName('C:\\models\\adapter.gguf')).toBe('adapter.gguf');
  });
  test('a target and a source read as one line', () => {
    expect(targetLabel({ kind: 'local', model: 'tiny', adapterScale: 1 })).toBe('tiny');
    expect(targetLabel({ kind: 'local', model: 'tiny', adapter: '/x/lora.gguf', adapterScale: 0.5 })).toBe(
      'tiny + adapter lora.gguf ×0.5',
    );
    expect(targetLabel({ kind: 'endpoint', endpoint: 'gpt4' })).toBe('endpoint gpt4');
    expect(sourceLabel({ kind: 'dataset', dataset: 'cmd-demo', split: 'test', limit: 5 })).toBe(
      'cmd-demo · test split · first 5',
    );
    expect(sourceLabel({ kind: 'dataset', dataset: 'cmd', split: 'all' })).toBe('cmd · all splits');
    expect(sourceLabel({ kind: 'texts', name: 'bold', texts: ['a', 'b'] })).toBe('bold (2 texts)');
  });
});

describe('showControlChars', () => {
  test('control characters become visible pictures; new lines and tabs stay', () => {
    expect(showControlChars('a\u0007b\u001cc\u007f')).toBe('a\u2407b\u241cc\u2421');
    expect(showControlChars('line 1\n\tline 2')).toBe('line 1\n\tline 2');
  });
  test('ordinary text, including non-Latin scripts and emoji, is unchanged', () => {
    expect(showControlChars('héllo мир 你好 🙂')).toBe('héllo мир 你好 🙂');
  });
});
