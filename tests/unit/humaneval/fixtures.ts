// A real core in a temporary home, with generation runs seeded as rows (the data a finished run
// leaves; generating them is covered by the runs tests). Names, settings and ids are distinctive
// so a blinding check can search for them in what an evaluator receives.
import type { Input, Method, Output } from '../../../src/shared/api';
import type { Caller, ApiErrorBody } from '../../../src/shared/contract';
import { createCore, type Core } from '../../../src/main/core';
import { tempDir } from '../../helpers';

export const SECRET_MODEL = 'secret-model-XYZ';
export const SECRET_HASH = 'f00dfacecafe0123456789abcdef0123456789abcdef0123456789abcdef9999';
/** Run ids and record ids no other number in a session file is likely to contain. */
export const RUN_ID_BASE = 73900;
export const RECORD_ID_BASE = 886100;

export async function makeCore(): Promise<Core> {
  return createCore({ home: tempDir('srlab-he-'), loadDemo: false, checkOutputs: true });
}

export interface SeededRun {
  id: number;
  name: string;
}

export const GROUPS = ['elderly', 'migrants', 'women'] as const;

/** The i-th prompt's text and its record's target group (i from 0). */
export const promptText = (i: number) => `Prompt number ${String(i).padStart(2, '0')}: say something about people.`;
export const groupOf = (i: number) => GROUPS[i % 3]!;

/**
 * Seed `runs` runs over `prompts` prompts (records of one dataset). Run r answers prompt i with
 * `answer r=<r> i=<i>` unless `missing(r, i)`; `failed(r, i)` leaves an error instead.
 */
export function seedRuns(
  core: Core,
  opts: {
    runs: number;
    prompts: number;
    names?: string[];
    missing?: (r: number, i: number) => boolean;
    failed?: (r: number, i: number) => boolean;
    groups?: (i: number) => string | null;
  },
): SeededRun[] {
  const db = core.db;
  const ds = Number(
    db.prepare("INSERT INTO datasets (name, created_at) VALUES (?, 'then')").run(`he-${Date.now()}-${Math.random()}`)
      .lastInsertRowid,
  );
  const existing = db.prepare<[], number>('SELECT COUNT(*) FROM records').pluck().get()!;
  const recordIds: number[] = [];
  for (let i = 0; i < opts.prompts; i++) {
    const id = RECORD_ID_BASE + existing + i;
    db.prepare('INSERT INTO records (id, dataset_id, text, target, content_hash) VALUES (?, ?, ?, ?, ?)').run(
      id,
      ds,
      promptText(i),
      (opts.groups ?? groupOf)(i),
      `hash-${id}`,
    );
    recordIds.push(id);
  }
  const out: SeededRun[] = [];
  const base = RUN_ID_BASE + db.prepare<[], number>('SELECT COUNT(*) FROM runs').pluck().get()!;
  for (let r = 0; r < opts.runs; r++) {
    const id = base + r;
    const name = opts.names?.[r] ?? `secret-run-${String.fromCharCode(97 + r)}`;
    const settings = JSON.stringify({ model: `${SECRET_MODEL}-${r}`, modelSha256: SECRET_HASH, temperature: 0.7 });
    db.prepare(
      `INSERT INTO runs (id, name, state, settings, settings_hash, provenance, total, created_at)
       VALUES (?, ?, 'succeeded', ?, ?, '{}', ?, 'then')`,
    ).run(id, name, settings, SECRET_HASH, opts.prompts);
    for (let i = 0; i < opts.prompts; i++) {
      if (opts.missing?.(r, i)) continue;
      const failed = opts.failed?.(r, i) ?? false;
      db.prepare(
        `INSERT INTO run_items (run_id, idx, record_id, input, prompt, output, error)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        id,
        i,
        recordIds[i],
        promptText(i),
        `[INST] ${promptText(i)} [/INST]`,
        failed ? null : `answer r=${r} i=${i}`,
        failed ? 'boom' : null,
      );
    }
    out.push({ id, name });
  }
  return out;
}

/**
 * A method's result, failing the test with the error when it has one. The result is read loosely:
 * the core checks it against the method's output schema already (checkOutputs).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the contract checked it
export async function ok<M extends Method>(core: Core, method: M, input: Input<M>, caller?: Caller): Promise<any> {
  const r = await core.call(method, input, caller);
  if (!r.ok) throw new Error(`${method} failed: ${r.error.kind}: ${r.error.message}`);
  return r.result as Output<M>;
}

/** A method's error, failing the test when it succeeds. */
export async function fails(core: Core, method: string, input: unknown, caller?: Caller): Promise<ApiErrorBody> {
  const r = await core.call(method, input, caller);
  if (r.ok) throw new Error(`${method} succeeded: ${JSON.stringify(r.result).slice(0, 300)}`);
  return r.error;
}

/** The evaluator caller a token stands for, as serve mode resolves it. */
export function tokenCaller(core: Core, token: string): Caller {
  const c = core.access.resolve(token);
  if (!c) throw new Error('token does not resolve');
  return c;
}
