// Migrations belong to capabilities and run in registry order, tracked by id in
// schema_migrations. A data home of the old global numbering (PRAGMA user_version 1..5, built
// here from the shipped SQL) is adopted: nothing re-runs, its tables and rows stay, and it ends
// with the same schema as a fresh data home.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  latestSchemaVersion,
  migrate,
  NEW_DATABASE_PAGE_SIZE,
  openDb,
  registeredMigrations,
  schemaVersion,
} from '../../../src/main/core/db';
import { SHIPPED_VERSIONS, type OwnedMigrations } from '../../../src/main/core/db/migrations';
import { capability as access } from '../../../src/main/core/access/capability';
import { tempDir } from '../../helpers';
import { buildLegacyDb, LEGACY_MIGRATIONS } from './migrations-legacy';

/** The registered migrations, each recording in `ran` that it ran. */
function spied(ran: string[]): OwnedMigrations[] {
  return registeredMigrations().map((o) => ({
    capability: o.capability,
    migrations: o.migrations.map((m) => ({
      ...m,
      run: (db: Database.Database) => {
        ran.push(`${o.capability}/${m.id}`);
        m.run?.(db);
      },
    })),
  }));
}

/** Every table, index and trigger with its SQL, for comparing two databases' schemas. */
function schema(db: Database.Database) {
  return db
    .prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
    .all();
}

function freshSchema() {
  const db = openDb(path.join(tempDir(), 'fresh.sqlite'));
  try {
    return schema(db);
  } finally {
    db.close();
  }
}

const allIds = () => registeredMigrations().flatMap((o) => o.migrations.map((m) => `${o.capability}/${m.id}`));

describe('per-capability migrations', () => {
  it('cover exactly what the shipped versions did, each owned by one capability', () => {
    const ids = allIds();
    expect(new Set(ids).size).toBe(ids.length);
    // Every id a shipped version maps to exists (a renamed migration would re-run on old homes).
    for (const id of SHIPPED_VERSIONS.flat()) expect(ids).toContain(id);
    expect(SHIPPED_VERSIONS.length).toBeGreaterThanOrEqual(LEGACY_MIGRATIONS.length);
  });

  it('build a fresh database in registry order and record each once', () => {
    const ran: string[] = [];
    const db = new Database(path.join(tempDir(), 'new.sqlite'));
    migrate(db, spied(ran));
    expect(ran).toEqual(allIds());
    expect(schemaVersion(db)).toBe(latestSchemaVersion());
    migrate(db, spied(ran)); // a second open runs nothing
    expect(ran).toEqual(allIds());
    db.close();
  });

  it.each([1, 2, 3, 4, 5])('adopt a version-%i database of the old scheme without re-running anything', (version) => {
    const file = path.join(tempDir(), `v${version}.sqlite`);
    const old = buildLegacyDb(file, version);
    old.prepare("INSERT INTO datasets (name, created_at) VALUES ('kept', 'then')").run();
    old
      .prepare(
        "INSERT INTO jobs (kind, title, state, params, progress, created_at) VALUES ('import', 'old job', 'succeeded', 'null', '{}', 'then')",
      )
      .run();
    old.close();

    const ran: string[] = [];
    const db = new Database(file);
    migrate(db, spied(ran));
    const adopted = SHIPPED_VERSIONS.slice(0, version).flat();
    // Only what the old version had not applied ran — and all of it did.
    expect(ran).toEqual(allIds().filter((id) => !adopted.includes(id)));
    const recorded = db.prepare<[], string>('SELECT id FROM schema_migrations ORDER BY id').pluck().all();
    expect(recorded.sort()).toEqual(allIds().sort());
    expect(db.prepare('SELECT name FROM datasets').all()).toEqual([{ name: 'kept' }]);
    expect(db.prepare('SELECT title FROM jobs').all()).toEqual([{ title: 'old job' }]);
    expect(schemaVersion(db)).toBe(latestSchemaVersion());
    // The same schema as a fresh data home: the SQL moved into the capabilities unchanged.
    expect(schema(db)).toEqual(freshSchema());
    db.close();
  });

  it('adopt a development database that had the evaluator tokens as version 6', () => {
    const file = path.join(tempDir(), 'v6.sqlite');
    const old = buildLegacyDb(file, 5);
    old.exec(access.migrations[0]!.sql);
    old.pragma('user_version = 6');
    old.close();
    const ran: string[] = [];
    const db = new Database(file);
    migrate(db, spied(ran));
    // Only the migrations of capabilities added since (evaluation's, …) ran: none of version 6's.
    expect(ran).toEqual(allIds().filter((id) => !SHIPPED_VERSIONS.flat().includes(id)));
    expect(ran).not.toContain(`access/${access.migrations[0]!.id}`);
    expect(schema(db)).toEqual(freshSchema());
    db.close();
  });

  it('without the adoption, an old database would re-run its migrations and fail (the negative control)', () => {
    const file = path.join(tempDir(), 'v5.sqlite');
    const old = buildLegacyDb(file, 5);
    // A tracking table that forgot what version 5 applied: the shipped tables are created again.
    old.exec('CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    old.close();
    const db = new Database(file);
    expect(() => migrate(db)).toThrow(/already exists/);
    db.close();
  });

  it('apply a capability migration added later once, and refuse a database a newer srlab migrated', () => {
    const file = path.join(tempDir(), 'later.sqlite');
    openDb(file).close();
    const added: OwnedMigrations[] = [
      ...registeredMigrations(),
      { capability: 'later', migrations: [{ id: 'things', sql: 'CREATE TABLE later_things (x TEXT)' }] },
    ];
    const db = openDb(file, { migrations: added });
    expect(schemaVersion(db)).toBe(latestSchemaVersion() + 1);
    db.prepare("INSERT INTO later_things VALUES ('kept')").run();
    db.close();
    const again = openDb(file, { migrations: added });
    expect(again.prepare('SELECT x FROM later_things').all()).toEqual([{ x: 'kept' }]);
    again.close();
    // This srlab without the "later" capability: the database has a migration it does not know.
    expect(() => openDb(file)).toThrow(/later\/things.*newer srlab/);
  });

  it('refuse an old-scheme database whose version is beyond the shipped ones', () => {
    const file = path.join(tempDir(), 'future.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SHIPPED_VERSIONS.length + 1}`);
    raw.close();
    expect(() => openDb(file)).toThrow(/newer than this srlab/);
  });
});

describe('page size', () => {
  it('a database srlab creates has 16 KiB pages; an existing one keeps its own', () => {
    const fresh = openDb(path.join(tempDir(), 'fresh.sqlite'));
    expect(fresh.pragma('page_size', { simple: true })).toBe(NEW_DATABASE_PAGE_SIZE);
    expect(fresh.pragma('journal_mode', { simple: true })).toBe('wal');
    fresh.close();

    // An older home, made with SQLite's default 4 KiB pages in WAL: opening it changes nothing
    // (SQLite cannot change a WAL database's page size; srlab must not pretend it did).
    const file = path.join(tempDir(), 'old.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE t (x)');
    expect(old.pragma('page_size', { simple: true })).toBe(4096);
    old.close();
    const reopened = openDb(file);
    expect(reopened.pragma('page_size', { simple: true })).toBe(4096);
    reopened.close();
  });
});
