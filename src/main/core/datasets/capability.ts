// The datasets capability: CMD datasets (import, browse, edit, statistics, splits, export).
import type Database from 'better-sqlite3';
import { contracts } from '../../../shared/contracts/datasets';
import { defineCapability } from '../capability';
import { createDatasetService } from '.';
import { contentHash, type RecordRow } from './records';

export const capability = defineCapability({
  name: 'datasets',
  contracts,
  migrations: [
    {
      // Shipped in the global migration 1.
      id: 'records',
      sql: `
CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  file TEXT NOT NULL,
  format TEXT NOT NULL,
  imported INTEGER NOT NULL,
  duplicates INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  rejects_file TEXT,
  finished_at TEXT NOT NULL
);

-- One CMD record. Labels are stored in their canonical spelling, NULL when the source had none.
CREATE TABLE records (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  import_id INTEGER REFERENCES imports(id) ON DELETE SET NULL,
  source_id TEXT,
  source_line INTEGER,
  text TEXT NOT NULL,
  bias TEXT,
  toxicity TEXT,
  sentiment TEXT,
  harm TEXT,
  annotation_gold TEXT,
  annotation_derived TEXT,
  annotation_strict TEXT,
  disagrees INTEGER NOT NULL DEFAULT 0,
  target TEXT,
  biased_words TEXT NOT NULL DEFAULT '[]',
  benign TEXT,
  extra TEXT NOT NULL DEFAULT '{}',
  split TEXT CHECK (split IN ('train', 'dev', 'test')),
  content_hash TEXT NOT NULL,
  UNIQUE (dataset_id, content_hash)
);
CREATE INDEX records_dataset_split ON records (dataset_id, split);

-- Every manual change to a record: who, when, what it was before.
CREATE TABLE record_edits (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
  field TEXT NOT NULL,
  before TEXT,
  after TEXT,
  editor TEXT NOT NULL,
  note TEXT,
  at TEXT NOT NULL
);
CREATE INDEX record_edits_record ON record_edits (record_id);
`,
    },
    {
      // Shipped as the global migration 5.
      id: 'rehash-extra-columns',
      sql: '',
      run: rehashRecordsWithExtraColumns,
    },
  ],
  create({ db, paths, jobs, events, now, options }) {
    const datasets = createDatasetService({
      db,
      paths,
      jobs,
      events,
      now,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.offThreadMinRecords !== undefined ? { offThreadMinRecords: options.offThreadMinRecords } : {}),
    });
    return {
      service: datasets,
      handlers: {
        'datasets.list': () => datasets.list(),
        'datasets.import': (input) => ({ job: datasets.startImport(input).job }),
        'datasets.records': (input) => datasets.records(input),
        'datasets.record': (input) => datasets.record(input),
        'datasets.editRecord': (input) => datasets.editRecord(input),
        'datasets.targets': (input) => datasets.targets(input),
        'datasets.fields': (input) => datasets.fields(input),
        'datasets.stats': (input) => datasets.stats(input),
        'datasets.split': (input) => datasets.split(input),
        'datasets.exportDefaults': () => datasets.exportDefaults(),
        'datasets.export': (input) => datasets.export(input),
        'datasets.remove': (input) => datasets.remove(input),
      },
    };
  },
});

/** Record fields a manual edit can change, by the name record_edits.field uses. */
const EDITABLE = [
  'bias',
  'toxicity',
  'sentiment',
  'harm',
  'annotationGold',
  'targetDemographic',
  'biasedWords',
  'benignVariation',
] as const;

/**
 * The global migration 5: the content hash now covers a record's extra source columns (issue 9: two rows
 * that differ only there are both kept). A record without extra columns hashes as before; the
 * others get the new hash of the content they were imported with — manual edits are undone
 * for the hash through record_edits' earliest `before` per field, since an edit never changes
 * the hash — so re-importing the same file still finds them as duplicates. In pages by id, so
 * memory does not grow with the dataset.
 */
function rehashRecordsWithExtraColumns(db: Database.Database): void {
  const original = new Map<number, Map<string, unknown>>();
  const edits = db
    .prepare<[], { record_id: number; field: string; before: string | null }>(
      'SELECT record_id, field, before FROM record_edits ORDER BY id',
    )
    .all();
  for (const e of edits) {
    let fields = original.get(e.record_id);
    if (!fields) original.set(e.record_id, (fields = new Map()));
    if (!fields.has(e.field)) fields.set(e.field, e.before === null ? null : (JSON.parse(e.before) as unknown));
  }
  const page = db.prepare<[number], RecordRow>(
    "SELECT * FROM records WHERE id > ? AND extra <> '{}' ORDER BY id LIMIT 5000",
  );
  const update = db.prepare<[string, number]>('UPDATE records SET content_hash = ? WHERE id = ?');
  for (let after = 0; ;) {
    const rows = page.all(after);
    if (rows.length === 0) break;
    for (const r of rows) {
      const v: Record<(typeof EDITABLE)[number], unknown> = {
        bias: r.bias,
        toxicity: r.toxicity,
        sentiment: r.sentiment,
        harm: r.harm,
        annotationGold: r.annotation_gold,
        targetDemographic: r.target,
        biasedWords: JSON.parse(r.biased_words) as unknown,
        benignVariation: r.benign,
      };
      const before = original.get(r.id);
      if (before) for (const k of EDITABLE) if (before.has(k)) v[k] = before.get(k);
      const hash = contentHash({
        text: r.text,
        labels: {
          bias: v.bias as string | null,
          toxicity: v.toxicity as string | null,
          sentiment: v.sentiment as string | null,
          harm: v.harm as string | null,
        },
        annotationGold: v.annotationGold as string | null,
        targetDemographic: v.targetDemographic as string | null,
        biasedWords: v.biasedWords as string[],
        benignVariation: v.benignVariation as string | null,
        extraJson: r.extra,
      });
      update.run(hash, r.id);
    }
    after = rows.at(-1)!.id;
  }
}
