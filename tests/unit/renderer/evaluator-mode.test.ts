// The lab's evaluator mode (src/renderer/src/stores/evaluator-mode.ts): entering it keeps whom
// the window acts as in sessionStorage, so a reload stays in evaluator mode; leaving clears it;
// anything malformed in storage means no evaluator mode (never a half-valid identity).
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

/** The browser's sessionStorage, as a real in-memory Storage-shaped object (node has none). */
class MemoryStorage {
  private map = new Map<string, string>();
  getItem(k: string) {
    return this.map.has(k) ? this.map.get(k)! : null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, String(v));
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
  clear() {
    this.map.clear();
  }
}

const storage = new MemoryStorage();

/** A fresh module, as after a page reload: the store reads storage when it is created. */
async function loadStore() {
  vi.resetModules();
  return import('../../../src/renderer/src/stores/evaluator-mode');
}

beforeEach(() => {
  storage.clear();
  vi.stubGlobal('sessionStorage', storage);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('evaluator mode', () => {
  test('starts off; entering sets whom the window acts as and survives a reload', async () => {
    const first = await loadStore();
    expect(first.useEvaluatorMode.getState().actingAs).toBeNull();
    first.useEvaluatorMode.getState().enter({ kind: 'humaneval', session: 3, evaluator: 'alice' });
    expect(first.useEvaluatorMode.getState().actingAs).toEqual({ kind: 'humaneval', session: 3, evaluator: 'alice' });

    const reloaded = await loadStore();
    expect(reloaded.useEvaluatorMode.getState().actingAs).toEqual({
      kind: 'humaneval',
      session: 3,
      evaluator: 'alice',
    });
  });

  test('an annotator of a round, too; leaving clears it for the next reload', async () => {
    const s = await loadStore();
    s.useEvaluatorMode.getState().enter({ kind: 'round', round: 9, annotator: 'ann 2' });
    expect((await loadStore()).useEvaluatorMode.getState().actingAs).toEqual({
      kind: 'round',
      round: 9,
      annotator: 'ann 2',
    });
    const again = await loadStore();
    again.useEvaluatorMode.getState().leave();
    expect(again.useEvaluatorMode.getState().actingAs).toBeNull();
    expect(storage.getItem(again.EVALUATOR_MODE_KEY)).toBeNull();
    expect((await loadStore()).useEvaluatorMode.getState().actingAs).toBeNull();
  });

  test.each([
    ['not JSON', '{oops'],
    ['an unknown kind', JSON.stringify({ kind: 'lab', session: 1, evaluator: 'a' })],
    ['a session id that is not a positive integer', JSON.stringify({ kind: 'humaneval', session: 0, evaluator: 'a' })],
    ['an empty name', JSON.stringify({ kind: 'round', round: 2, annotator: '  ' })],
    ['a round without its annotator', JSON.stringify({ kind: 'round', round: 2, evaluator: 'a' })],
  ])('storage holding %s means no evaluator mode', async (_what, raw) => {
    storage.setItem('srlab.evaluatorMode', raw);
    expect((await loadStore()).useEvaluatorMode.getState().actingAs).toBeNull();
  });

  test('entering with a malformed identity is refused and changes nothing', async () => {
    const s = await loadStore();
    expect(() => s.useEvaluatorMode.getState().enter({ kind: 'humaneval', session: 1.5, evaluator: 'a' })).toThrow(
      /session or round/,
    );
    expect(s.useEvaluatorMode.getState().actingAs).toBeNull();
    expect(storage.getItem(s.EVALUATOR_MODE_KEY)).toBeNull();
  });

  test('without storage (private mode) it still works for the page', async () => {
    vi.stubGlobal('sessionStorage', {
      getItem() {
        throw new Error('denied');
      },
      setItem() {
        throw new Error('denied');
      },
      removeItem() {
        throw new Error('denied');
      },
    });
    const s = await loadStore();
    expect(s.useEvaluatorMode.getState().actingAs).toBeNull();
    s.useEvaluatorMode.getState().enter({ kind: 'humaneval', session: 2, evaluator: 'bob' });
    expect(s.useEvaluatorMode.getState().actingAs?.kind).toBe('humaneval');
    s.useEvaluatorMode.getState().leave();
    expect(s.useEvaluatorMode.getState().actingAs).toBeNull();
  });
});
