#!/usr/bin/env node
// `npm start`: build if the sources changed, then open the desktop window. Where a display
// exists but the window's parts are missing, fetch them first — the Electron binary with
// Electron's own installer (npm install skips it: `allowScripts` in package.json) and
// better-sqlite3 built for Electron's ABI — with progress. Where no window can open (no display,
// SRLAB_SERVE=1, or a step above failed), say why and start serve mode instead.
// The decisions are start-decision.js (pure, unit-tested); the disk probes are start-probes.js.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { nextStep } from './start-decision.js';
import { electronBinary, electronSqliteBuilt } from './start-probes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const electronDir = path.dirname(require.resolve('electron/package.json'));
const nativeDir = path.join(root, 'native', 'electron');
const versions = {
  electron: require('electron/package.json').version,
  betterSqlite3: require('better-sqlite3/package.json').version,
  abi: fs.readFileSync(path.join(electronDir, 'abi_version'), 'utf8').trim(),
};
/** Past this a download or build counts as failed (and serve mode starts). */
const STEP_TIMEOUT_MS = 20 * 60_000;

function say(line) {
  console.error(`srlab: ${line}`);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuilt() {
  const built = path.join(root, 'out', 'main', 'cli.js');
  const stale = !fs.existsSync(built) || newestMtime(path.join(root, 'src')) > fs.statSync(built).mtimeMs;
  if (!stale) return;
  say('building…');
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function facts(failed) {
  return {
    platform: process.platform,
    env: process.env,
    nodeVersion: process.version,
    electronVersion: versions.electron,
    electronBinary: electronBinary(electronDir, process.env) !== null,
    electronSqlite: electronSqliteBuilt(nativeDir, versions),
    failed,
  };
}

function bytesIn(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}

/**
 * Why a step failed, from the end of its stderr: Electron's installer throws (its first error
 * line, e.g. "TypeError: fetch failed"); srlab's build script ends with a line that says why.
 */
function failureLine(text, from) {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const line = from === 'first-error' ? (lines.find((l) => /^[A-Za-z]*Error\b/.test(l)) ?? lines.at(-1)) : lines.at(-1);
  return line ? line.slice(0, 200) : null;
}

/**
 * Run one step with its own output showing, plus srlab's progress line every few seconds
 * (elapsed time; for the download, the bytes so far, counted in the temporary folder the
 * installer downloads into). Resolves null when it succeeded, else why it failed.
 */
function runStep(detail, command, commandArgs, { countBytes = false, reasonFrom = 'last-line' } = {}) {
  say(`${detail}…`);
  const started = Date.now();
  const tmp = countBytes ? fs.mkdtempSync(path.join(os.tmpdir(), 'srlab-electron-download-')) : null;
  const env = { ...process.env };
  if (tmp) {
    // @electron/get downloads into os.tmpdir(): give it ours so the bytes can be counted, and
    // silence its own bar (it starts after 30 s and would garble srlab's line).
    Object.assign(env, { TMPDIR: tmp, TMP: tmp, TEMP: tmp, ELECTRON_GET_NO_PROGRESS: '1' });
  }
  // Its output shows as it comes; the end of stderr is kept to name the error in srlab's reason.
  const child = spawn(command, commandArgs, { cwd: root, stdio: ['inherit', 'inherit', 'pipe'], env });
  let errTail = '';
  child.stderr.on('data', (d) => {
    process.stderr.write(d);
    errTail = (errTail + d.toString()).slice(-8000);
  });
  const tick = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    let bytes = '';
    if (tmp) {
      try {
        bytes = `, ${(bytesIn(tmp) / 1e6).toFixed(1)} MB so far`;
      } catch {
        // the installer is moving its file into the cache
      }
    }
    say(`… still working (${seconds} s${bytes})`);
  }, 5000);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
  }, STEP_TIMEOUT_MS);
  return new Promise((resolve) => {
    const done = (why) => {
      clearInterval(tick);
      clearTimeout(timer);
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
      resolve(why);
    };
    child.on('error', (err) => done(err.message));
    child.on('exit', (code, signal) => {
      if (timedOut) done(`no result after ${STEP_TIMEOUT_MS / 60_000} minutes`);
      else if (code === 0) done(null);
      else done(`${failureLine(errTail, reasonFrom) ?? `it exited with ${code ?? signal}`}; its output is above`);
    });
  });
}

const failed = {};
let step = nextStep(facts(failed));
if (step.action === 'refuse') {
  say(step.reason);
  process.exit(1);
}
ensureBuilt();

// Fetch what the window needs, one step at a time, until it can open or a step failed.
while (step.action === 'install-electron' || step.action === 'build-sqlite') {
  if (step.action === 'install-electron') {
    const why = await runStep(step.detail, process.execPath, [path.join(electronDir, 'install.js')], {
      countBytes: true,
      reasonFrom: 'first-error',
    });
    if (why) failed.electron = why;
    else if (!electronBinary(electronDir, process.env)) failed.electron = 'the installer finished without a binary';
    else say(`Electron ${versions.electron} is installed`);
  } else {
    const why = await runStep(step.detail, process.execPath, [path.join(root, 'scripts', 'build-electron-sqlite.js')]);
    if (why) failed.sqlite = why;
    else if (!electronSqliteBuilt(nativeDir, versions)) failed.sqlite = 'the build finished without the module';
  }
  step = nextStep(facts(failed));
}

let child;
if (step.action === 'serve') {
  say(`the desktop window cannot open: ${step.reason}.`);
  say('starting serve mode instead: open the URL it prints below in a browser.');
  child = spawn(process.execPath, [path.join(root, 'bin', 'srlab.js'), 'serve', ...args], { stdio: 'inherit' });
} else {
  child = spawn(electronBinary(electronDir, process.env), [root, ...args], { stdio: 'inherit' });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
