// The Figures area's state: the kinds srlab draws (figures.kinds), the user's draft (source,
// kind, options, width, theme), the preview (figures.render, redrawn shortly after each change)
// and the exports (figures.export → base64 → a browser download; no server path crosses HTTP).
import { create } from 'zustand';
import { api, errorIssues, errorMessage } from '../../api';
import type { FigureExported, FigureKindInfo, FigureRendered } from '../../../../shared/contracts/figures';
import type { FigureFormat, FigureSpecInput } from '../../../../shared/figures/spec';
import { downloadText } from '../evaluate/download';
import {
  DEFAULT_DPI,
  EMPTY_DRAFT,
  draftToSpec,
  inputExample,
  parseDpi,
  parseJsonText,
  pickKind,
  setOption,
  sideFileNames,
  specToDraft,
  type FigureDraft,
  type SourceKind,
} from './figureForm';
import { downloadBytes } from './download';

/** How long the preview waits after a change before it asks the server (typing in a field). */
const REDRAW_DELAY_MS = 250;

export interface PreviewState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** The last drawing the server gave for the draft (kept while a newer one loads). */
  rendered: FigureRendered | null;
  /** Why the draft cannot be drawn: something to pick, or the server's message. */
  error: string | null;
  issues: { path: string; message: string }[];
}

export type SideFile = 'csv' | 'json';

export interface FiguresState {
  kinds: FigureKindInfo[];
  kindsLoaded: boolean;
  kindsError: string | null;
  draft: FigureDraft;
  preview: PreviewState;
  dpi: string;
  /** The export in flight (one at a time), by what its button says. */
  exporting: FigureFormat | SideFile | null;
  exportError: string | null;
  /** The last file downloaded, for the note under the buttons. */
  lastExport: { fileName: string; bytes: number } | null;
  loadKinds(): Promise<void>;
  setSource(source: SourceKind): void;
  update(patch: Partial<FigureDraft>): void;
  setOption(key: string, value: unknown): void;
  /** A drag in the preview (network nodes): the options with positions, kept in the spec, no redraw needed. */
  adjust(options: Record<string, unknown>): void;
  /** Drop dragged positions, back to the seeded layout. */
  resetLayout(): void;
  /** Load a saved spec JSON (from an earlier export): the same figure is drawn again; a bad file is an export error. */
  loadSpec(text: string): void;
  redraw(): Promise<void>;
  setDpi(dpi: string): void;
  exportAs(format: FigureFormat): Promise<void>;
  downloadSide(file: SideFile): Promise<void>;
}

let redrawToken = 0;
let redrawTimer: ReturnType<typeof setTimeout> | null = null;

const IDLE_PREVIEW: PreviewState = { status: 'idle', rendered: null, error: null, issues: [] };

