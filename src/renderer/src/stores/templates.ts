// Prompt templates (latest version of each name): the paper's built-in one and any saved since.
import { create } from 'zustand';
import { api, errorMessage } from '../api';
import { DEFAULT_TEMPLATE_NAME, type PromptTemplate, type TemplateSpec } from '../../../shared/contracts/llm';

interface TemplatesState {
  templates: PromptTemplate[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  save(name: string, spec: TemplateSpec): Promise<PromptTemplate>;
}

let loading: Promise<void> | null = null;

export const useTemplatesStore = create<TemplatesState>()((set, get) => ({
  templates: [],
  loaded: false,
  error: null,
  load() {
    loading ??= (async () => {
      try {
        const { templates } = await api.call('llm.templates', {});
        set({ templates, loaded: true, error: null });
      } catch (err) {
        set({ loaded: true, error: errorMessage(err) });
      } finally {
        loading = null;
      }
    })();
    return loading;
  },
  async save(name, spec) {
    const { template } = await api.call('llm.saveTemplate', { name, ...spec });
    await get().load();
    return template;
  },
}));

export const selectTemplates = (s: TemplatesState) => s.templates;
export const selectPaperTemplate = (s: TemplatesState) =>
  s.templates.find((t) => t.name === DEFAULT_TEMPLATE_NAME) ?? null;
