import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/contract';
import type { ImportResult } from '../../../shared/contracts/datasets';
import type { ParsedInput, Output } from '../../../shared/api';
import type { Db } from '../db';
import type { EventBus } from '../events';
import type { JobService, StartedJob } from '../jobs';
import type { HomePaths } from '../paths';
import { runImport } from './import';
import { EXPORT_DEFAULTS, exportDataset } from './export';
import { computeStats } from './stats';
import { assignSplits } from './split';
import { runOffThread } from './offthread';
import {
  editRecord,
  findDataset,
  getRecord,
  listDatasets,
  listTargets,
  queryRecords,
  removeDataset,
} from './repository';
import { resolveUpload } from './uploads';

export interface DatasetServiceDeps {
  db: Db;
  paths: HomePaths;
  jobs: JobService;
  events: EventBus;
  nativeBinding?: string;
  now: () => Date;
  /**
   * Datasets with at least this many records get statistics and splits on a worker thread
   * (default 20 000); smaller ones are done at once on this thread, which costs less than
   * starting a worker.
   */
  offThreadMinRecords?: number;
}

/** About 0.2 s of statistics on this thread; above it, a worker thread keeps the loop free. */
const OFF_THREAD_MIN_RECORDS = 20_000;

/** Every database writer shares one queue, so imports never contend for SQLite's write lock. */
const WRITE_QUEUE = 'db-write';

export function createDatasetService(deps: DatasetServiceDeps) {
  const { db, paths, jobs, events } = deps;
  const changed = (dataset: string | null) => events.emit({ type: 'datasets-changed', dataset });
  const offThreadMin = deps.offThreadMinRecords ?? OFF_THREAD_MIN_RECORDS;
  const countRecords = db.prepare<[number], number>('SELECT COUNT(*) FROM records WHERE dataset_id = ?').pluck();
  const common = (dataset: { id: number; name: string }) => ({
    dbFile: paths.db,
    ...(deps.nativeBinding ? { nativeBinding: deps.nativeBinding } : {}),
    dataset: { id: dataset.id, name: dataset.name },
  });

  function startImport(input: ParsedInput<'datasets.import'>): StartedJob<ImportResult> {
    const { file, displayName } =
      input.source.kind === 'path'
        ? { file: path.resolve(input.source.path), displayName: input.source.path }
        : resolveUpload(paths, input.source.uploadId);
    if (!fs.existsSync(file)) throw new ApiError('invalid-input', `${displayName}: no such file`);
    return jobs.start({
      kind: 'import',
      title: `Import ${path.basename(displayName)} into ${input.dataset}`,
      params: { ...input, file },
      unit: 'bytes',
      queue: WRITE_QUEUE,
      run: async (ctx) => {
        const result = await runImport({
          dbFile: paths.db,
          ...(deps.nativeBinding ? { nativeBinding: deps.nativeBinding } : {}),
          rejectsDir: paths.rejects,
          file,
          displayName,
          dataset: input.dataset,
          format: input.format,
          strict: input.strict,
          ...(input.mapping ? { mapping: input.mapping } : {}),
          signal: ctx.signal,
          onProgress: (done, total) => ctx.progress(done, total),
        });
        changed(input.dataset);
        return result;
      },
    });
  }

  return {
    startImport,

    list: (): Output<'datasets.list'> => ({ datasets: listDatasets(db) }),

    records(input: ParsedInput<'datasets.records'>): Output<'datasets.records'> {
      const ref = findDataset(db, input.dataset);
      return queryRecords(db, ref.id, input.filter, input.offset, input.limit);
    },

    record: (input: ParsedInput<'datasets.record'>): Output<'datasets.record'> => getRecord(db, input.id),

    editRecord(input: ParsedInput<'datasets.editRecord'>): Output<'datasets.editRecord'> {
      const out = editRecord(db, input.id, input.changes, input.editor, input.note ?? null, deps.now().toISOString());
      changed(null);
      return out;
    },

    targets: (input: ParsedInput<'datasets.targets'>): Output<'datasets.targets'> => ({
      targets: listTargets(db, findDataset(db, input.dataset).id),
    }),

    async stats(input: ParsedInput<'datasets.stats'>): Promise<Output<'datasets.stats'>> {
      const ref = findDataset(db, input.dataset);
      const split = input.split ?? null;
      if (countRecords.get(ref.id)! < offThreadMin) return computeStats(db, ref, split);
      return runOffThread({ op: 'stats', ...common(ref), split });
    },

    async split(input: ParsedInput<'datasets.split'>): Promise<Output<'datasets.split'>> {
      const ref = findDataset(db, input.dataset);
      const out =
        countRecords.get(ref.id)! < offThreadMin
          ? assignSplits(db, ref, input.seed, input.ratios)
          : await runOffThread({ op: 'split', ...common(ref), seed: input.seed, ratios: input.ratios });
      changed(input.dataset);
      return out;
    },

    exportDefaults: (): Output<'datasets.exportDefaults'> => ({ ...EXPORT_DEFAULTS }),

    export(input: ParsedInput<'datasets.export'>): Output<'datasets.export'> {
      const ref = findDataset(db, input.dataset);
      const split = input.split;
      const ext = input.format === 'csv' ? 'csv' : input.format === 'alpaca' ? 'json' : 'jsonl';
      const stamp = deps.now().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
      const out = input.out
        ? path.resolve(input.out)
        : path.join(paths.exports, `${ref.name.replace(/[^\w.-]+/g, '_')}-${split}-${input.format}-${stamp}.${ext}`);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      return exportDataset(db, ref, {
        split,
        format: input.format,
        out,
        ...(input.systemPrompt !== undefined ? { systemPrompt: input.systemPrompt } : {}),
        ...(input.instruction !== undefined ? { instruction: input.instruction } : {}),
        ...(input.requireBenign !== undefined ? { requireBenign: input.requireBenign } : {}),
      });
    },

    remove(input: ParsedInput<'datasets.remove'>): Output<'datasets.remove'> {
      const ref = findDataset(db, input.dataset);
      const records = removeDataset(db, ref);
      changed(ref.name);
      return { removed: ref.name, records };
    },
  };
}

export type DatasetService = ReturnType<typeof createDatasetService>;
