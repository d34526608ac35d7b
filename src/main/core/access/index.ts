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
}

export function hashToken(plain: string): string {
  return createHash('sha256').update(plain, 'utf8').digest('hex');
}

function toInfo(r: TokenRow): EvaluatorToken {
  return { id: r.id, evaluator: r.evaluator, session: r.session, createdAt: r.created_at, revokedAt: r.revoked_at };
}

export interface AccessService {
  create(input: { evaluator: string; session: string }): {
    token: string;
    id: number;
    path: string;
    info: EvaluatorToken;
  };
  list(includeRevoked: boolean): EvaluatorToken[];
  revoke(id: number): EvaluatorToken;
  /** The evaluator caller a presented token stands for, or null (unknown, revoked, not an evaluator token). */
  resolve(plain: string): Extract<Caller, { scope: 'evaluator' }> | null;
}

export function createAccessService(deps: { db: Db; now: () => Date }): AccessService {
  const { db, now } = deps;
  const byId = db.prepare<[number], TokenRow>('SELECT * FROM evaluator_tokens WHERE id = ?');
  const byHash = db.prepare<[string], TokenRow>(
    'SELECT * FROM evaluator_tokens WHERE token_hash = ? AND revoked_at IS NULL',
  );
  return {
    create({ evaluator, session }) {
      const token = EVALUATOR_TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const createdAt = now().toISOString();
      const { lastInsertRowid } = db
        .prepare('INSERT INTO evaluator_tokens (evaluator, session, token_hash, created_at) VALUES (?, ?, ?, ?)')
        .run(evaluator, session, hashToken(token), createdAt);
      const id = Number(lastInsertRowid);
      return { token, id, path: `/?token=${token}`, info: toInfo(byId.get(id)!) };
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
      if (row.revoked_at === null)
        db.prepare('UPDATE evaluator_tokens SET revoked_at = ? WHERE id = ?').run(now().toISOString(), id);
      return toInfo(byId.get(id)!);
    },
    resolve(plain) {
      // Looked up by hash: the comparison happens on a digest, so its timing says nothing useful
      // about the token; anything without the prefix is not ours and costs no query.
      if (!plain.startsWith(EVALUATOR_TOKEN_PREFIX) || plain.length > 200) return null;
      const row = byHash.get(hashToken(plain));
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
