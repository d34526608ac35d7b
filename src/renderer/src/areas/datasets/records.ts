// Records of the table: a page cache keyed by (dataset, filter, page), filled on demand.
import { create } from 'zustand';
import { api, errorMessage } from '../../api';
import type { RecordFilter } from '../../../../shared/contracts/datasets';
import { LruCache, PAGE_SIZE, pageKey, pagesToFetch, queryKey } from './pageCache';
import type { RecordRow } from './recordEdit';

/**
 * 60 pages × 200 rows: enough to scroll back and forth without refetching, bounded memory.
 * Each page remembers the generation it was fetched in; older pages stay on screen until
 * their refetch arrives, so a refresh never flashes empty rows.
 */
const cache = new LruCache<{ rows: RecordRow[]; generation: number }>(60);
const inFlight = new Set<string>();
/** Bumped by refresh(): cached pages become stale and answers to older requests are dropped. */
let generation = 0;
/** Pages the table needs now, most urgent first. */
let wanted: number[] = [];
/** At most this many page requests at once, so a fast scroll does not queue a backlog on the server. */
const MAX_IN_FLIGHT = 2;

interface RecordsState {
  dataset: string | null;
  filter: RecordFilter;
  query: string | null;
  /** Rows matching the filter; null until the first page arrives. */
  total: number | null;
  /** Bumped whenever a page arrives or a row changes, so the table re-reads the cache. */
  version: number;
  /** Bumped by refresh(), so the table asks for its visible pages again. */
  epoch: number;
  loadingPages: number;
  error: string | null;
  setQuery(dataset: string | null, filter: RecordFilter): void;
  ensure(first: number, end: number, direction?: -1 | 0 | 1): void;
  refresh(): void;
  replace(record: RecordRow): void;
}

export const useRecordsStore = create<RecordsState>()((set, get) => {
  function pump() {
    const { dataset, filter, query } = get();
    if (!dataset || !query) return;
    for (const page of wanted) {
      if (inFlight.size >= MAX_IN_FLIGHT) return;
      const key = pageKey(query, page);
      if (cache.peek(key)?.generation === generation || inFlight.has(key)) continue;
      inFlight.add(key);
      const gen = generation;
      set((s) => ({ loadingPages: s.loadingPages + 1 }));
      api
        .call('datasets.records', { dataset, filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
        .then(({ total, rows }) => {
          if (gen !== generation) return;
          cache.set(key, { rows, generation: gen });
          if (get().query === query) set((s) => ({ total, version: s.version + 1, error: null }));
        })
        .catch((err: unknown) => {
          if (gen === generation && get().query === query) set({ error: errorMessage(err) });
        })
        .finally(() => {
          if (gen === generation) inFlight.delete(key);
          set((s) => ({ loadingPages: Math.max(0, s.loadingPages - 1) }));
          pump();
        });
    }
  }

  return {
    dataset: null,
    filter: {},
    query: null,
    total: null,
    version: 0,
    epoch: 0,
    loadingPages: 0,
    error: null,
    setQuery(dataset, filter) {
      const query = dataset ? queryKey(dataset, filter) : null;
      if (query === get().query) return;
      set({ dataset, filter, query, total: null, error: null });
    },
    ensure(first, end, direction = 0) {
      const { query, total } = get();
      if (!query) return;
      // The newest window replaces older wishes: pages scrolled past are never fetched.
      wanted = pagesToFetch(first, end, total, { direction, ahead: 1 });
      pump();
    },
    refresh() {
      generation++;
      inFlight.clear();
      wanted = [];
      set((s) => ({ epoch: s.epoch + 1, error: null, loadingPages: 0 }));
    },
    replace(record) {
      for (const { rows } of cache.values()) {
        const i = rows.findIndex((r) => r.id === record.id);
        if (i >= 0) rows[i] = record;
      }
      set((s) => ({ version: s.version + 1 }));
    },
  };
});

/** The cached row at a table index, or undefined while its page loads. */
export function rowAt(query: string | null, index: number): RecordRow | undefined {
  if (!query) return undefined;
  return cache.peek(pageKey(query, Math.floor(index / PAGE_SIZE)))?.rows[index % PAGE_SIZE];
}

export const selectRecordsView = (s: RecordsState) => ({
  query: s.query,
  total: s.total,
  version: s.version,
  epoch: s.epoch,
  error: s.error,
  loading: s.loadingPages > 0,
});
export const selectEnsure = (s: RecordsState) => s.ensure;
