// Page cache of the records table: rows are fetched in pages keyed by (dataset, filter,
// page index), kept in a bounded LRU, and the pages just ahead of the scroll are fetched early.

export const PAGE_SIZE = 200;

/** JSON with object keys sorted, so equal queries give equal keys whatever their key order. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function queryKey(dataset: string, filter: unknown): string {
  return stableStringify({ dataset, filter });
}

export function pageKey(query: string, page: number): string {
  return `${query}#${page}`;
}

export function pageOf(row: number, pageSize = PAGE_SIZE): number {
  return Math.floor(row / pageSize);
}

/**
 * Pages needed to show rows [first, end), then `ahead` more pages in the scroll direction
 * (both directions when it is 0). `total` null means unknown (nothing fetched yet): then only
 * the first page is certain to exist.
 */
export function pagesToFetch(
  first: number,
  end: number,
  total: number | null,
  opts: { pageSize?: number; ahead?: number; direction?: -1 | 0 | 1 } = {},
): number[] {
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  const ahead = opts.ahead ?? 1;
  const direction = opts.direction ?? 0;
  if (total === 0) return [];
  const lastPage = total === null ? 0 : pageOf(total - 1, pageSize);
  const lo = pageOf(Math.max(0, first), pageSize);
  const hi = pageOf(Math.max(first, end - 1), pageSize);
  const pages: number[] = [];
  for (let p = lo; p <= hi; p++) pages.push(p);
  for (let i = 1; i <= ahead; i++) {
    if (direction >= 0) pages.push(hi + i);
    if (direction <= 0) pages.push(lo - i);
  }
  return pages.filter((p) => p >= 0 && p <= lastPage).filter((p, i, a) => a.indexOf(p) === i);
}

/** A bounded map that forgets the least recently used entry first. */
export class LruCache<V> {
  private readonly map = new Map<string, V>();
  constructor(readonly capacity: number) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  /** Read without counting as a use (for rendering, which must not reorder on every frame). */
  peek(key: string): V | undefined {
    return this.map.get(key);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }
}
