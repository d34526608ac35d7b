// Who is editing: asked once, remembered in localStorage, sent with every record edit.
import { create } from 'zustand';

const KEY = 'srlab.editor';

function stored(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

interface EditorState {
  name: string;
  setName(name: string): void;
}

export const useEditorStore = create<EditorState>()((set) => ({
  name: stored(),
  setName(name) {
    const trimmed = name.trim();
    try {
      localStorage.setItem(KEY, trimmed);
    } catch {
      // remembered for this page only
    }
    set({ name: trimmed });
  },
}));

export const selectEditorName = (s: EditorState) => s.name;
export const selectSetEditorName = (s: EditorState) => s.setName;
