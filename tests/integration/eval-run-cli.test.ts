// `srlab eval run` and `srlab tables` through the real CLI: the tiny GGUF generates for the demo
// CMD test split and a slice of the real counterfactual set, an embedded scorer (trained with
// `srlab scorers train`) scores inputs and outputs; the run is killed mid-generation and the same
// command resumes it without regenerating finished items; the LaTeX table's numbers equal direct
// counts of the stored item scores; bad config files are refused naming the file, line and field.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, sharedData, tempDir } from '../helpers';
import { tinyModelFiles } from '../unit/llm/tiny-model';
import { assertBuilt, CLI, srlab } from './cli-helpers';

beforeAll(assertBuilt);

const HAVE = hasSharedData('srllm', 'counterfactual-inhouse.csv');
const home = tempDir();
const dir = tempDir();
const run = (args: string[]) => srlab(args, { home });
const dbFile = path.join(home, 'srlab.sqlite');

const configFile = path.join(dir, 'eval.json');
const config = {
  name: 'cli',
  testsets: [{ kind: 'cmd', dataset: 'cmd-demo', split: 'test' }, { testset: 'cf' }],
  generators: [{ kind: 'local', model: 'tiny', label: 'tiny' }],
  scorers: [{ kind: 'embedded', classifier: 'demo-unsafe' }],
  decoding: { maxTokens: 48 },
};

