// Startup of the built CLI: a command that needs no figure and no server loads neither. Every
// `srlab` command loads the core, and pdfkit (with fontkit, @noble/*, …), svg-to-pdfkit, resvg,
// react-dom/server, hono and @hono/node-server once made up over a quarter of the wall time of
// `srlab datasets` (median 0.55 s → 0.39 s when they went). They now load where they are used: the
// figure renderer and exporter (src/main/core/figures/render.ts, export.ts) and `srlab serve`
// (src/main/cli/commands/serve.ts). Each package checked absent here is also shown present when a
// command that needs it runs (the negative controls), so the trace cannot pass by seeing nothing.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { assertBuilt, CLI } from './cli-helpers';

beforeAll(assertBuilt);

/**
 * The trace: ES modules through a module.register load hook (it runs on the hooks thread, so it
 * appends to the log itself), CommonJS modules from require.cache when the process exits (what
 * `require` loads — resvg through createRequire, a CommonJS package's own requires — never passes
 * the ES hook). The log gets one file URL or path a line.
 */
const HOOKS = `
import fs from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, next) {
  fs.appendFileSync(log, url + '\\n');
  return next(url, context);
}
`;
const TRACE = (hooksUrl: string) => `
import fs from 'node:fs';
import { createRequire, register } from 'node:module';
const log = process.env.SRLAB_LOAD_LOG;
register(${JSON.stringify(hooksUrl)}, { data: { log } });
const require = createRequire(import.meta.url);
process.on('exit', () => fs.appendFileSync(log, Object.keys(require.cache).join('\\n') + '\\n'));
`;

let dir: string;
let home: string;
let traceFile: string;
beforeAll(() => {
  dir = tempDir();
  home = path.join(dir, 'home');
  const hooks = path.join(dir, 'hooks.mjs');
  fs.writeFileSync(hooks, HOOKS);
  traceFile = path.join(dir, 'trace.mjs');
  fs.writeFileSync(traceFile, TRACE(pathToFileURL(hooks).href));
});

/** The packages (by name, scoped ones as @scope/name) a traced run's log names. */
function packagesIn(log: string): Set<string> {
  const names = new Set<string>();
  for (const line of fs.readFileSync(log, 'utf8').split('\n')) {
    const m = /.*node_modules[/\\]((?:@[^/\\]+[/\\])?[^/\\]+)/.exec(line);
    if (m) names.add(m[1]!.replace('\\', '/'));
  }
  return names;
}

let runs = 0;
/** Run `srlab <args>` under the trace; its exit status, stderr and the packages it loaded. */
function traced(args: string[]): { code: number | null; stderr: string; packages: Set<string> } {
  const log = path.join(dir, `load-${++runs}.log`);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(traceFile).href, CLI, '--home', home, ...args], {
    encoding: 'utf8',
    input: '',
    env: { ...process.env, SRLAB_HOME: '', SRLAB_LOAD_LOG: log },
  });
  return { code: r.status, stderr: r.stderr, packages: packagesIn(log) };
}

const FIGURE_ONLY = ['pdfkit', 'fontkit', 'svg-to-pdfkit', '@resvg/resvg-js', 'react-dom'];
const SERVE_ONLY = ['hono', '@hono/node-server'];

describe('srlab startup', () => {
  it('`srlab datasets` loads no figure renderer and no HTTP server', () => {
    const r = traced(['datasets', '--json']);
    expect(r.code, r.stderr).toBe(0);
    // The trace sees the packages every command needs (it is not blind)…
    expect([...r.packages]).toEqual(expect.arrayContaining(['yargs', 'zod', 'better-sqlite3']));
    // …and none of those only figures and serve mode need.
    for (const name of [...FIGURE_ONLY, ...SERVE_ONLY]) expect(r.packages.has(name), name).toBe(false);
  });

  it('negative control: drawing a figure to PDF and PNG loads the renderers', () => {
    const input = path.join(dir, 'ttest.json');
    fs.writeFileSync(input, JSON.stringify({ summary: { n: 100, mean: 0.1, sd: 0.45 }, mu: 0, alpha: 0.05 }));
    const pdf = traced(['figure', '--kind', 't-dist', '--input', input, '--out', path.join(dir, 't.pdf'), '--json']);
    expect(pdf.code, pdf.stderr).toBe(0);
    for (const name of ['pdfkit', 'fontkit', 'svg-to-pdfkit', 'react-dom'])
      expect(pdf.packages.has(name), name).toBe(true);
    const png = traced(['figure', '--kind', 't-dist', '--input', input, '--out', path.join(dir, 't.png'), '--json']);
    expect(png.code, png.stderr).toBe(0);
    expect(png.packages.has('@resvg/resvg-js')).toBe(true);
    // A PNG needs no pdfkit: each renderer loads on its own.
    expect(png.packages.has('pdfkit')).toBe(false);
  });

  it('negative control: `srlab serve` loads the HTTP server', async () => {
    const log = path.join(dir, 'serve.log');
    const child = spawn(
      process.execPath,
      ['--import', pathToFileURL(traceFile).href, CLI, '--home', home, 'serve', '--port', '0', '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SRLAB_HOME: '', SRLAB_LOAD_LOG: log } },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    // Ready once it prints {url, token}; then stopped as a user stops it (it exits 0 on SIGTERM).
    await new Promise<void>((ready, fail) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) ready();
      });
      void exited.then((code) => fail(new Error(`srlab serve exited with ${code} before it was ready: ${stderr}`)));
    });
    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
    const packages = packagesIn(log);
    for (const name of SERVE_ONLY) expect(packages.has(name), name).toBe(true);
  });
});
