// Generation runs: the list (kept live by run events), the selected run, a page of its items
// (kept live by run-item events), and the New run dialog.
import { create } from 'zustand';
import { api, errorMessage } from '../../api';
import type { RunItem, RunSummary } from '../../../../shared/contracts/runs';
import type { RunForm } from './runForm';
import { applyItem, isNewerRun, upsertRun } from './runProgress';
import { useJobsStore } from '../../stores/jobs';
import { readSelectedId, writeSelection } from '../../lib/rememberedSelection';

const SELECTED_KEY = 'srlab.run';
export const ITEMS_PAGE_SIZE = 50;
export type ItemFilter = 'all' | 'done' | 'error' | 'pending';

export interface ItemsPage {
  runId: number;
  filter: ItemFilter;
  page: number;
  total: number;
  items: RunItem[];
  loading: boolean;
  error: string | null;
}

interface RunsState {
  runs: RunSummary[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  selected: number | null;
  items: ItemsPage | null;
  /** The New run dialog, open with these fields filled in. */
  newRun: Partial<RunForm> | null;
  /** The last action's error (cancel, resume, remove), shown above the run. */
  actionError: string | null;
  load(): Promise<void>;
  select(id: number | null): void;
  upsert(run: RunSummary): void;
  onItem(runId: number, item: RunItem): void;
  loadItems(page?: number, filter?: ItemFilter): Promise<void>;
  openNewRun(preset?: Partial<RunForm>): void;
  closeNewRun(): void;
  started(run: RunSummary): void;
  cancel(id: number): Promise<void>;
  resume(id: number): Promise<void>;
  remove(id: number): Promise<void>;
}

let itemsToken = 0;
/** Items that finished while their page was being fetched: applied to the answer, which may predate them. */
let arrivedWhileLoading: RunItem[] = [];
let refreshTimer: ReturnType<typeof setTimeout> | null = null;

export const useRunsStore = create<RunsState>()((set, get) => ({
  runs: [],
  loaded: false,
  loading: false,
  error: null,
  selected: readSelectedId(SELECTED_KEY),
  items: null,
  newRun: null,
  actionError: null,
  async load() {
    set({ loading: true, error: null });
    try {
      const { runs } = await api.call('runs.list', { limit: 500 });
      set((s) => ({
        // Keep a newer live summary already received over events.
        runs: runs.map((r) => {
          const current = s.runs.find((c) => c.id === r.id);
          return current && !isNewerRun(current, r) ? current : r;
        }),
        loaded: true,
        loading: false,
      }));
      const { selected } = get();
      if (!runs.some((r) => r.id === selected)) get().select(runs[0]?.id ?? null);
    } catch (err) {
      set({ loading: false, loaded: true, error: errorMessage(err) });
    }
  },
  select(id) {
    if (id === get().selected) return;
    writeSelection(SELECTED_KEY, id);
    set({ selected: id, items: null, actionError: null });
  },
  upsert(run) {
    const before = get().runs.find((r) => r.id === run.id);
    const runs = upsertRun(get().runs, run);
    if (runs === get().runs) return;
    set({ runs });
    // A run that just finished (or restarted) on the open page: its items' statuses changed.
    if (get().selected === run.id && before && before.state !== run.state) scheduleItemsRefresh();
  },
  onItem(runId, item) {
    const page = get().items;
    if (!page || page.runId !== runId) return;
    if (page.loading) arrivedWhileLoading.push(item);
    if (page.filter === 'all') {
      const items = applyItem(page.items, item);
      if (items !== page.items) set({ items: { ...page, items } });
      return;
    }
    // Under a status filter the item moves between lists: refetch the page (throttled).
    scheduleItemsRefresh();
  },
  async loadItems(pageArg, filterArg) {
    const id = get().selected;
    if (id === null) return;
    const prev = get().items;
    const sameRun = prev?.runId === id;
    const filter = filterArg ?? (sameRun ? prev!.filter : 'all');
    const page = pageArg ?? (sameRun && prev!.filter === filter ? prev!.page : 0);
    const token = ++itemsToken;
    arrivedWhileLoading = [];
    set({
      items: {
        runId: id,
        filter,
        page,
        total: sameRun && prev!.filter === filter ? prev!.total : 0,
        items: sameRun && prev!.filter === filter && prev!.page === page ? prev!.items : [],
        loading: true,
        error: null,
      },
    });
    try {
      const r = await api.call('runs.items', {
        id,
        offset: page * ITEMS_PAGE_SIZE,
        limit: ITEMS_PAGE_SIZE,
        status: filter,
      });
      if (token !== itemsToken) return;
      const arrived = arrivedWhileLoading;
      arrivedWhileLoading = [];
      const items = filter === 'all' ? arrived.reduce(applyItem, r.items) : r.items;
      set({ items: { runId: id, filter, page, total: r.total, items, loading: false, error: null } });
      if (filter !== 'all' && arrived.length) scheduleItemsRefresh();
    } catch (err) {
      if (token !== itemsToken) return;
      set((s) => ({ items: s.items ? { ...s.items, loading: false, error: errorMessage(err) } : null }));
    }
  },
  openNewRun: (preset = {}) => set({ newRun: preset }),
  closeNewRun: () => set({ newRun: null }),
  started(run) {
    get().upsert(run);
    get().select(run.id);
  },
  async cancel(id) {
    set({ actionError: null });
    try {
      get().upsert((await api.call('runs.cancel', { id })).run);
    } catch (err) {
      set({ actionError: errorMessage(err) });
    }
  },
  async resume(id) {
    set({ actionError: null });
    try {
      const { run, job } = await api.call('runs.resume', { id });
      useJobsStore.getState().upsert(job);
      get().upsert(run);
      scheduleItemsRefresh();
    } catch (err) {
      set({ actionError: errorMessage(err) });
    }
  },
  async remove(id) {
    set({ actionError: null });
    try {
      await api.call('runs.remove', { id });
      set((s) => ({ runs: s.runs.filter((r) => r.id !== id), items: s.items?.runId === id ? null : s.items }));
      if (get().selected === id) {
        set({ selected: null });
        get().select(get().runs[0]?.id ?? null);
      }
    } catch (err) {
      set({ actionError: errorMessage(err) });
      throw err;
    }
  },
}));

function scheduleItemsRefresh() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    void useRunsStore.getState().loadItems();
  }, 400);
}

export const selectRuns = (s: RunsState) => s.runs;
export const selectSelectedRunId = (s: RunsState) => s.selected;
export const selectSelectedRun = (s: RunsState) => s.runs.find((r) => r.id === s.selected) ?? null;
export const selectRunsStatus = (s: RunsState) => ({ loaded: s.loaded, loading: s.loading, error: s.error });
export const selectItemsPage = (s: RunsState) => s.items;
export const selectNewRun = (s: RunsState) => s.newRun;
