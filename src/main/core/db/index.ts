import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { busyError, isBusyError, syncBusyTimeoutMs } from './busy';
import { capabilities } from '../capabilities';
import { SHIPPED_VERSIONS, type OwnedMigrations } from './migrations';

export type Db = Database.Database;

/** The page size of a database srlab creates (see openDb). */
export const NEW_DATABASE_PAGE_SIZE = 16384;

/**
 * Opens (and, unless read-only, migrates) the database. `migrations` defaults to every registered
 * capability's (core/capabilities.ts): the core passes its own registry's.
 *
 * better-sqlite3's compiled addon is ABI-specific. Node (tests, CLI, serve) uses the one npm
 * built in node_modules; the desktop app passes the Electron build (made by
 * `npm run build:electron-sqlite`) through `nativeBinding`, so neither overwrites the other.
 */
export function openDb(
  file: string,
  opts: { nativeBinding?: string; readonly?: boolean; migrations?: readonly OwnedMigrations[] } = {},
): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, {
    readonly: opts.readonly ?? false,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  });
  // Takes effect only when this call creates the file (SQLite fixes a WAL database's page size
  // once it exists): new data homes get 16 KiB pages. A CMD record (text, benign variation,
  // labels, extra columns) is ~800 bytes, so a 4 KiB page holds ~4 of them and a bulk import
  // spends much of its time on page overhead, splits and WAL frames; with 16 KiB pages a
  // 300,000-row import writes ~20% less and is ~25% faster (bench/import.js). Existing homes
  // keep the page size they were created with.
  if (!opts.readonly) db.pragma(`page_size = ${NEW_DATABASE_PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // How long a synchronous write waits for another connection's lock (busy.ts says why it is short).
  db.pragma(`busy_timeout = ${syncBusyTimeoutMs()}`);
  if (!opts.readonly) migrate(db, opts.migrations);
  return db;
}

/** How many schema migrations this database has had (PRAGMA user_version; system.info shows it). */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Every registered capability's migrations, in registry order. */
export function registeredMigrations(): OwnedMigrations[] {
  return capabilities().map((c) => ({ capability: c.name, migrations: c.migrations }));
}

/** The schema version a database has once these migrations ran: how many there are. */
export function latestSchemaVersion(owned: readonly OwnedMigrations[] = registeredMigrations()): number {
  return owned.reduce((n, o) => n + o.migrations.length, 0);
}

const TRACKING_TABLE = 'schema_migrations';

/**
 * Apply the migrations this database has not had, in order, each in its own transaction that
 * records it in schema_migrations as `<capability>/<id>`. A database from before migrations
 * moved into capabilities (user_version 1..6, no schema_migrations) is adopted first: what its
 * version had applied is recorded as applied (SHIPPED_VERSIONS), so nothing re-runs.
 * `user_version` then counts the applied migrations: a srlab from before capabilities (which
 * knows versions up to 5) refuses such a database as newer, as it always did.
 */
export function migrate(db: Db, owned: readonly OwnedMigrations[] = registeredMigrations()): void {
  const all = owned.flatMap((o) => o.migrations.map((m) => ({ key: `${o.capability}/${m.id}`, m })));
  const known = new Set<string>();
  for (const { key } of all) {
    if (known.has(key)) throw new Error(`schema migration ${key} is declared twice`);
    known.add(key);
  }
  // Reads first, without the write lock: an up-to-date database (the usual case) takes no lock,
  // so opening one while another process imports does not wait for the import.
  if (!hasTrackingTable(db)) immediate(db, () => adoptShipped(db));
  const unknown = [...applied(db)].filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new Error(
      `the database has schema migrations this srlab does not know (${unknown.join(', ')}): a newer srlab made them; update srlab`,
    );
  }
  const pending = all.filter(({ key }) => !applied(db).has(key));
  for (const { key, m } of pending) {
    immediate(db, () => {
      const done = applied(db);
      if (done.has(key)) return; // another process applied it while we waited for the lock
      if (m.sql.trim() !== '') db.exec(m.sql);
      m.run?.(db);
      db.prepare(`INSERT INTO ${TRACKING_TABLE} (id, applied_at) VALUES (?, ?)`).run(key, new Date().toISOString());
      db.pragma(`user_version = ${done.size + 1}`);
    });
  }
}

/** IMMEDIATE: two processes opening an old database at once must not both migrate it. */
function immediate(db: Db, work: () => void): void {
  try {
    db.transaction(work).immediate();
  } catch (err) {
    throw isBusyError(err) ? busyError(db) : err;
  }
}

function hasTrackingTable(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(TRACKING_TABLE) !== undefined;
}

function applied(db: Db): Set<string> {
  return new Set(db.prepare<[], string>(`SELECT id FROM ${TRACKING_TABLE}`).pluck().all());
}

function adoptShipped(db: Db): void {
  if (hasTrackingTable(db)) return; // another process did it while we waited for the lock
  const version = schemaVersion(db);
  if (version > SHIPPED_VERSIONS.length) {
    throw new Error(
      `database schema version ${version} is newer than this srlab (${SHIPPED_VERSIONS.length}); update srlab`,
    );
  }
  db.exec(`CREATE TABLE ${TRACKING_TABLE} (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`);
  const adopted = SHIPPED_VERSIONS.slice(0, version).flat();
  const insert = db.prepare(`INSERT INTO ${TRACKING_TABLE} (id, applied_at) VALUES (?, ?)`);
  for (const key of adopted) insert.run(key, `user_version ${version}`);
  db.pragma(`user_version = ${adopted.length}`);
}