async function waitForDb(file: string): Promise<Database.Database> {
  for (let t = 0; t < 400; t++) {
    if (fs.existsSync(file)) {
      try {
        const db = new Database(file, { readonly: true, fileMustExist: true });
        db.pragma('busy_timeout = 2000');
        return db;
      } catch {
        // still being created
      }
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no database at ${file}`);
}

describe.runIf(HAVE)('srlab eval run / srlab tables', () => {
  beforeAll(() => {
    expect(run(['models', 'add', tinyModelFiles().model, '--name', 'tiny']).code).toBe(0);
    const trained = run([
      'scorers',
      'train',
      '--dataset',
      'cmd-demo',
      '--label',
      'annotation',
      '--name',
      'demo-unsafe',
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    const lines = fs.readFileSync(sharedData('srllm', 'counterfactual-inhouse.csv'), 'utf8').split('\n');
    const cf = path.join(dir, 'cf.csv');
    fs.writeFileSync(cf, `${lines.slice(0, 4).join('\n')}\n`);
    const imported = run(['testsets', 'import', cf, '--kind', 'counterfactual', '--name', 'cf']);
    expect(imported.code, imported.stderr).toBe(0);
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  }, 120_000);

  it('resumes an evaluation killed mid-generation without regenerating finished items', async () => {
    const child = spawn(process.execPath, [CLI, '--home', home, 'eval', 'run', '--config', configFile, '--json'], {
      env: { ...process.env, SRLAB_HOME: '' },
      stdio: 'ignore',
    });
    const db = await waitForDb(dbFile);
    let done = 0;
    try {
      for (let t = 0; t < 1200 && done < 5; t++) {
        await new Promise((r) => setTimeout(r, 25));
        try {
          done =
            db
              .prepare<[], { n: number }>(
                `SELECT COUNT(*) AS n FROM run_items i JOIN evaluation_runs e ON e.run_id = i.run_id
                  WHERE e.generator = 'tiny' AND e.testset = 'cmd-demo/test' AND i.finished_at IS NOT NULL`,
              )
              .get()?.n ?? 0;
        } catch {
          // the evaluation tables are not created yet
        }
      }
    } finally {
      db.close();
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(done).toBeGreaterThanOrEqual(5);

    const listed = run(['eval', 'list', '--json']).json.evaluations;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: 1, name: 'cli', state: 'interrupted' });
    const runId = listed[0].stages.find((s: { key: string }) => s.key === 'generate|tiny|cmd-demo/test').runId;
    const before = run(['runs', 'show', String(runId), '--json']).json.items.filter(
      (i: { finishedAt: string | null }) => i.finishedAt !== null,
    );
    expect(before.length).toBeGreaterThanOrEqual(5);
    expect(before.length).toBeLessThan(48);

    const resumed = run(['eval', 'run', '--config', configFile, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('Resuming evaluation 1 (cli)');
    expect(resumed.json.evaluation).toMatchObject({ id: 1, state: 'succeeded' });
    const after = run(['runs', 'show', String(runId), '--json']).json;
    expect(after.run).toMatchObject({ id: runId, state: 'succeeded', done: 48 });
    // Finished items were kept as they were: same output, same finishing time.
    for (const b of before) expect(after.items[b.index]).toEqual(b);
    // Only the one run: nothing was started over.
    expect(run(['runs', '--json']).json.runs.filter((r: { name: string }) => r.name.includes('cmd-demo'))).toHaveLength(
      1,
    );

    const t5 = resumed.json.tables.find((t: { id: string }) => t.id === 'table5');
    expect(t5.rows.map((r: { key: string }) => r.key)).toEqual(['initial', 'tiny']);
  }, 180_000);

  it('writes LaTeX whose numbers equal direct counts of the stored item scores', () => {
    const db = new Database(dbFile, { readonly: true });
    const pct = (gen: string, ts: string) => {
      const r = db
        .prepare<[string, string], { pos: number; n: number }>(
          'SELECT SUM(verdict) AS pos, COUNT(verdict) AS n FROM evaluation_scores WHERE evaluation_id = 1 AND generator = ? AND testset = ?',
        )
        .get(gen, ts)!;
      expect(r.n).toBe(ts === 'cf' ? 33 : 48);
      return ((100 * r.pos) / r.n).toFixed(2);
    };
    const expected = {
      initial: [pct('initial', 'cmd-demo/test'), pct('initial', 'cf')],
      tiny: [pct('tiny', 'cmd-demo/test'), pct('tiny', 'cf')],
    };
    db.close();
    const out = path.join(dir, 'tables.tex');
    const r = run(['tables', 'cli', '--format', 'latex', '--reference', '--table', 'table5', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const tex = fs.readFileSync(out, 'utf8');
    expect(tex).toContain('\\toprule');
    expect(tex).toContain('Model & \\% unsafe $\\downarrow$ & \\% unsafe $\\downarrow$ \\\\');
    const unbold = (line: string) => line.replace(/\\textbf\{([^}]*)\}/g, '$1');
    const line = (label: string) => unbold(tex.split('\n').find((l) => l.startsWith(`${label} & `))!);
    expect(line('initial')).toBe(`initial & ${expected.initial.join(' & ')} \\\\`);
    expect(line('tiny')).toBe(`tiny & ${expected.tiny.join(' & ')} \\\\`);
    // The paper's rows, quoted and marked, only where the paper has the test set (CMD test, not cf).
    expect(tex).toContain('\\textit{SR\\_LLM (paper)} & 3.48 & -- \\\\');

    const md = run(['tables', '1', '--format', 'md']);
    expect(md.stdout).toContain('| tiny |');
    expect(md.stdout).not.toContain('(paper)');
    const csv = run(['tables', '1', '--format', 'csv']);
    expect(csv.stdout.split('\r\n').filter((l) => l.startsWith('table5,tiny,false,cf,'))).toHaveLength(1);
  });

  it('refuses a broken config naming the file, the line of a JSON error and the field', () => {
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{\n  "testsets": [\n    {"testset": "cf",}\n  ]\n}\n');
    const a = run(['eval', 'run', '--config', broken]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/broken\.json:3:\d+: not valid JSON/);

    const wrong = path.join(dir, 'wrong.json');
    fs.writeFileSync(wrong, JSON.stringify({ ...config, testsets: [{ kind: 'cmd' }] }));
    const b = run(['eval', 'run', '--config', wrong]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('wrong.json');
    expect(b.stderr).toMatch(/testsets\.0: dataset: .*expected string/);

    const unknown = path.join(dir, 'unknown.json');
    fs.writeFileSync(unknown, JSON.stringify({ ...config, testsets: [{ testset: 'nope' }] }));
    const c = run(['eval', 'run', '--config', unknown]);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/unknown\.json: testsets\.0\.testset: no test set "nope"/);
  });
});
