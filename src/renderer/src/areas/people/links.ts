// Invitation links as the lab sees them: the full URL to hand an evaluator (serve mode's origin +
// the path the server gave), whether a link still works, and whether this window can hand links
// out at all (the desktop app has no http origin: its links are for `srlab serve`). Pure.
import type { EvaluatorToken } from '../../../../shared/contracts/access';

export type LinkState = 'active' | 'revoked' | 'expired';

export function linkState(t: EvaluatorToken, now = Date.now()): LinkState {
  if (t.revokedAt) return 'revoked';
  if (t.expiresAt && Date.parse(t.expiresAt) <= now) return 'expired';
  return 'active';
}

export interface LinksSummary {
  /** `none`: no link was ever made; otherwise the best state any link is in. */
  state: LinkState | 'none';
  active: number;
  /** The latest expiry among the working links (null: never, or none working). */
  expiresAt: string | null;
}

export function linksSummary(tokens: readonly EvaluatorToken[], now = Date.now()): LinksSummary {
  if (tokens.length === 0) return { state: 'none', active: 0, expiresAt: null };
  const working = tokens.filter((t) => linkState(t, now) === 'active');
  if (working.length > 0) {
    const expiries = working.map((t) => t.expiresAt);
    const expiresAt = expiries.includes(null) ? null : ([...expiries].sort().at(-1) ?? null);
    return { state: 'active', active: working.length, expiresAt };
  }
  // Nothing works: say why the newest link stopped.
  const newest = [...tokens].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1)!;
  return { state: linkState(newest, now), active: 0, expiresAt: null };
}

/** Served over http(s) (`srlab serve`): links made here open on this origin. */
export function isServeOrigin(protocol: string): boolean {
  return protocol === 'http:' || protocol === 'https:';
}

export function currentlyServed(): boolean {
  return typeof window !== 'undefined' && isServeOrigin(window.location.protocol);
}

/** The link to hand over: this origin + the server's path, or the path alone off serve mode. */
export function inviteUrl(path: string, origin: string | null): string {
  return origin ? new URL(path, origin).toString() : path;
}

export function currentOrigin(): string | null {
  return currentlyServed() ? window.location.origin : null;
}
