// From an EvaluationConfig to what an evaluation works on: each test set's key, label and items
// (a CMD split's records or an imported test set's items, filtered and limited), each generator's
// label and target, and the generation run input for a generator on a test set.
import { ApiError } from '../../../shared/contract';
import type { EvalGenerator, EvalTestsetRef, EvaluationConfig } from '../../../shared/contracts/evaluation';
import { INITIAL_LABEL } from '../../../shared/contracts/evaluation';
import type { Target } from '../../../shared/contracts/llm';
import type { Db } from '../db';
import { findDataset } from '../datasets/repository';
import type { StartRunInput } from '../runs';

/** One item as evaluated (kept in evaluation_items). */
export interface SnapshotItem {
  index: number;
  group: string | null;
  subgroup: string | null;
  /** What the generators are prompted with, and what the "initial" row scores. */
  text: string;
  fields: Record<string, unknown>;
}

export interface ResolvedTestset {
  key: string;
  label: string;
  /** 'cmd' or the imported test set's kind (toxigen, bold, counterfactual, holisticbias, …). */
  kind: string;
  ref: EvalTestsetRef;
  items: SnapshotItem[];
}

export interface ResolvedGenerator {
  label: string;
  target: Target;
}

/** What the evaluation reads test sets through (core.testsets). */
export interface TestsetReader {
  get(name: string): { name: string; kind: string };
  allItems(name: string): {
    index: number;
    group: string | null;
    subgroup: string | null;
    text: string;
    fields: Record<string, unknown>;
  }[];
}

export function testsetKey(ref: EvalTestsetRef): string {
  return ref.kind === 'cmd' ? `${ref.dataset}/${ref.split}` : ref.testset;
}

/** The generator's row label: its own, else the model (with its adapter) or the endpoint. */
export function generatorLabel(g: EvalGenerator): string {
  if (g.label) return g.label;
  if (g.kind === 'endpoint') return g.endpoint;
  if (g.adapter) return `${g.model} + ${g.adapter.split(/[\\/]/).pop()}`;
  if (g.adapterRun !== undefined) return `${g.model} + training run ${g.adapterRun}`;
  return g.model;
}

export function generatorTarget(g: EvalGenerator): Target {
  if (g.kind === 'endpoint') return { kind: 'endpoint', endpoint: g.endpoint };
  return {
    kind: 'local',
    model: g.model,
    adapterScale: g.adapterScale,
    ...(g.adapter !== undefined ? { adapter: g.adapter } : {}),
    ...(g.adapterRun !== undefined ? { adapterRun: g.adapterRun } : {}),
  };
}

export function resolveGenerators(config: EvaluationConfig): ResolvedGenerator[] {
  const seen = new Map<string, number>();
  return config.generators.map((g, i) => {
    const label = generatorLabel(g);
    if (label === INITIAL_LABEL)
      throw new ApiError('invalid-input', `generators.${i}: "${INITIAL_LABEL}" is the inputs' row; give a label`);
    const before = seen.get(label);
    if (before !== undefined)
      throw new ApiError(
        'invalid-input',
        `generators.${before} and generators.${i} are both labelled "${label}": give each a distinct "label"`,
      );
    seen.set(label, i);
    return { label, target: generatorTarget(g) };
  });
}

interface RecordRow {
  id: number;
  text: string;
  target: string | null;
  annotation_gold: string | null;
  bias: string | null;
  toxicity: string | null;
}

