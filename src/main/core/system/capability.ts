// The system capability: what srlab and its data home are (system.info), and the app-wide
// settings table (e.g. that the demo dataset was offered once).
import { contracts } from '../../../shared/contracts/system';
import { defineCapability } from '../capability';
import { schemaVersion } from '../db';
import { packageVersion } from '../resources';

export const capability = defineCapability({
  name: 'system',
  contracts,
  migrations: [
    {
      // Shipped in the global migration 1.
      id: 'settings',
      sql: `
-- Small app-wide facts, e.g. that the demo dataset was offered once (so a deleted demo stays deleted).
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
    },
  ],
  create: ({ db, paths }) => ({
    service: null,
    handlers: {
      'system.info': () => ({
        version: packageVersion(),
        home: paths.home,
        dbPath: paths.db,
        schemaVersion: schemaVersion(db),
      }),
    },
  }),
});
