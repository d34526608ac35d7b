// The model library: registered GGUF models, the recommended ones, the machine's hardware,
// and the preflight verdict of each model (computed before anything is loaded).
import { create } from 'zustand';
import { api, errorMessage } from '../../api';
import type { Hardware, LoadOptions, ModelInfo, Preflight, RecommendedModel } from '../../../../shared/contracts/llm';
import { readSelection, writeSelection } from '../../lib/rememberedSelection';

const SELECTED_KEY = 'srlab.model';

export interface PreflightEntry {
  result: Preflight | null;
  loading: boolean;
  error: string | null;
  /** The load options it was computed for. */
  load: LoadOptions;
}

interface ModelsState {
  models: ModelInfo[];
  recommended: RecommendedModel[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  selected: string | null;
  hardware: Hardware | null;
  hardwareError: string | null;
  preflights: Record<string, PreflightEntry>;
  load(): Promise<void>;
  select(name: string | null): void;
  loadHardware(): Promise<void>;
  preflight(name: string, load?: LoadOptions): Promise<void>;
}

/** The latest preflight request per model: an older answer never replaces a newer one. */
const preflightTokens = new Map<string, number>();
let preflightSeq = 0;

export const useModelsStore = create<ModelsState>()((set, get) => ({
  models: [],
  recommended: [],
  loaded: false,
  loading: false,
  error: null,
  selected: readSelection(SELECTED_KEY),
  hardware: null,
  hardwareError: null,
  preflights: {},
  async load() {
    set({ loading: true, error: null });
    try {
      const { models, recommended } = await api.call('models.list', {});
      const { selected } = get();
      set({ models, recommended, loaded: true, loading: false });
      if (!models.some((m) => m.name === selected)) get().select(models[0]?.name ?? null);
      // A changed file or library invalidates verdicts computed before.
      set((s) => ({
        preflights: Object.fromEntries(
          Object.entries(s.preflights).filter(([name]) => models.some((m) => m.name === name)),
        ),
      }));
    } catch (err) {
      set({ loading: false, loaded: true, error: errorMessage(err) });
    }
  },
  select(name) {
    if (name === get().selected) return;
    writeSelection(SELECTED_KEY, name);
    set({ selected: name });
  },
  async loadHardware() {
    try {
      set({ hardware: await api.call('llm.hardware', {}), hardwareError: null });
    } catch (err) {
      set({ hardwareError: errorMessage(err) });
    }
  },
  async preflight(name, load = {}) {
    const token = ++preflightSeq;
    preflightTokens.set(name, token);
    set((s) => ({
      preflights: {
        ...s.preflights,
        [name]: { result: s.preflights[name]?.result ?? null, loading: true, error: null, load },
      },
    }));
    try {
      const result = await api.call('models.preflight', { name, load });
      if (preflightTokens.get(name) !== token) return;
      set((s) => ({ preflights: { ...s.preflights, [name]: { result, loading: false, error: null, load } } }));
    } catch (err) {
      if (preflightTokens.get(name) !== token) return;
      set((s) => ({
        preflights: { ...s.preflights, [name]: { result: null, loading: false, error: errorMessage(err), load } },
      }));
    }
  },
}));

export const selectModels = (s: ModelsState) => s.models;
export const selectRecommended = (s: ModelsState) => s.recommended;
export const selectSelectedModelName = (s: ModelsState) => s.selected;
export const selectSelectedModel = (s: ModelsState) => s.models.find((m) => m.name === s.selected) ?? null;
export const selectModelsStatus = (s: ModelsState) => ({ loaded: s.loaded, loading: s.loading, error: s.error });
export const selectHardware = (s: ModelsState) => s.hardware;
