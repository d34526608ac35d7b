// Dataset text stays hidden until the user acknowledges the content warning; the
// acknowledgement lasts for this browser session only.
import { create } from 'zustand';

const KEY = 'srlab.contentWarningAcknowledged';

function stored(): boolean {
  try {
    return sessionStorage.getItem(KEY) === 'yes';
  } catch {
    return false;
  }
}

interface ContentWarningState {
  acknowledged: boolean;
  acknowledge(): void;
  hideAgain(): void;
}

export const useContentWarningStore = create<ContentWarningState>()((set) => ({
  acknowledged: stored(),
  acknowledge() {
    try {
      sessionStorage.setItem(KEY, 'yes');
    } catch {
      // unavailable storage: acknowledged for this page only
    }
    set({ acknowledged: true });
  },
  hideAgain() {
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // nothing stored
    }
    set({ acknowledged: false });
  },
}));

export const selectAcknowledged = (s: ContentWarningState) => s.acknowledged;
export const selectAcknowledge = (s: ContentWarningState) => s.acknowledge;
export const selectHideAgain = (s: ContentWarningState) => s.hideAgain;
