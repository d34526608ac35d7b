import { afterEach, describe, expect, it } from 'vitest';
import { readSelectedId, readSelection, writeSelection } from '../../../src/renderer/src/lib/rememberedSelection';

/** The part of the Web Storage API the module uses, as the browser behaves. */
function installSessionStorage(): Map<string, string> {
  const data = new Map<string, string>();
  Object.assign(globalThis, {
    sessionStorage: {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    },
  });
  return data;
}

afterEach(() => {
  delete (globalThis as { sessionStorage?: unknown }).sessionStorage;
});

describe('remembered selection', () => {
  it('round-trips a name and an id, and forgets on null', () => {
    const data = installSessionStorage();
    writeSelection('srlab.dataset', 'cmd-demo');
    writeSelection('srlab.run', 7);
    expect(readSelection('srlab.dataset')).toBe('cmd-demo');
    expect(readSelectedId('srlab.run')).toBe(7);
    writeSelection('srlab.run', null);
    expect(data.has('srlab.run')).toBe(false);
    expect(readSelectedId('srlab.run')).toBeNull();
  });

  it.each(['0', '-3', '2.5', 'abc'])('reads a stored %j as no run', (stored) => {
    installSessionStorage().set('srlab.run', stored);
    expect(readSelectedId('srlab.run')).toBeNull();
  });

  it('answers null and keeps going where storage is unavailable', () => {
    expect(readSelection('srlab.dataset')).toBeNull();
    expect(() => writeSelection('srlab.dataset', 'x')).not.toThrow();
  });
});
