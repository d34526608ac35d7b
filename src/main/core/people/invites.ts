// Invitation links of sessions and rounds, through the access service: one per person and
// session string (humanEvalSessionName / roundSessionName), answered in the contracts' Invite
// shape, and all of a session's revoked when it is removed. Callers run these inside their write.
import type { Invite } from '../../../shared/contracts/humaneval';
import type { AccessService } from '../access';

export function newInvite(access: AccessService, session: string, evaluator: string, expiresInDays?: number): Invite {
  const t = access.create({ evaluator, session, expiresInDays });
  return { evaluator, token: t.token, path: t.path, info: t.info };
}

/** Revoke every active link of `people` in `session` (a removed session's links stop working). */
export function revokeAll(access: AccessService, session: string, people: readonly string[]): void {
  for (const p of people) access.revokeFor(session, p);
}
