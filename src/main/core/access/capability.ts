// The access capability: serve mode's evaluator tokens (one per evaluator and scoring session,
// stored hashed, revocable) and who a caller is.
import { contracts } from '../../../shared/contracts/access';
import { defineCapability } from '../capability';
import { createAccessService, whoami } from '.';

export const capability = defineCapability({
  name: 'access',
  contracts,
  migrations: [
    {
      // Was the global migration 6 in development builds, before migrations moved into capabilities.
      id: 'evaluator-tokens',
      sql: `
-- Serve-mode tokens for blind evaluators (core/access): one per evaluator and scoring session.
-- Only the sha256 of the token is kept; a revoked token stays listed with the time it ended.
CREATE TABLE evaluator_tokens (
  id INTEGER PRIMARY KEY,
  evaluator TEXT NOT NULL,
  session TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
`,
    },
    {
      // Issue 13: invitation links expire.
      id: 'evaluator-token-expiry',
      sql: `ALTER TABLE evaluator_tokens ADD COLUMN expires_at TEXT;
CREATE INDEX evaluator_tokens_session ON evaluator_tokens (session, evaluator);`,
    },
  ],
  create({ db, now }) {
    const access = createAccessService({ db, now });
    return {
      service: access,
      handlers: {
        'access.createEvaluatorToken': (input) => access.create(input),
        'access.listEvaluatorTokens': (input) => ({ tokens: access.list(input.includeRevoked) }),
        'access.revokeEvaluatorToken': (input) => ({ token: access.revoke(input.id) }),
        'access.whoami': (_input, caller) => whoami(caller),
      },
    };
  },
});
