import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/**
 * better-sqlite3's compiled addon is ABI-specific. Node (tests, CLI, serve) uses the one npm
 * built in node_modules; the desktop app passes the Electron build (made by
 * `npm run build:electron-sqlite`) through `nativeBinding`, so neither overwrites the other.
 */
export function openDb(file: string, opts: { nativeBinding?: string; readonly?: boolean } = {}): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, {
    readonly: opts.readonly ?? false,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  if (!opts.readonly) migrate(db);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db): void {
  const current = schemaVersion(db);
  const newest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(`database schema version ${current} is newer than this srlab (${newest}); update srlab`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      if (m.sql.trim() !== '') db.exec(m.sql);
      m.run?.(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
