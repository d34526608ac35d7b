import { describe, expect, test } from 'vitest';
import {
  LruCache,
  pageKey,
  pagesToFetch,
  queryKey,
  stableStringify,
} from '../../../src/renderer/src/areas/datasets/pageCache';

describe('cache keys', () => {
  test('equal queries give equal keys whatever their key order', () => {
    expect(queryKey('cmd-demo', { bias: ['Yes'], q: 'x' })).toBe(queryKey('cmd-demo', { q: 'x', bias: ['Yes'] }));
  });
  test('a different dataset, filter or page gives a different key', () => {
    const a = queryKey('a', {});
    expect(queryKey('b', {})).not.toBe(a);
    expect(queryKey('a', { disagreesOnly: true })).not.toBe(a);
    expect(pageKey(a, 1)).not.toBe(pageKey(a, 2));
  });
  test('undefined fields are ignored, as JSON would drop them on the wire', () => {
    expect(stableStringify({ a: 1, b: undefined })).toBe('{"a":1}');
  });
});

describe('pagesToFetch', () => {
  test('before the total is known only the first page is requested', () => {
    expect(pagesToFetch(0, 30, null)).toEqual([0]);
  });
  test('covers the visible rows and fetches one page ahead in the scroll direction', () => {
    expect(pagesToFetch(390, 420, 100_000, { pageSize: 200, direction: 1 })).toEqual([1, 2, 3]);
    expect(pagesToFetch(390, 420, 100_000, { pageSize: 200, direction: -1 })).toEqual([1, 2, 0]);
  });
  test('without a direction it fetches ahead on both sides', () => {
    expect(pagesToFetch(410, 420, 100_000, { pageSize: 200 })).toEqual([2, 3, 1]);
  });
  test('never asks for pages past the last row or before the first', () => {
    expect(pagesToFetch(0, 10, 150, { pageSize: 200, ahead: 2 })).toEqual([0]);
    expect(pagesToFetch(99_990, 100_000, 100_000, { pageSize: 200, direction: 1 })).toEqual([499]);
  });
  test('an empty result needs no pages', () => {
    expect(pagesToFetch(0, 0, 0)).toEqual([]);
  });
});

describe('LruCache', () => {
  test('forgets the least recently used entry when full', () => {
    const c = new LruCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    c.get('a'); // a is now the most recent
    c.set('c', 3);
    expect(c.has('a')).toBe(true);
    expect(c.has('b')).toBe(false);
    expect(c.size).toBe(2);
  });
  test('peek reads without refreshing the entry', () => {
    const c = new LruCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.peek('a')).toBe(1);
    c.set('c', 3);
    expect(c.has('a')).toBe(false);
  });
});
