// `srlab eval`: run an evaluation from a config file (generators × test sets × scorers, as one
// resumable job) and print its tables; see what it would do (plan); list evaluations; compare
// them (leaderboard); and the likelihood metrics `eval stereoset` / `eval crows-pairs` (D's).
// Config format: docs/evaluation.md.
import fs from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { z } from 'zod';
import { ApiError } from '../../../shared/contract';
import type { EvaluationConfigInput, EvaluationSummary } from '../../../shared/contracts/evaluation';
import type { JobInfo } from '../../../shared/contracts/jobs';
import { type Door, type GlobalOptions, note, printJson, withCore } from '../context';
import { jobResult } from '../follow';
import { printTable } from './datasets';
import { evalCrowsCommand, evalStereosetCommand } from './eval-likelihood';

/** Line and column (from 1) of a character offset. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/**
 * An evaluation config file: JSON (a syntax error says its line and column), with a local
 * generator's relative adapter path resolved against the file's folder. The fields are checked
 * by the contract (core.call), and its complaints are reported with the file's name.
 */
export function readEvaluationConfig(file: string): EvaluationConfigInput {
  const full = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(full, 'utf8');
  } catch (err) {
    throw new ApiError(
      'invalid-input',
      `${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    const where = at ? lineCol(text, Number(at[1])) : null;
    throw new ApiError(
      'invalid-input',
      `${file}${where ? `:${where.line}:${where.column}` : ''}: not valid JSON (${message.replace(/\s*\(line \d+ column \d+\)/, '')})`,
    );
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new ApiError('invalid-input', `${file}: the config must be a JSON object ({"testsets": [...], ...})`);
  const config = raw as EvaluationConfigInput;
  const generators = (raw as { generators?: unknown }).generators;
  if (Array.isArray(generators))
    for (const g of generators as { kind?: unknown; adapter?: unknown }[])
      if (g && g.kind === 'local' && typeof g.adapter === 'string')
        g.adapter = path.resolve(path.dirname(full), g.adapter);
  return config;
}

/** A contract complaint about the config, said with the file's name and the field paths inside it. */
function inConfigFile(file: string, err: unknown): unknown {
  if (!(err instanceof ApiError) || err.kind !== 'invalid-input') return err;
  const issues = err.issues?.map((i) => ({
    path: `${file}: ${i.path.replace(/^config\.?/, '') || '(top)'}`,
    message: i.message,
  }));
  return new ApiError('invalid-input', `${file}: ${err.message}`, issues);
}

async function withConfig<T>(file: string, call: (config: EvaluationConfigInput) => Promise<T>): Promise<T> {
  const config = readEvaluationConfig(file);
  try {
    return await call(config);
  } catch (err) {
    throw inConfigFile(file, err);
  }
}

const EvaluationJobResult = z.object({ evaluationId: z.number().int() });

function stageLine(ev: EvaluationSummary): string | undefined {
  const s = ev.stages.find((x) => x.state === 'running');
  if (!s) return undefined;
  const what = s.kind === 'generate' ? 'generating' : s.kind === 'score' ? `scoring with ${s.scorer}` : 'likelihood';
  const rate = s.itemsPerSecond ? `, ${s.itemsPerSecond.toFixed(1)} items/s` : '';
  return `  ${s.generator} × ${s.testset}: ${what} ${s.done}/${s.total}${rate}`;
}

/** Follow an evaluation's job to its end; Ctrl-C cancels it (what is done stays stored). */
async function follow(core: Door, started: { evaluation: EvaluationSummary; job: JobInfo }) {
  const id = started.evaluation.id;
  try {
    return await jobResult(core, started.job, EvaluationJobResult, {
      sigterm: true,
      detail: (e) => (e.type === 'evaluation' && e.evaluation.id === id ? stageLine(e.evaluation) : undefined),
    });
  } catch (err) {
    if (err instanceof ApiError && err.kind === 'cancelled')
      note(`Cancelled: what is done is stored. Run the same command again to finish evaluation ${id}.`);
    throw err;
  }
}

interface RunOptions extends GlobalOptions {
  config: string;
  fresh: boolean;
  reference: boolean;
}

const runCommand: CommandModule<GlobalOptions, RunOptions> = {
  command: 'run',
  describe:
    'Run an evaluation from a config file (resumes an unfinished one with the same config) and print its tables',
  builder: (y) =>
    y
      .option('config', {
        type: 'string',
        demandOption: true,
        describe: 'the evaluation config (JSON; see docs/evaluation.md)',
      })
      .option('fresh', {
        type: 'boolean',
        default: false,
        describe: 'start over even if an unfinished evaluation has this config',
      })
      .option('reference', {
        type: 'boolean',
        default: false,
        describe: "add the paper's rows to the tables",
      }) as Argv<RunOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const started = await withConfig(argv.config, (config) =>
        core.invoke('evaluation.start', { config, fresh: argv.fresh }),
      );
      const ev = started.evaluation;
      if (ev.stages.length > 0)
        note(
          `Resuming evaluation ${ev.id} (${ev.name}): finished items and stored scores are kept (--fresh starts over)`,
        );
      else note(`Evaluation ${ev.id}: ${ev.name}`);
      await follow(core, started);
      const t0 = performance.now();
      const out = await core.invoke('evaluation.tables', { evaluation: ev.id, reference: argv.reference });
      const tablesMs = performance.now() - t0;
      if (argv.json) return printJson(out);
      const md = await core.invoke('evaluation.export', { evaluation: ev.id, format: 'md', reference: argv.reference });
      console.log(md.text);
      const seconds = (kind: string) =>
        (
          out.evaluation.stages.filter((x) => x.kind === kind).reduce((a, x) => a + (x.durationMs ?? 0), 0) / 1000
        ).toFixed(1);
      console.log(
        `Wall time: generation ${seconds('generate')} s, scoring ${seconds('score')} s, likelihood ${seconds('likelihood')} s, tables ${(tablesMs / 1000).toFixed(2)} s`,
      );
      console.log(`Export: srlab tables ${ev.id} --format latex|csv|md [--reference] [--out FILE]`);
    }),
};

interface PlanOptions extends GlobalOptions {
  config: string;
}

const planCommand: CommandModule<GlobalOptions, PlanOptions> = {
  command: 'plan',
  describe: 'What an evaluation would do: cached runs and scores, items to generate and score, rough time',
  builder: (y) => y.option('config', { type: 'string', demandOption: true }) as Argv<PlanOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const { plan } = await withConfig(argv.config, (config) => core.invoke('evaluation.plan', { config }));
      if (argv.json) return printJson({ plan });
      printTable(
        ['generator', 'test set', 'items', 'run', 'cached', 'to generate', 'est. s'],
        plan.generation.map((g) => [
          g.generator,
          g.testset,
          String(g.items),
          g.runId === null ? '–' : `${g.runId} (${g.runState})`,
          String(g.cachedItems),
          String(g.toGenerate),
          g.estimatedSeconds === null ? '?' : g.estimatedSeconds.toFixed(0),
        ]),
      );
      console.log('');
      printTable(
        ['row', 'test set', 'scorer', 'items', 'cached', 'to score'],
        plan.scoring.map((s) => [
          s.generator,
          s.testset,
          s.scorer,
          String(s.items),
          String(s.cached),
          String(s.toScore),
        ]),
      );
      for (const n of plan.notes) console.log(`note: ${n}`);
      console.log(
        `rough time: ${plan.estimatedSeconds === null ? 'unknown' : `${Math.ceil(plan.estimatedSeconds)} s`}`,
      );
    }),
};

interface ListOptions extends GlobalOptions {
  limit: number;
}

const listCommand: CommandModule<GlobalOptions, ListOptions> = {
  command: 'list',
  describe: 'List evaluations',
  builder: (y) => y.option('limit', { type: 'number', default: 100 }) as Argv<ListOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const { evaluations } = await core.invoke('evaluation.list', { limit: argv.limit });
      if (argv.json) return printJson({ evaluations });
      printTable(
        ['id', 'name', 'state', 'created'],
        evaluations.map((e) => [String(e.id), e.name, e.state, e.createdAt]),
      );
    }),
};

interface ResumeOptions extends GlobalOptions {
  id: number;
}

const resumeCommand: CommandModule<GlobalOptions, ResumeOptions> = {
  command: 'resume <id>',
  describe: 'Finish an interrupted, cancelled or failed evaluation',
  builder: (y) => y.positional('id', { type: 'number', demandOption: true }) as Argv<ResumeOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const started = await core.invoke('evaluation.resume', { id: argv.id });
      await follow(core, started);
      const { evaluation } = await core.invoke('evaluation.get', { evaluation: argv.id });
      if (argv.json) return printJson({ evaluation });
      console.log(`evaluation ${evaluation.id}: ${evaluation.state}`);
    }),
};

interface CompareOptions extends GlobalOptions {
  baseline: string;
  evaluation?: string;
  testset?: string;
  scorer?: string;
  seed: number;
}

const compareCommand: CommandModule<GlobalOptions, CompareOptions> = {
  command: 'compare',
  describe: 'Leaderboard across evaluations: % positive and the change against a baseline row with a bootstrap CI',
  builder: (y) =>
    y
      .option('baseline', {
        type: 'string',
        demandOption: true,
        describe: 'the baseline row: a generator label or "initial"',
      })
      .option('evaluation', {
        type: 'string',
        describe: "the baseline's evaluation (id or name; default: the newest with it)",
      })
      .option('testset', { type: 'string' })
      .option('scorer', { type: 'string' })
      .option('seed', { type: 'number', default: 42 }) as Argv<CompareOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const evaluation =
        argv.evaluation === undefined
          ? undefined
          : /^\d+$/.test(argv.evaluation)
            ? Number(argv.evaluation)
            : argv.evaluation;
      const { rows } = await core.invoke('evaluation.compare', {
        baseline: { generator: argv.baseline, ...(evaluation !== undefined ? { evaluation } : {}) },
        ...(argv.testset !== undefined ? { testset: argv.testset } : {}),
        ...(argv.scorer !== undefined ? { scorer: argv.scorer } : {}),
        seed: argv.seed,
      });
      if (argv.json) return printJson({ rows });
      const f = (x: number | null) => (x === null ? '–' : x.toFixed(2));
      printTable(
        ['evaluation', 'row', 'test set', 'scorer', 'n', '% positive', 'change', '95% CI'],
        rows.map((r) => [
          `${r.evaluationId} ${r.evaluation}`,
          r.generator + (r.isBaseline ? ' (baseline)' : ''),
          r.testset,
          r.scorer,
          String(r.n),
          f(r.value),
          f(r.change),
          r.changeCi ? `[${f(r.changeCi[0])}, ${f(r.changeCi[1])}]` : '–',
        ]),
      );
    }),
};

export const evalCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'eval <command>',
  describe: 'Evaluations: run a config, plan, list, resume, compare; StereoSet and CrowS-Pairs likelihoods',
  builder: (y) =>
    y
      .command(runCommand as never)
      .command(planCommand as never)
      .command(listCommand as never)
      .command(resumeCommand as never)
      .command(compareCommand as never)
      .command(evalStereosetCommand as never)
      .command(evalCrowsCommand as never)
      .demandCommand(1),
  handler: () => undefined,
};
