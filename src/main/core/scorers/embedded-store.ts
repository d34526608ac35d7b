// Embedded classifiers in SQLite (table embedded_classifiers, see capability.ts): the weights as a
// Float32 BLOB, the calibration, options and validation as JSON. And the training examples a
// classifier learns from, read from a dataset's split records.
import { ApiError } from '../../../shared/contract';
import {
  EMBEDDED_TARGETS,
  EmbeddedTrainOptions,
  type EmbeddedClassifier,
  type EmbeddedLabel,
} from '../../../shared/contracts/scorers';
import type { Db } from '../db';
import { findDataset } from '../datasets/repository';
import { EFFECTIVE_ANNOTATION_SQL } from '../datasets/records';
import { describeCalibration, type Calibration } from './calibration';
import type { EmbeddedModel, Example, TrainingSets } from './embedded-train';

interface Row {
  name: string;
  dataset: string;
  label: string;
  positive: string;
  version: string;
  options: string;
  counts: string;
  calibration: string;
  bias: number;
  buckets: number;
  char_ngrams: number;
  weights: Buffer;
  validation: string | null;
  duration_ms: number;
  created_at: string;
}

/** A stored classifier, loaded for scoring. */
export interface LoadedClassifier {
  info: EmbeddedClassifier;
  model: Pick<EmbeddedModel, 'buckets' | 'charNgrams' | 'weights' | 'bias' | 'calibration'>;
}

const SUMMARY_COLUMNS =
  'name, dataset, label, positive, version, options, counts, calibration, validation, duration_ms, created_at';

function toInfo(r: Omit<Row, 'weights' | 'bias' | 'buckets' | 'char_ngrams'>): EmbeddedClassifier {
  const calibration = JSON.parse(r.calibration) as Calibration;
  return {
    name: r.name,
    dataset: r.dataset,
    label: r.label as EmbeddedLabel,
    positive: r.positive,
    version: r.version,
    // Parsed, so options stored before a key existed get its default.
    options: EmbeddedTrainOptions.parse(JSON.parse(r.options)),
    counts: JSON.parse(r.counts) as EmbeddedClassifier['counts'],
    validation: r.validation === null ? null : (JSON.parse(r.validation) as EmbeddedClassifier['validation']),
    calibration: { method: calibration.method, detail: describeCalibration(calibration) },
    durationMs: r.duration_ms,
    createdAt: r.created_at,
  };
}

function notFound(db: Db, name: string): ApiError {
  const names = db
    .prepare<[], { name: string }>('SELECT name FROM embedded_classifiers ORDER BY name')
    .all()
    .map((r) => r.name);
  return new ApiError(
    'not-found',
    `no embedded classifier "${name}"${names.length ? ` (have: ${names.join(', ')})` : ' (none trained yet: srlab scorers train)'}`,
  );
}

export function listEmbedded(db: Db): EmbeddedClassifier[] {
  return db.prepare<[], Row>(`SELECT ${SUMMARY_COLUMNS} FROM embedded_classifiers ORDER BY name`).all().map(toInfo);
}

export function loadEmbedded(db: Db, name: string): LoadedClassifier {
  const r = db.prepare<[string], Row>('SELECT * FROM embedded_classifiers WHERE name = ?').get(name);
  if (!r) throw notFound(db, name);
  // Copy out of the Buffer: its memory may be pooled and unaligned for a Float32Array view.
  const bytes = new Uint8Array(r.weights.byteLength);
  bytes.set(r.weights);
  const weights = new Float32Array(bytes.buffer);
  if (weights.length !== r.buckets)
    throw new ApiError('failed', `embedded classifier "${name}": stored weights are damaged`);
  return {
    info: toInfo(r),
    model: {
      buckets: r.buckets,
      charNgrams: r.char_ngrams === 1,
      weights,
      bias: r.bias,
      calibration: JSON.parse(r.calibration) as Calibration,
    },
  };
}

