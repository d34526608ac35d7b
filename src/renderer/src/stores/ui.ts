import { create } from 'zustand';

export type DatasetTab = 'records' | 'stats';
export type DatasetDialog = 'import' | 'split' | 'export' | 'remove' | null;

interface UiState {
  tab: DatasetTab;
  dialog: DatasetDialog;
  setTab(tab: DatasetTab): void;
  openDialog(dialog: DatasetDialog): void;
  closeDialog(): void;
}

export const useUiStore = create<UiState>()((set) => ({
  tab: 'records',
  dialog: null,
  setTab: (tab) => set({ tab }),
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
}));

export const selectTab = (s: UiState) => s.tab;
export const selectSetTab = (s: UiState) => s.setTab;
export const selectDialog = (s: UiState) => s.dialog;
export const selectOpenDialog = (s: UiState) => s.openDialog;
export const selectCloseDialog = (s: UiState) => s.closeDialog;
