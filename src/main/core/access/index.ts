// Evaluator tokens (serve mode): the lab creates one per evaluator and scoring session. Only the
// sha256 of the random token is stored, so the database (a backup, a copied data home) does not
// hold a working credential; the plain token is returned once, at creation. A revoked token stays
// listed (who had access, until when) and never resolves again.
import { createHash, randomBytes } from 'node:crypto';
import { ApiError, type Caller } from '../../../shared/contract';
import type { EvaluatorToken } from '../../../shared/contracts/access';
import type { Db } from '../db';

/** Plain evaluator tokens start with this, so a person (or a log scrubber) can tell them apart. */
export const EVALUATOR_TOKEN_PREFIX = 'srev_';

interface TokenRow {
  id: number;
  evaluator: string;
  session: string;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
  expires_at: string | null;
}

export function hashToken(plain: string): string {
  return createHash('sha256').update(plain, 'utf8').digest('hex');
}

function toInfo(r: TokenRow): EvaluatorToken {
  return {
    id: r.id,
    evaluator: r.evaluator,
    session: r.session,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    expiresAt: r.expires_at,
  };
}

/** The link an evaluator opens on the serve origin: the evaluator page, signed in by its token. */
export function invitePath(token: string): string {
  return `/evaluate?invite=${token}`;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export interface AccessService {
  create(input: { evaluator: string; session: string; expiresInDays?: number | undefined }): {
    token: string;
    id: number;
    path: string;
    info: EvaluatorToken;
  };
  list(includeRevoked: boolean): EvaluatorToken[];
  revoke(id: number): EvaluatorToken;
  /** Every token of one session (one evaluator's, when given), revoked and expired ones too. */
  forSession(session: string, evaluator?: string): EvaluatorToken[];
  /** Revokes every active token of one evaluator in one session; returns them as revoked. */
  revokeFor(session: string, evaluator: string): EvaluatorToken[];
  /** The evaluator caller a presented token stands for, or null (unknown, revoked, not an evaluator token). */
  resolve(plain: string): Extract<Caller, { scope: 'evaluator' }> | null;
}

export function createAccessService(deps: { db: Db; now: () => Date }): AccessService {
  const { db, now } = deps;
  const byId = db.prepare<[number], TokenRow>('SELECT * FROM evaluator_tokens WHERE id = ?');
  const byHash = db.prepare<[string], TokenRow>(
    'SELECT * FROM evaluator_tokens WHERE token_hash = ? AND revoked_at IS NULL',
  );
  const revokeOne = db.prepare('UPDATE evaluator_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  return {
    create({ evaluator, session, expiresInDays }) {
      const token = EVALUATOR_TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const created = now();
      const expiresAt = expiresInDays ? new Date(created.getTime() + expiresInDays * DAY_MS).toISOString() : null;
      const { lastInsertRowid } = db
        .prepare(
          'INSERT INTO evaluator_tokens (evaluator, session, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(evaluator, session, hashToken(token), created.toISOString(), expiresAt);
      const id = Number(lastInsertRowid);
      return { token, id, path: invitePath(token), info: toInfo(byId.get(id)!) };
    },
    list(includeRevoked) {
      const rows = db
        .prepare<[], TokenRow>(
          `SELECT * FROM evaluator_tokens ${includeRevoked ? '' : 'WHERE revoked_at IS NULL'} ORDER BY id`,
        )
        .all();
      return rows.map(toInfo);
    },
    revoke(id) {
      const row = byId.get(id);
      if (!row) throw new ApiError('not-found', `no evaluator token ${id}`);
      // Revoking twice keeps the first time: that is when access ended.
      revokeOne.run(now().toISOString(), id);
      return toInfo(byId.get(id)!);
    },
    forSession(session, evaluator) {
      const rows = db
        .prepare<[string], TokenRow>('SELECT * FROM evaluator_tokens WHERE session = ? ORDER BY id')
        .all(session);
      return rows.filter((r) => evaluator === undefined || r.evaluator === evaluator).map(toInfo);
    },
    revokeFor(session, evaluator) {
      const at = now().toISOString();
      const active = db
        .prepare<[string, string], TokenRow>(
          'SELECT * FROM evaluator_tokens WHERE session = ? AND evaluator = ? AND revoked_at IS NULL ORDER BY id',
        )
        .all(session, evaluator);
      for (const r of active) revokeOne.run(at, r.id);
      return active.map((r) => toInfo(byId.get(r.id)!));
    },
    resolve(plain) {
      // Looked up by hash: the comparison happens on a digest, so its timing says nothing useful
      // about the token; anything without the prefix is not ours and costs no query.
      if (!plain.startsWith(EVALUATOR_TOKEN_PREFIX) || plain.length > 200) return null;
      const row = byHash.get(hashToken(plain));
      // An expired link is as dead as a revoked one (ISO times in UTC compare as strings).
      if (row?.expires_at && row.expires_at <= now().toISOString()) return null;
      return row ? { scope: 'evaluator', tokenId: row.id, evaluator: row.evaluator, session: row.session } : null;
    },
  };
}

/** access.whoami: what the caller's credential stands for (an evaluator sees only its own). */
export function whoami(caller: Caller): { scope: Caller['scope']; evaluator?: string; session?: string } {
  return caller.scope === 'evaluator'
    ? { scope: 'evaluator', evaluator: caller.evaluator, session: caller.session }
    : { scope: caller.scope };
}
