// Evaluations: the list (kept live by evaluation events), the selected one and its view (progress,
// results tables, items), the New evaluation form's choices (test sets, scorers) and the Compare
// leaderboard.
import { create } from 'zustand';
import { api, errorMessage } from '../../api';
import type {
  EvalItem,
  EvalTable,
  EvaluationSummary,
  ExportFormat,
  LeaderboardRow,
} from '../../../../shared/contracts/evaluation';
import type { TestsetSummary } from '../../../../shared/contracts/testsets';
import type { EmbeddedClassifier, ScorerKind } from '../../../../shared/contracts/scorers';
import { useJobsStore } from '../../stores/jobs';
import { readSelectedId, writeSelection } from '../../lib/rememberedSelection';
import { isEvaluationActive, upsertEvaluation } from './evaluationProgress';
import { downloadText } from './download';

const SELECTED_KEY = 'srlab.evaluation';
export const EVAL_ITEMS_PAGE_SIZE = 50;

export type EvaluateMode = 'evaluation' | 'new' | 'compare';
export type EvaluationTab = 'progress' | 'results' | 'items';
export type ItemsFilter = 'all' | 'positive' | 'flips' | 'disagreement';

export interface ItemsQuery {
  generator: string;
  testset: string;
  group: string;
  filter: ItemsFilter;
  page: number;
}

export const EMPTY_ITEMS_QUERY: ItemsQuery = { generator: '', testset: '', group: '', filter: 'all', page: 0 };

/** The items query after a change: a changed filter starts again at the first page. Pure. */
export function nextItemsQuery(
  base: ItemsQuery,
  patch: Partial<ItemsQuery>,
): { query: ItemsQuery; filterChanged: boolean } {
  const filterChanged = (['generator', 'testset', 'group', 'filter'] as const).some(
    (k) => patch[k] !== undefined && patch[k] !== base[k],
  );
  return { query: { ...base, ...patch, page: patch.page ?? (filterChanged ? 0 : base.page) }, filterChanged };
}

interface TablesState {
  evaluationId: number;
  reference: boolean;
  tables: EvalTable[];
  loading: boolean;
  error: string | null;
}

interface ItemsState {
  evaluationId: number;
  query: ItemsQuery;
  total: number;
  items: EvalItem[];
  loading: boolean;
  error: string | null;
}

interface CompareState {
  baseline: string;
  rows: LeaderboardRow[];
  loading: boolean;
  error: string | null;
}

/** What the New evaluation form picks from besides models and endpoints (their own stores). */
interface Choices {
  testsets: TestsetSummary[];
  embedded: EmbeddedClassifier[];
  kinds: { kind: ScorerKind; available: boolean; note: string }[];
  /** Why a list could not be loaded (e.g. the capability is missing in this build). */
  errors: string[];
  loaded: boolean;
}