function cmdItems(db: Db, ref: Extract<EvalTestsetRef, { kind: 'cmd' }>): SnapshotItem[] {
  const ds = findDataset(db, ref.dataset);
  const rows = db
    .prepare<unknown[], RecordRow>(
      `SELECT id, text, target, annotation_gold, bias, toxicity FROM records
        WHERE dataset_id = ? AND split = ? ORDER BY id ${ref.limit ? 'LIMIT ?' : ''}`,
    )
    .all(...[ds.id, ref.split, ...(ref.limit ? [ref.limit] : [])]);
  if (rows.length === 0)
    throw new ApiError(
      'invalid-input',
      `dataset "${ds.name}" has no records in the ${ref.split} split (split it first: srlab split ${ds.name})`,
    );
  // Same records, same order as the generation run's dataset source (ORDER BY id, LIMIT).
  return rows.map((r, index) => ({
    index,
    group: r.target,
    subgroup: null,
    text: r.text,
    fields: { recordId: r.id, annotation: r.annotation_gold, bias: r.bias, toxicity: r.toxicity },
  }));
}

function namedItems(testsets: TestsetReader, ref: Extract<EvalTestsetRef, { kind: 'testset' }>) {
  const summary = testsets.get(ref.testset);
  let items = testsets.allItems(ref.testset);
  if (ref.groups) {
    const wanted = new Set(ref.groups);
    const present = new Set(items.map((i) => i.group ?? '(none)'));
    const missing = ref.groups.filter((g) => !present.has(g));
    if (missing.length)
      throw new ApiError(
        'invalid-input',
        `test set "${ref.testset}" has no group ${missing.map((g) => `"${g}"`).join(', ')} (it has: ${[...present].sort().join(', ')})`,
      );
    items = items.filter((i) => wanted.has(i.group ?? '(none)'));
  }
  if (ref.limit) items = items.slice(0, ref.limit);
  items = items.filter((i) => i.text.trim().length > 0);
  if (items.length === 0) throw new ApiError('invalid-input', `test set "${ref.testset}" has no items to evaluate`);
  return {
    kind: summary.kind,
    items: items.map((i, index) => ({
      index,
      group: i.group,
      subgroup: i.subgroup,
      text: i.text,
      fields: { ...i.fields, testsetIndex: i.index },
    })),
  };
}

export function resolveTestsets(db: Db, testsets: TestsetReader | null, config: EvaluationConfig): ResolvedTestset[] {
  const keys = new Set<string>();
  return config.testsets.map((ref, i) => {
    const key = testsetKey(ref);
    if (keys.has(key)) throw new ApiError('invalid-input', `testsets.${i}: "${key}" is listed twice`);
    keys.add(key);
    try {
      if (ref.kind === 'cmd') return { key, label: key, kind: 'cmd', ref, items: cmdItems(db, ref) };
      if (!testsets) throw new ApiError('invalid-input', 'imported test sets need the testsets capability');
      const { kind, items } = namedItems(testsets, ref);
      return { key, label: key, kind, ref, items };
    } catch (err) {
      // A config naming a dataset or test set that is not there is bad input: say which entry.
      if (!(err instanceof ApiError) || (err.kind !== 'not-found' && err.kind !== 'invalid-input')) throw err;
      const field = `testsets.${i}.${ref.kind === 'cmd' ? 'dataset' : 'testset'}`;
      throw new ApiError('invalid-input', `${field}: ${err.message}`, [{ path: field, message: err.message }]);
    }
  });
}

/** The generation run for a generator on a test set: what runs.start takes. */
export function runInput(
  config: EvaluationConfig,
  evaluationName: string,
  gen: ResolvedGenerator,
  ts: ResolvedTestset,
): StartRunInput {
  const source: StartRunInput['source'] =
    ts.ref.kind === 'cmd'
      ? {
          kind: 'dataset',
          dataset: ts.ref.dataset,
          split: ts.ref.split,
          ...(ts.ref.limit ? { limit: ts.ref.limit } : {}),
        }
      : { kind: 'texts', name: ts.key, texts: ts.items.map((i) => i.text) };
  return {
    name: `${evaluationName}: ${gen.label} × ${ts.label}`,
    target: gen.target,
    source,
    template: config.template,
    decoding: config.decoding,
    parallel: gen.target.kind === 'local' ? config.parallel : 1,
    load: config.load,
  };
}
