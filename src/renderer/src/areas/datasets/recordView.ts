// The record side panel: which record is open, its edit history, and saving edits.
import { create } from 'zustand';
import { api, errorIssues, errorMessage } from '../../api';
import type { LabelEdit } from '../../../../shared/contracts/datasets';
import type { RecordChanges, RecordRow } from './recordEdit';
import { useRecordsStore } from './records';

interface RecordViewState {
  openId: number | null;
  record: RecordRow | null;
  edits: LabelEdit[];
  loading: boolean;
  saving: boolean;
  error: string | null;
  issues: { path: string; message: string }[];
  /** Set after a successful save, for a short confirmation. */
  savedAt: number | null;
  open(id: number): Promise<void>;
  close(): void;
  save(changes: RecordChanges, editor: string, note: string): Promise<boolean>;
}

export const useRecordViewStore = create<RecordViewState>()((set, get) => ({
  openId: null,
  record: null,
  edits: [],
  loading: false,
  saving: false,
  error: null,
  issues: [],
  savedAt: null,
  async open(id) {
    set({ openId: id, loading: true, error: null, issues: [], savedAt: null });
    try {
      const { record, edits } = await api.call('datasets.record', { id });
      if (get().openId === id) set({ record, edits, loading: false });
    } catch (err) {
      if (get().openId === id) set({ loading: false, record: null, edits: [], error: errorMessage(err) });
    }
  },
  close: () => set({ openId: null, record: null, edits: [], error: null, issues: [], savedAt: null }),
  async save(changes, editor, note) {
    const id = get().openId;
    if (id === null) return false;
    set({ saving: true, error: null, issues: [] });
    try {
      const { record, edits } = await api.call('datasets.editRecord', {
        id,
        changes,
        editor,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      set({ record, edits, saving: false, savedAt: Date.now() });
      useRecordsStore.getState().replace(record);
      return true;
    } catch (err) {
      set({ saving: false, error: errorMessage(err), issues: errorIssues(err) });
      return false;
    }
  },
}));

export const selectOpenRecordId = (s: RecordViewState) => s.openId;
export const selectOpenRecord = (s: RecordViewState) => s.open;
export const selectCloseRecord = (s: RecordViewState) => s.close;