export function saveEmbedded(
  db: Db,
  c: Omit<EmbeddedClassifier, 'calibration'> & { model: EmbeddedModel },
): EmbeddedClassifier {
  const w = c.model.weights;
  db.prepare(
    `INSERT INTO embedded_classifiers
       (name, dataset, label, positive, version, options, counts, calibration, bias, buckets, char_ngrams, weights, validation, duration_ms, created_at)
     VALUES (@name, @dataset, @label, @positive, @version, @options, @counts, @calibration, @bias, @buckets, @charNgrams, @weights, @validation, @durationMs, @createdAt)
     ON CONFLICT (name) DO UPDATE SET
       dataset = excluded.dataset, label = excluded.label, positive = excluded.positive, version = excluded.version,
       options = excluded.options, counts = excluded.counts, calibration = excluded.calibration, bias = excluded.bias,
       buckets = excluded.buckets, char_ngrams = excluded.char_ngrams, weights = excluded.weights,
       validation = excluded.validation, duration_ms = excluded.duration_ms, created_at = excluded.created_at`,
  ).run({
    name: c.name,
    dataset: c.dataset,
    label: c.label,
    positive: c.positive,
    version: c.version,
    options: JSON.stringify(c.options),
    counts: JSON.stringify(c.counts),
    calibration: JSON.stringify(c.model.calibration),
    bias: c.model.bias,
    buckets: c.model.buckets,
    charNgrams: c.model.charNgrams ? 1 : 0,
    weights: Buffer.from(w.buffer, w.byteOffset, w.byteLength),
    validation: c.validation === null ? null : JSON.stringify(c.validation),
    durationMs: c.durationMs,
    createdAt: c.createdAt,
  });
  return loadEmbedded(db, c.name).info;
}

export function removeEmbedded(db: Db, name: string): void {
  const r = db.prepare('DELETE FROM embedded_classifiers WHERE name = ?').run(name);
  if (r.changes === 0) throw notFound(db, name);
}

/** The SQL of a CMD field's stored value (annotation: the effective one, gold where present). */
const FIELD_SQL: Record<EmbeddedLabel, string> = {
  annotation: EFFECTIVE_ANNOTATION_SQL,
  bias: 'bias',
  toxicity: 'toxicity',
  sentiment: 'sentiment',
  harm: 'harm',
};

/**
 * A dataset's labelled examples per split. Records without a split, or whose label is missing or
 * not one of the field's canonical values, are left out (counted in `skipped`). With
 * `benignVariations`, each record's benign variation joins its split as a negative example.
 */
export function trainingSets(
  db: Db,
  datasetName: string,
  label: EmbeddedLabel,
  benignVariations: boolean,
): TrainingSets & { skipped: number } {
  const ds = findDataset(db, datasetName);
  if (benignVariations && label === 'sentiment')
    throw new ApiError(
      'invalid-input',
      'benignVariations: a rewrite’s sentiment is not known, so it cannot train a sentiment classifier',
    );
  const target = EMBEDDED_TARGETS[label];
  const rows = db
    .prepare<[number], { text: string; value: string | null; split: string | null; benign: string | null }>(
      `SELECT text, ${FIELD_SQL[label]} AS value, split, benign FROM records WHERE dataset_id = ? ORDER BY id`,
    )
    .all(ds.id);
  const sets: TrainingSets = { train: [], dev: [], test: [] };
  let skipped = 0;
  let unsplit = 0;
  for (const r of rows) {
    if (r.split !== 'train' && r.split !== 'dev' && r.split !== 'test') {
      unsplit++;
      continue;
    }
    const into: Example[] = sets[r.split];
    if (r.value !== null && target.values.includes(r.value))
      into.push({ text: r.text, positive: target.positiveValues.includes(r.value) });
    else skipped++;
    if (benignVariations && r.benign !== null && r.benign.trim() !== '') into.push({ text: r.benign, positive: false });
  }
  if (rows.length > 0 && unsplit === rows.length)
    throw new ApiError(
      'invalid-input',
      `dataset "${datasetName}" has no split yet: run \`srlab split ${datasetName}\` first`,
    );
  return { ...sets, skipped: skipped + unsplit };
}
