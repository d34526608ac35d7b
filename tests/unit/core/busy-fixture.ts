// Shared by the busy tests: a second connection that holds SQLite's write lock, a probe for
// whether someone holds it, and small datasets to write to.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Core } from '../../../src/main/core';
import { writeRecords } from '../../large-dataset';

/**
 * Hold the write lock from another connection, as another process's import does: BEGIN
 * IMMEDIATE and never commit, until `release`.
 */
export function holdWriteLock(dbFile: string): { release: () => void } {
  const holder = new Database(dbFile);
  holder.pragma('busy_timeout = 5000');
  holder.exec('BEGIN IMMEDIATE');
  return {
    release() {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
    },
  };
}

/** Whether another connection holds the write lock now (probes with BEGIN IMMEDIATE, no wait). */
export function writeLockHeld(dbFile: string): boolean {
  const probe = new Database(dbFile);
  try {
    probe.pragma('busy_timeout = 0');
    probe.exec('BEGIN IMMEDIATE');
    probe.exec('ROLLBACK');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
    throw err;
  } finally {
    probe.close();
  }
}

/** Resolve once `held()` is true (polling, the event loop free meanwhile). */
export async function until(held: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!held()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Import `n` small distinct records into each of `datasets` (the real import, to completion). */
export async function importSmall(core: Core, dir: string, datasets: string[], n = 40): Promise<void> {
  for (const name of datasets) {
    const file = path.join(dir, `${name}.jsonl`);
    if (!fs.existsSync(file)) writeRecords(file, n, `${name}-`);
    await core.datasets.startImport({
      dataset: name,
      source: { kind: 'path', path: file },
      format: 'cmd-nested',
      strict: true,
    }).done;
  }
}

export function firstRecordId(core: Core, dataset: string): number {
  return core.db
    .prepare<[string], number>(
      'SELECT r.id FROM records r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = ? ORDER BY r.id LIMIT 1',
    )
    .pluck()
    .get(dataset)!;
}

let edits = 0;
/** A real change to a record of `dataset` (a new target each time). */
export function editInput(core: Core, dataset: string) {
  return { id: firstRecordId(core, dataset), changes: { targetDemographic: `group ${++edits}` }, editor: 'busy test' };
}

/** The message every `busy` answer carries. */
export const BUSY_MESSAGE = /^another job is writing to the database.*; try again when it ends$/;
