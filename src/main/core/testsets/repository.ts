// The test-set tables: one row per test set, one per item (in source order, `idx`).
import { ApiError } from '../../../shared/contract';
import type { TestsetItem, TestsetKind, TestsetSummary } from '../../../shared/contracts/testsets';
import type { Db } from '../db';
import type { ParsedItem } from './importers';

export const MIGRATIONS = [
  {
    id: 'tables',
    sql: `
CREATE TABLE testsets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  source_file TEXT NOT NULL,
  options TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL
);

CREATE TABLE testset_items (
  id INTEGER PRIMARY KEY,
  testset_id INTEGER NOT NULL REFERENCES testsets(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  grp TEXT,
  subgroup TEXT,
  text TEXT NOT NULL,
  fields TEXT NOT NULL DEFAULT '{}',
  UNIQUE (testset_id, idx)
);
CREATE INDEX testset_items_group ON testset_items (testset_id, grp, idx);
`,
  },
] as const;

interface TestsetRow {
  id: number;
  name: string;
  kind: TestsetKind;
  source_file: string;
  options: string;
  created_at: string;
}

interface ItemRow {
  id: number;
  idx: number;
  grp: string | null;
  subgroup: string | null;
  text: string;
  fields: string;
}

/** Items per group; items without a group are counted under "(none)". */
export const NO_GROUP = '(none)';

export function createRepository(db: Db) {
  const byName = db.prepare<[string], TestsetRow>('SELECT * FROM testsets WHERE name = ?');
  const groupCounts = db.prepare<[number], { grp: string | null; n: number }>(
    'SELECT grp, COUNT(*) AS n FROM testset_items WHERE testset_id = ? GROUP BY grp ORDER BY grp',
  );
  const toItem = (r: ItemRow): TestsetItem => ({
    id: r.id,
    index: r.idx,
    group: r.grp,
    subgroup: r.subgroup,
    text: r.text,
    fields: JSON.parse(r.fields) as Record<string, unknown>,
  });

  function summary(row: TestsetRow): TestsetSummary {
    const groups: Record<string, number> = {};
    let items = 0;
    for (const g of groupCounts.all(row.id)) {
      groups[g.grp ?? NO_GROUP] = g.n;
      items += g.n;
    }
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      items,
      groups,
      sourceFile: row.source_file,
      options: JSON.parse(row.options) as Record<string, unknown>,
      createdAt: row.created_at,
    };
  }

  function find(name: string): TestsetRow {
    const row = byName.get(name.trim());
    if (!row) throw new ApiError('not-found', `no test set "${name}" (srlab testsets list shows them)`);
    return row;
  }

  return {
    get: (name: string): TestsetSummary => summary(find(name)),

    list: (): TestsetSummary[] => db.prepare<[], TestsetRow>('SELECT * FROM testsets ORDER BY name').all().map(summary),

    /** Store a whole test set in one transaction: all of it, or nothing. */
    insert(
      t: { name: string; kind: TestsetKind; sourceFile: string; options: object; createdAt: string },
      items: ParsedItem[],
    ): TestsetSummary {
      const insertSet = db.prepare<[string, string, string, string, string]>(
        'INSERT INTO testsets (name, kind, source_file, options, created_at) VALUES (?, ?, ?, ?, ?)',
      );
      const insertItem = db.prepare<[number | bigint, number, string | null, string | null, string, string]>(
        'INSERT INTO testset_items (testset_id, idx, grp, subgroup, text, fields) VALUES (?, ?, ?, ?, ?, ?)',
      );
      return db
        .transaction(() => {
          if (byName.get(t.name))
            throw new ApiError(
              'conflict',
              `a test set "${t.name}" exists already: remove it first (srlab testsets remove ${JSON.stringify(t.name)}) or choose another name`,
            );
          const id = insertSet.run(
            t.name,
            t.kind,
            t.sourceFile,
            JSON.stringify(t.options),
            t.createdAt,
          ).lastInsertRowid;
          items.forEach((it, i) => insertItem.run(id, i, it.group, it.subgroup, it.text, JSON.stringify(it.fields)));
          return summary(byName.get(t.name)!);
        })
        .immediate();
    },

    items(
      name: string,
      group: string | undefined,
      offset: number,
      limit: number,
    ): { total: number; items: TestsetItem[] } {
      const id = find(name).id;
      const where =
        group === undefined
          ? 'testset_id = ?'
          : group === NO_GROUP
            ? 'testset_id = ? AND grp IS NULL'
            : 'testset_id = ? AND grp = ?';
      const args: (number | string)[] = group === undefined || group === NO_GROUP ? [id] : [id, group];
      const total = db
        .prepare<(number | string)[], number>(`SELECT COUNT(*) FROM testset_items WHERE ${where}`)
        .pluck()
        .get(...args)!;
      const rows = db
        .prepare<(number | string)[], ItemRow>(
          `SELECT * FROM testset_items WHERE ${where} ORDER BY idx LIMIT ? OFFSET ?`,
        )
        .all(...args, limit, offset);
      return { total, items: rows.map(toItem) };
    },

    allItems: (name: string): TestsetItem[] =>
      db
        .prepare<[number], ItemRow>('SELECT * FROM testset_items WHERE testset_id = ? ORDER BY idx')
        .all(find(name).id)
        .map(toItem),

    remove(name: string): { removed: string; items: number } {
      const row = find(name);
      return db.transaction(() => {
        const items = db.prepare('DELETE FROM testset_items WHERE testset_id = ?').run(row.id).changes;
        db.prepare('DELETE FROM testsets WHERE id = ?').run(row.id);
        return { removed: row.name, items };
      })();
    },
  };
}
