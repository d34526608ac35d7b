// Formatting shared by the CLI and the renderer.

/** A rough duration for estimates: "45 s", "12 min", "3 h 20 min", "2.5 days". */
export function formatRoughDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  const min = Math.round(seconds / 60);
  if (min < 90) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${(seconds / 86400).toFixed(1)} days`;
}
