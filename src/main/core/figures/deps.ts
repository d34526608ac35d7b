// What a figure kind's data module (src/main/core/figures/data/<kind>.ts) may read to build its
// data from an evaluation, a dataset or a human-evaluation session: the evaluation service
// (tables, items), the dataset service (stats, records), the humaneval service (a session's
// results) and the database for read-only queries of its own (e.g. the stored
// evaluation_scores.probs of style traits). Data modules never write.
import type { z } from 'zod';
import type { HumanEvalResults, humaneval } from '../../../shared/contracts/humaneval';
import type { FigureSpec } from '../../../shared/figures/spec';
import type { DatasetService } from '../datasets';
import type { Db } from '../db';
import type { EvaluationService } from '../evaluation';

/**
 * What figures read of the humaneval service: a session's results (input as the contract parses
 * it). Named by shape, so figures depend on no more of that service than this.
 */
export interface HumanEvalResultsReader {
  results(input: z.output<typeof humaneval.results.input>): HumanEvalResults | Promise<HumanEvalResults>;
}

export interface FigureDataDeps {
  evaluation: EvaluationService;
  datasets: DatasetService;
  /** Absent where a caller builds figures without sessions (unit tests of other kinds). */
  humaneval?: HumanEvalResultsReader;
  db: Db;
}

/** The signature of every `<kind>Data(spec, deps)` in data/<kind>.ts. */
export type FigureDataBuilder<Data> = (spec: FigureSpec, deps: FigureDataDeps) => Promise<Data>;
