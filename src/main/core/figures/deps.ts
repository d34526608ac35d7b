// What a figure kind's data module (src/main/core/figures/data/<kind>.ts) may read to build its
// data from an evaluation or a dataset: the evaluation service (tables, items), the dataset
// service (stats, records) and the database for read-only queries of its own (e.g. the stored
// evaluation_scores.probs of style traits). Data modules never write.
import type { FigureSpec } from '../../../shared/figures/spec';
import type { DatasetService } from '../datasets';
import type { Db } from '../db';
import type { EvaluationService } from '../evaluation';

export interface FigureDataDeps {
  evaluation: EvaluationService;
  datasets: DatasetService;
  db: Db;
}

/** The signature of every `<kind>Data(spec, deps)` in data/<kind>.ts. */
export type FigureDataBuilder<Data> = (spec: FigureSpec, deps: FigureDataDeps) => Promise<Data>;
