// Which area the main pane shows, kept in the URL hash (#/models, #/runs, …) so reloads and
// the browser's back button keep the place.
import { create } from 'zustand';

export const AREAS = ['datasets', 'models', 'playground', 'runs', 'training'] as const;
export type Area = (typeof AREAS)[number];

export function areaFromHash(hash: string): Area {
  const m = /^#\/([a-z]+)/.exec(hash);
  const name = m?.[1];
  return (AREAS as readonly string[]).includes(name ?? '') ? (name as Area) : 'datasets';
}

interface AreaState {
  area: Area;
  go(area: Area): void;
}

const initial = typeof location === 'undefined' ? 'datasets' : areaFromHash(location.hash);

export const useAreaStore = create<AreaState>()((set) => ({
  area: initial,
  go(area) {
    if (typeof location !== 'undefined' && areaFromHash(location.hash) !== area) location.hash = `#/${area}`;
    set({ area });
  },
}));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => useAreaStore.setState({ area: areaFromHash(location.hash) }));
}

export const selectArea = (s: AreaState) => s.area;
export const selectGo = (s: AreaState) => s.go;
