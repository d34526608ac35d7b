// tests/helpers.ts: a missing ../shared/data file skips its tests on a developer's checkout but
// fails them in CI, where the data exists and a skip would hide a broken setup.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasSharedData, isCI, sharedData, skipWithoutSharedData } from '../helpers';

const MISSING = ['srllm', 'no-such-file-for-the-helper-test.csv'];

describe('skipWithoutSharedData', () => {
  it('throws under CI when the file is missing, naming its path', () => {
    expect(() => skipWithoutSharedData(MISSING, { CI: '1' })).toThrow(sharedData(...MISSING));
    expect(() => skipWithoutSharedData(MISSING, { CI: 'true' })).toThrow(/^CI: the shared data file .* is missing/);
  });

  it('skips outside CI when the file is missing', () => {
    expect(skipWithoutSharedData(MISSING, {})).toBe(true);
    expect(skipWithoutSharedData(MISSING, { CI: '' })).toBe(true);
    expect(skipWithoutSharedData(MISSING, { CI: 'false' })).toBe(true);
  });

  it('runs the tests when the file is there, in CI or not', () => {
    // A file that always exists, named relative to ../shared/data: this test file.
    const here = path.relative(sharedData(), fileURLToPath(import.meta.url)).split(path.sep);
    expect(skipWithoutSharedData(here, { CI: '1' })).toBe(false);
    expect(skipWithoutSharedData(here, {})).toBe(false);
  });

  it('hasSharedData (what the data tests call) follows process.env.CI', () => {
    const saved = process.env.CI;
    try {
      process.env.CI = '1';
      expect(() => hasSharedData(...MISSING)).toThrow(sharedData(...MISSING));
      delete process.env.CI;
      expect(hasSharedData(...MISSING)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.CI;
      else process.env.CI = saved;
    }
  });

  it('reads CI the way CI services set it', () => {
    expect(isCI({ CI: '1' })).toBe(true);
    expect(isCI({ CI: 'true' })).toBe(true);
    expect(isCI({ CI: '0' })).toBe(false);
    expect(isCI({})).toBe(false);
  });
});
