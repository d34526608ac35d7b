// Which area the main pane shows, kept in the URL hash (#/models, #/runs, …) so reloads and
// the browser's back button keep the place. The areas come from the registry (areas/index.ts),
// handed over by startAreaRouting when the app starts: importing the registry's values here
// would be an import cycle, since areas' components use this store to switch areas.
import { create } from 'zustand';
import type { AreaId } from '../areas';

/** The area a hash names (#/models → 'models'), or the first area when it names none of them. */
export function areaFromHash<Id extends string>(hash: string, ids: readonly Id[]): Id | undefined {
  const name = /^#\/([a-z0-9-]+)/.exec(hash)?.[1];
  return ids.find((id) => id === name) ?? ids[0];
}

interface AreaState {
  /** Null only before startAreaRouting has run. */
  area: AreaId | null;
  ids: readonly AreaId[];
  go(area: AreaId): void;
}

export const useAreaStore = create<AreaState>()((set, get) => ({
  area: null,
  ids: [],
  go(area) {
    if (typeof location !== 'undefined' && areaFromHash(location.hash, get().ids) !== area) location.hash = `#/${area}`;
    set({ area });
  },
}));

/** Picks the area from the hash and follows the hash from then on (back/forward, typed URLs). */
export function startAreaRouting(ids: readonly AreaId[]): () => void {
  const fromHash = () => useAreaStore.setState({ ids, area: areaFromHash(location.hash, ids) ?? null });
  fromHash();
  window.addEventListener('hashchange', fromHash);
  return () => window.removeEventListener('hashchange', fromHash);
}

export const selectArea = (s: AreaState) => s.area;
export const selectGo = (s: AreaState) => s.go;
