// Who a serve-mode request is: the lab (the token `srlab serve` printed) or one evaluator (a token
// the lab created for one scoring session, looked up by its hash; a revoked one is unknown).
import { timingSafeEqual } from 'node:crypto';
import type { Caller } from '../../shared/contract';
import type { Core } from '../core';

/**
 * The session cookie's name, one per port: browsers do not scope cookies by port, so two srlab
 * servers on one machine (or a page served from another port) must not share or overwrite it.
 * Without a known port (an app used in-process by tests) it is the bare name.
 */
export function tokenCookieName(port: number | null): string {
  return port === null ? 'srlab_token' : `srlab_token_${port}`;
}

export function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The caller a presented token stands for, or null when it is none of this server's tokens. */
export function callerForToken(core: Core, labToken: string, presented: string | undefined): Caller | null {
  if (!presented) return null;
  if (sameToken(presented, labToken)) return { scope: 'lab' };
  return core.access.resolve(presented);
}

export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
}
