import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/contract';
import type { ImportResult } from '../../../shared/contracts/datasets';
import type { ParsedInput, Output } from '../../../shared/api';
import type { Db } from '../db';
import { refuseWhileImporting, whenWritable } from '../db/busy';
import type { EventBus } from '../events';
import type { JobService, StartedJob } from '../jobs';
import type { HomePaths } from '../paths';
import { runImport } from './import';
import { EXPORT_DEFAULTS, exportDataset } from './export';
import { computeStats } from './stats';
import { assignSplits } from './split';
import { runOffThread } from './offthread';
import { listFields } from './fields';
import {
  datasetOfRecord,
  editRecord,
  findDataset,
  getRecord,
  listDatasets,
  listTargets,
  queryRecords,
  removeDataset,
} from './repository';
import { removeStaleUploads, removeUpload, resolveUpload } from './uploads';

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
  removeStaleUploads(paths);
  const countRecords = db.prepare<[number], number>('SELECT COUNT(*) FROM records WHERE dataset_id = ?').pluck();
  const countSplit = db
    .prepare<[number, string], number>('SELECT COUNT(*) FROM records WHERE dataset_id = ? AND split = ?')
    .pluck();
  const common = (dataset: { id: number; name: string }) => ({
    dbFile: paths.db,
    ...(deps.nativeBinding ? { nativeBinding: deps.nativeBinding } : {}),
    dataset: { id: dataset.id, name: dataset.name },
  });

  /**
   * Run worker-thread work as a job: listed, with progress in records, cancellable (the abort
   * terminates the worker). Resolves with the full result; the job stores only `summary` of it.
   */
  async function runAsJob<R>(spec: {
    kind: 'dataset-stats' | 'split';
    title: string;
    params: unknown;
    queue?: string;
    /** The records the work goes through, shown from the start (even while queued). */
    total: number;
    work: (signal: AbortSignal, onProgress: (done: number, total: number) => void) => Promise<R>;
    summary: (result: R) => unknown;
  }): Promise<R> {
    let full: R | undefined;
    // The job's row is a write: wait for the lock without stalling an import of this process.
    const started = await whenWritable(db, () =>
      jobs.start({
        kind: spec.kind,
        title: spec.title,
        params: spec.params,
        unit: 'records',
        total: spec.total,
        ...(spec.queue ? { queue: spec.queue } : {}),
        run: async (ctx) => {
          full = await spec.work(ctx.signal, (done, total) => ctx.progress(done, total));
          return spec.summary(full);
        },
      }),
    );
    await started.done;
    return full!;
  }

  function startImport(input: ParsedInput<'datasets.import'>): StartedJob<ImportResult> {
    const { file, displayName } =
      input.source.kind === 'path'
        ? { file: path.resolve(input.source.path), displayName: input.source.path }
        : resolveUpload(paths, input.source.uploadId);
    if (!fs.existsSync(file)) throw new ApiError('invalid-input', `${displayName}: no such file`);
    // An uploaded copy is removed when the import ends, however it ends (also when cancelled
    // while still queued, when `run` never starts).
    const uploadId = input.source.kind === 'upload' ? input.source.uploadId : null;
    const cleanUp = () => uploadId !== null && removeUpload(paths, uploadId);
    const started = jobs.start({
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
        }).finally(cleanUp);
        changed(input.dataset);
        return result;
      },
    });
    started.done.then(cleanUp, cleanUp);
    return started;
  }

  return {
    startImport,

    list: (): Output<'datasets.list'> => ({ datasets: listDatasets(db) }),

    records(input: ParsedInput<'datasets.records'>): Output<'datasets.records'> {
      const ref = findDataset(db, input.dataset);
      return queryRecords(db, ref.id, input.filter, input.offset, input.limit);
    },

    record: (input: ParsedInput<'datasets.record'>): Output<'datasets.record'> => getRecord(db, input.id),

    async editRecord(input: ParsedInput<'datasets.editRecord'>): Promise<Output<'datasets.editRecord'>> {
      refuseWhileImporting(db, datasetOfRecord(db, input.id));
      const at = deps.now().toISOString();
      const out = await whenWritable(db, () =>
        editRecord(db, input.id, input.changes, input.editor, input.note ?? null, at),
      );
      changed(null);
      return out;
    },

    targets: (input: ParsedInput<'datasets.targets'>): Output<'datasets.targets'> => ({
      targets: listTargets(db, findDataset(db, input.dataset).id),
    }),

    /** The fields to filter, chart and stratify by; a large dataset's are read on a worker thread. */
    async fields(input: ParsedInput<'datasets.fields'>): Promise<Output<'datasets.fields'>> {
      const ref = findDataset(db, input.dataset);
      if (countRecords.get(ref.id)! < offThreadMin) return listFields(db, ref.id);
      return runOffThread({ op: 'fields', ...common(ref) });
    },

    async stats(input: ParsedInput<'datasets.stats'>): Promise<Output<'datasets.stats'>> {
      const ref = findDataset(db, input.dataset);
      const split = input.split ?? null;
      const records = countRecords.get(ref.id)!;
      if (records < offThreadMin) return computeStats(db, ref, split);
      return runAsJob({
        kind: 'dataset-stats',
        title: `Statistics of ${ref.name}${split ? ` (${split})` : ''}`,
        params: { dataset: ref.name, split },
        total: split ? countSplit.get(ref.id, split)! : records,
        work: (signal, onProgress) => runOffThread({ op: 'stats', ...common(ref), split }, signal, onProgress),
        summary: (out) => ({ records: out.records }),
      });
    },

    async split(input: ParsedInput<'datasets.split'>): Promise<Output<'datasets.split'>> {
      const ref = findDataset(db, input.dataset);
      refuseWhileImporting(db, ref.name);
      const records = countRecords.get(ref.id)!;
      const stratifyBy = input.stratifyBy;
      const out =
        records < offThreadMin
          ? await whenWritable(db, () => assignSplits(db, ref, input.seed, input.ratios, { stratifyBy }))
          : await runAsJob({
              kind: 'split',
              title: `Split ${ref.name} (seed ${input.seed})`,
              params: { dataset: ref.name, seed: input.seed, ratios: input.ratios, stratifyBy: stratifyBy ?? null },
              // A writer: it waits behind imports (and they behind it) instead of fighting for the lock.
              queue: WRITE_QUEUE,
              total: records,
              work: (signal, onProgress) =>
                runOffThread(
                  {
                    op: 'split',
                    ...common(ref),
                    seed: input.seed,
                    ratios: input.ratios,
                    ...(stratifyBy ? { stratifyBy } : {}),
                  },
                  signal,
                  onProgress,
                ),
              summary: (r) => ({ counts: r.counts, stratifiedBy: r.stratifiedBy.key }),
            });
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
        ...(input.rawCsv !== undefined ? { rawCsv: input.rawCsv } : {}),
      });
    },

    async remove(input: ParsedInput<'datasets.remove'>): Promise<Output<'datasets.remove'>> {
      const ref = findDataset(db, input.dataset);
      refuseWhileImporting(db, ref.name);
      const records = await whenWritable(db, () => removeDataset(db, ref));
      changed(ref.name);
      return { removed: ref.name, records };
    },
  };
}

export type DatasetService = ReturnType<typeof createDatasetService>;