interface EvaluateState {
  evaluations: EvaluationSummary[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  selected: number | null;
  mode: EvaluateMode;
  tab: EvaluationTab;
  tables: TablesState | null;
  items: ItemsState | null;
  compare: CompareState | null;
  choices: Choices;
  /** The last action's error (cancel, resume, remove, export), shown above the evaluation. */
  actionError: string | null;
  load(): Promise<void>;
  loadChoices(): Promise<void>;
  select(id: number | null): void;
  setMode(mode: EvaluateMode): void;
  setTab(tab: EvaluationTab): void;
  upsert(e: EvaluationSummary): void;
  started(e: EvaluationSummary): void;
  cancel(id: number): Promise<void>;
  resume(id: number): Promise<void>;
  remove(id: number): Promise<void>;
  loadTables(reference?: boolean): Promise<void>;
  exportTables(format: ExportFormat, reference: boolean): Promise<void>;
  loadItems(query?: Partial<ItemsQuery>): Promise<void>;
  loadCompare(baseline: string): Promise<void>;
}

let tablesToken = 0;
let itemsToken = 0;
let compareToken = 0;

export const useEvaluateStore = create<EvaluateState>()((set, get) => ({
  evaluations: [],
  loaded: false,
  loading: false,
  error: null,
  selected: readSelectedId(SELECTED_KEY),
  mode: 'evaluation',
  tab: 'results',
  tables: null,
  items: null,
  compare: null,
  choices: { testsets: [], embedded: [], kinds: [], errors: [], loaded: false },
  actionError: null,
  async load() {
    set({ loading: true, error: null });
    try {
      const { evaluations } = await api.call('evaluation.list', { limit: 500 });
      set((s) => ({
        evaluations: evaluations.reduce(
          upsertEvaluation,
          s.evaluations.filter((e) => evaluations.some((x) => x.id === e.id)),
        ),
        loaded: true,
        loading: false,
      }));
      const { selected } = get();
      if (!evaluations.some((e) => e.id === selected)) get().select(evaluations[0]?.id ?? null);
      else set({ tab: defaultTab(get().evaluations.find((e) => e.id === selected)!) });
    } catch (err) {
      set({ loading: false, loaded: true, error: errorMessage(err) });
    }
  },
  async loadChoices() {
    const errors: string[] = [];
    const [testsets, scorers] = await Promise.all([
      api.call('testsets.list', {}).catch((err: unknown) => {
        errors.push(`Test sets: ${errorMessage(err)}`);
        return null;
      }),
      api.call('scorers.list', {}).catch((err: unknown) => {
        errors.push(`Scorers: ${errorMessage(err)}`);
        return null;
      }),
    ]);
    set({
      choices: {
        testsets: testsets?.testsets ?? [],
        embedded: scorers?.embedded ?? [],
        kinds: scorers?.kinds ?? [],
        errors,
        loaded: true,
      },
    });
  },
  select(id) {
    const e = get().evaluations.find((x) => x.id === id);
    if (id === get().selected && get().mode === 'evaluation') return;
    writeSelection(SELECTED_KEY, id);
    set({
      selected: id,
      mode: 'evaluation',
      tab: e ? defaultTab(e) : 'results',
      tables: null,
      items: null,
      actionError: null,
    });
  },
  setMode: (mode) => set({ mode, actionError: null }),
  setTab: (tab) => set({ tab }),
  upsert(e) {
    const before = get().evaluations.find((x) => x.id === e.id);
    const evaluations = upsertEvaluation(get().evaluations, e);
    if (evaluations === get().evaluations) return;
    set({ evaluations });
    if (get().selected !== e.id || !before) return;
    if (isEvaluationActive(before.state) && !isEvaluationActive(e.state)) {
      // It just finished: the open tables and items now have everything.
      if (get().tables?.evaluationId === e.id) void get().loadTables();
      if (get().items?.evaluationId === e.id) void get().loadItems();
      if (e.state === 'succeeded' && get().tab === 'progress') set({ tab: 'results' });
    } else if (isEvaluationActive(e.state)) scheduleLiveRefresh(e.id);
  },
  started(e) {
    get().upsert(e);
    get().select(e.id);
    set({ tab: 'progress' });
  },
  async cancel(id) {
    set({ actionError: null });
    try {
      get().upsert((await api.call('evaluation.cancel', { id })).evaluation);
    } catch (err) {
      set({ actionError: errorMessage(err) });
    }
  },
  async resume(id) {
    set({ actionError: null });
    try {
      const { evaluation, job } = await api.call('evaluation.resume', { id });
      useJobsStore.getState().upsert(job);
      get().upsert(evaluation);
      set({ tab: 'progress' });
    } catch (err) {
      set({ actionError: errorMessage(err) });
    }
  },
  async remove(id) {
    set({ actionError: null });
    await api.call('evaluation.remove', { id });
    set((s) => ({ evaluations: s.evaluations.filter((e) => e.id !== id) }));
    if (get().selected === id) {
      set({ selected: null });
      get().select(get().evaluations[0]?.id ?? null);
    }
  },
  async loadTables(referenceArg) {
    const id = get().selected;
    if (id === null) return;
    const prev = get().tables;
    const reference = referenceArg ?? (prev?.evaluationId === id ? prev.reference : false);
    const token = ++tablesToken;
    set({
      tables: {
        evaluationId: id,
        reference,
        tables: prev?.evaluationId === id ? prev.tables : [],
        loading: true,
        error: null,
      },
    });
    try {
      const { tables, evaluation } = await api.call('evaluation.tables', { evaluation: id, reference });
      if (token !== tablesToken) return;
      get().upsert(evaluation);
      set({ tables: { evaluationId: id, reference, tables, loading: false, error: null } });
    } catch (err) {
      if (token !== tablesToken) return;
      set((s) => ({ tables: s.tables ? { ...s.tables, loading: false, error: errorMessage(err) } : null }));
    }
  },
  async exportTables(format, reference) {
    const id = get().selected;
    if (id === null) return;
    set({ actionError: null });
    try {
      const { text, fileName, mimeType } = await api.call('evaluation.export', { evaluation: id, format, reference });
      downloadText(text, fileName, mimeType);
    } catch (err) {
      set({ actionError: errorMessage(err) });
    }
  },
  async loadItems(patch = {}) {
    const id = get().selected;
    if (id === null) return;
    const prev = get().items;
    const base = prev?.evaluationId === id ? prev.query : EMPTY_ITEMS_QUERY;
    const { query, filterChanged } = nextItemsQuery(base, patch);
    const token = ++itemsToken;
    set({
      items: {
        evaluationId: id,
        query,
        total: prev?.evaluationId === id ? prev.total : 0,
        items: prev?.evaluationId === id && !filterChanged ? prev.items : [],
        loading: true,
        error: null,
      },
    });
    try {
      const r = await api.call('evaluation.items', {
        evaluation: id,
        ...(query.generator ? { generator: query.generator } : {}),
        ...(query.testset ? { testset: query.testset } : {}),
        ...(query.group ? { group: query.group } : {}),
        filter: query.filter,
        offset: query.page * EVAL_ITEMS_PAGE_SIZE,
        limit: EVAL_ITEMS_PAGE_SIZE,
      });
      if (token !== itemsToken) return;
      set({ items: { evaluationId: id, query, total: r.total, items: r.items, loading: false, error: null } });
    } catch (err) {
      if (token !== itemsToken) return;
      set((s) => ({ items: s.items ? { ...s.items, loading: false, error: errorMessage(err) } : null }));
    }
  },
  async loadCompare(baseline) {
    const token = ++compareToken;
    set((s) => ({
      compare: { baseline, rows: s.compare?.rows ?? [], loading: true, error: null },
    }));
    try {
      const { rows } = await api.call('evaluation.compare', { baseline: { generator: baseline } });
      if (token !== compareToken) return;
      set({ compare: { baseline, rows, loading: false, error: null } });
    } catch (err) {
      if (token !== compareToken) return;
      set((s) => ({ compare: { baseline, rows: s.compare?.rows ?? [], loading: false, error: errorMessage(err) } }));
    }
  },
}));

let liveTimer: ReturnType<typeof setTimeout> | null = null;

/**
 * While the shown evaluation runs, its open tables or items page follow the stored scores:
 * refetched at most every 2 s (the tables are recomputed on the server for each call).
 */
function scheduleLiveRefresh(id: number) {
  if (liveTimer) return;
  liveTimer = setTimeout(() => {
    liveTimer = null;
    const s = useEvaluateStore.getState();
    if (s.selected !== id) return;
    if (s.tab === 'results' && s.tables?.evaluationId === id && !s.tables.loading) void s.loadTables();
    if (s.tab === 'items' && s.items?.evaluationId === id && !s.items.loading) void s.loadItems();
  }, 2000);
}

/** Running or unfinished evaluations open on their progress; finished ones on their tables. */
function defaultTab(e: EvaluationSummary): EvaluationTab {
  return e.state === 'succeeded' ? 'results' : 'progress';
}

export const selectEvaluations = (s: EvaluateState) => s.evaluations;
export const selectSelectedEvaluationId = (s: EvaluateState) => s.selected;
export const selectSelectedEvaluation = (s: EvaluateState) => s.evaluations.find((e) => e.id === s.selected) ?? null;
export const selectEvaluateStatus = (s: EvaluateState) => ({ loaded: s.loaded, loading: s.loading, error: s.error });
export const selectMode = (s: EvaluateState) => s.mode;
export const selectTab = (s: EvaluateState) => s.tab;
export const selectTables = (s: EvaluateState) => s.tables;
export const selectItems = (s: EvaluateState) => s.items;
export const selectCompare = (s: EvaluateState) => s.compare;
export const selectChoices = (s: EvaluateState) => s.choices;