export const useFiguresStore = create<FiguresState>()((set, get) => {
  /** A redraw soon (after typing settles); the newest request wins. */
  const scheduleRedraw = () => {
    if (redrawTimer) clearTimeout(redrawTimer);
    redrawTimer = setTimeout(() => {
      redrawTimer = null;
      void get().redraw();
    }, REDRAW_DELAY_MS);
  };

  /** The export call for the current draft, or the reason there is none (set as the export error). */
  const exportCall = async (format: FigureFormat, busy: FigureFormat | SideFile): Promise<FigureExported | null> => {
    const named = draftToSpec(get().draft);
    if (!named.ok) {
      set({ exportError: named.error });
      return null;
    }
    const dpi = parseDpi(get().dpi);
    if (format === 'png' && !dpi.ok) {
      set({ exportError: dpi.error });
      return null;
    }
    set({ exporting: busy, exportError: null });
    try {
      return await api.call('figures.export', {
        spec: named.spec,
        format,
        ...(format === 'png' && dpi.ok ? { dpi: dpi.dpi } : {}),
      });
    } catch (err) {
      set({ exportError: errorMessage(err) });
      return null;
    } finally {
      set({ exporting: null });
    }
  };

  return {
    kinds: [],
    kindsLoaded: false,
    kindsError: null,
    draft: EMPTY_DRAFT,
    preview: IDLE_PREVIEW,
    dpi: String(DEFAULT_DPI),
    exporting: null,
    exportError: null,
    lastExport: null,

    async loadKinds() {
      try {
        const { kinds } = await api.call('figures.kinds', {});
        const { draft } = get();
        set({ kinds, kindsLoaded: true, kindsError: null });
        const kind = pickKind(draft.kind, kinds, draft.sourceKind);
        if (kind !== draft.kind) get().update({ kind, options: {} });
        else scheduleRedraw();
      } catch (err) {
        set({ kindsLoaded: true, kindsError: errorMessage(err) });
      }
    },

    setSource(sourceKind) {
      const { draft, kinds } = get();
      const kind = pickKind(draft.kind, kinds, sourceKind);
      const patch: Partial<FigureDraft> = { sourceKind, kind };
      if (kind !== draft.kind) patch.options = {};
      // Inline input starts from the kind's example shape, so the user sees what to type.
      if (sourceKind === 'input' && !draft.inputText.trim()) patch.inputText = inputExample(kind);
      get().update(patch);
    },

    update(patch) {
      const before = get().draft;
      const draft = { ...before, ...patch };
      // A new kind has other options; its example input replaces the old kind's example (not the user's own text).
      if (patch.kind !== undefined && patch.kind !== before.kind) {
        if (patch.options === undefined) draft.options = {};
        if (draft.sourceKind === 'input' && before.inputText === inputExample(before.kind))
          draft.inputText = inputExample(draft.kind);
      }
      set({ draft, exportError: null });
      scheduleRedraw();
    },

    setOption(key, value) {
      get().update({ options: setOption(get().draft.options, key, value) });
    },

    adjust(options) {
      set((s) => ({ draft: { ...s.draft, options } }));
    },

    resetLayout() {
      const { positions: _dropped, ...rest } = get().draft.options;
      get().update({ options: rest });
    },

    loadSpec(text) {
      const parsed = parseJsonText(text, 'The spec file');
      if (!parsed.ok) return set({ exportError: parsed.error });
      const value = parsed.value as Partial<FigureSpecInput> | null;
      if (!value || typeof value !== 'object' || !value.kind || !value.source)
        return set({ exportError: 'The spec file has no "kind" and "source": pick a .json saved beside an export.' });
      set({ draft: specToDraft(value as FigureSpecInput), exportError: null });
      void get().redraw();
    },

    async redraw() {
      const token = ++redrawToken;
      const named = draftToSpec(get().draft);
      if (!named.ok) {
        set({ preview: { status: 'idle', rendered: null, error: named.error, issues: [] } });
        return;
      }
      set((s) => ({ preview: { ...s.preview, status: 'loading' } }));
      try {
        const rendered = await api.call('figures.render', { spec: named.spec });
        if (token !== redrawToken) return;
        set({ preview: { status: 'ready', rendered, error: null, issues: [] } });
      } catch (err) {
        if (token !== redrawToken) return;
        set({ preview: { status: 'error', rendered: null, error: errorMessage(err), issues: errorIssues(err) } });
      }
    },

    setDpi(dpi) {
      set({ dpi, exportError: null });
    },

    async exportAs(format) {
      const out = await exportCall(format, format);
      if (!out) return;
      const bytes = downloadBytes(out.base64, out.fileName, out.mime);
      set({ lastExport: { fileName: out.fileName, bytes } });
    },

    async downloadSide(file) {
      // The data and spec files come with every export; an SVG export is the cheapest to ask for.
      const out = await exportCall('svg', file);
      if (!out) return;
      const names = sideFileNames(out.fileName);
      if (file === 'csv') downloadText(out.dataCsv, names.csv, 'text/csv');
      else downloadText(out.specJson, names.json, 'application/json');
      set({
        lastExport: {
          fileName: file === 'csv' ? names.csv : names.json,
          bytes: (file === 'csv' ? out.dataCsv : out.specJson).length,
        },
      });
    },
  };
});

export const selectDraft = (s: FiguresState) => s.draft;
export const selectPreview = (s: FiguresState) => s.preview;
