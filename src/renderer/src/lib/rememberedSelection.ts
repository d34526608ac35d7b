// Each area remembers its selection for the browser tab (sessionStorage), so a reload lands on
// the same dataset, model or run. Storage may be unavailable (private mode, sandboxed frames):
// then the selection lasts for this page only.

export function readSelection(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

/** A remembered numeric id (a run), or null when none or not a positive integer. */
export function readSelectedId(key: string): number | null {
  const v = Number(readSelection(key));
  return Number.isInteger(v) && v > 0 ? v : null;
}

export function writeSelection(key: string, value: string | number | null): void {
  try {
    if (value === null || value === '') sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, String(value));
  } catch {
    // see above: the selection then lasts for this page only
  }
}
