// The playground: one prompt through a template to a local model or an endpoint, with the
// output streamed as chat-token events and the exact prompt that was sent.
import { create } from 'zustand';
import { api, errorIssues, errorMessage } from '../../api';
import type { Input } from '../../../../shared/api';
import type { Completion, PromptTemplate, TemplateSpec } from '../../../../shared/contracts/llm';
import {
  adapterFields,
  decodingFromForm,
  DEFAULT_DECODING_FORM,
  EMPTY_LOAD_FORM,
  loadFromForm,
  type DecodingForm,
  type LoadForm,
} from '../../lib/llmForms';
import { templateProblems, templateRef, type TemplateDraft } from './templateDraft';

export interface PlaygroundTarget {
  targetKind: 'local' | 'endpoint';
  model: string;
  endpoint: string;
  adapter: string;
}

interface PlaygroundState extends PlaygroundTarget {
  /** null until the templates have loaded and the paper's template was copied in. */
  template: TemplateDraft | null;
  /** The saved template the draft came from, to tell whether it was edited. */
  templateSaved: TemplateSpec | null;
  decoding: DecodingForm;
  load: LoadForm;
  text: string;
  running: boolean;
  streamId: string | null;
  streamed: string;
  startedAt: number | null;
  result: Completion | null;
  /** The text the result answers (the input may be edited since). */
  resultInput: string | null;
  error: string | null;
  issues: { path: string; message: string }[];
  problems: string[];
  setTarget(target: Partial<PlaygroundTarget>): void;
  applyTemplate(t: PromptTemplate): void;
  editTemplate(patch: Partial<TemplateSpec>): void;
  setDecoding(patch: Partial<DecodingForm>): void;
  setLoad(patch: Partial<LoadForm>): void;
  setText(text: string): void;
  send(): Promise<void>;
  /** Stop the running completion; it then returns what it generated, marked cancelled. */
  stop(): Promise<void>;
  onToken(streamId: string, text: string): void;
  clear(): void;
}

function newStreamId(): string {
  const random = globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2);
  return `playground-${random}`;
}

export type ChatRequest = Input<'chat.complete'>;

/** The chat.complete input for the current settings, or the problems to fix first. */
export function playgroundRequest(s: PlaygroundState): { request: ChatRequest | null; problems: string[] } {
  const problems: string[] = [];
  if (s.targetKind === 'local' && !s.model) problems.push('Choose a model.');
  if (s.targetKind === 'endpoint' && !s.endpoint) problems.push('Choose an endpoint.');
  if (!s.template) problems.push('The templates are still loading.');
  else problems.push(...templateProblems(s.template));
  if (!s.text.trim()) problems.push('Type a text to send.');
  const decoding = decodingFromForm(s.decoding, problems);
  const load = loadFromForm(s.load, problems);
  if (problems.length || !s.template) return { request: null, problems };
  const target: ChatRequest['target'] =
    s.targetKind === 'local'
      ? { kind: 'local', model: s.model, ...adapterFields(s.adapter) }
      : { kind: 'endpoint', endpoint: s.endpoint };
  return {
    request: { target, template: templateRef(s.template, s.templateSaved), text: s.text, decoding, load },
    problems,
  };
}

export const usePlaygroundStore = create<PlaygroundState>()((set, get) => ({
  targetKind: 'local',
  model: '',
  endpoint: '',
  adapter: '',
  template: null,
  templateSaved: null,
  decoding: { ...DEFAULT_DECODING_FORM },
  load: { ...EMPTY_LOAD_FORM },
  text: '',
  running: false,
  streamId: null,
  streamed: '',
  startedAt: null,
  result: null,
  resultInput: null,
  error: null,
  issues: [],
  problems: [],
  setTarget: (target) => set({ ...target, problems: [] }),
  applyTemplate(t) {
    const spec = { format: t.format, systemPrompt: t.systemPrompt, instruction: t.instruction };
    set({ template: { ...spec, base: { name: t.name, version: t.version } }, templateSaved: spec, problems: [] });
  },
  editTemplate(patch) {
    const current = get().template;
    if (current) set({ template: { ...current, ...patch }, problems: [] });
  },
  setDecoding: (patch) => set((s) => ({ decoding: { ...s.decoding, ...patch }, problems: [] })),
  setLoad: (patch) => set((s) => ({ load: { ...s.load, ...patch }, problems: [] })),
  setText: (text) => set({ text, problems: [] }),
  async send() {
    if (get().running) return;
    const { request, problems } = playgroundRequest(get());
    if (!request) {
      set({ problems });
      return;
    }
    const streamId = newStreamId();
    set({
      running: true,
      streamId,
      streamed: '',
      startedAt: performance.now(),
      result: null,
      resultInput: request.text,
      error: null,
      issues: [],
      problems: [],
    });
    try {
      const result = await api.call('chat.complete', { ...request, streamId });
      if (get().streamId !== streamId) return;
      set({ result, streamed: result.output, running: false });
    } catch (err) {
      if (get().streamId !== streamId) return;
      set({ error: errorMessage(err), issues: errorIssues(err), running: false });
    }
  },
  async stop() {
    const { running, streamId } = get();
    if (!running || !streamId) return;
    try {
      await api.call('chat.cancel', { streamId });
    } catch (err) {
      if (get().streamId === streamId) set({ error: errorMessage(err) });
    }
  },
  onToken(streamId, text) {
    if (streamId !== get().streamId || !get().running) return;
    set((s) => ({ streamed: s.streamed + text }));
  },
  clear: () => set({ streamed: '', result: null, resultInput: null, error: null, issues: [], streamId: null }),
}));
