#!/usr/bin/env node
// Build better-sqlite3 a second time, against Electron's ABI, into native/electron/. The Node
// build in node_modules stays as it is, so tests, CLI and serve mode keep working; the desktop
// app passes this file to better-sqlite3's `nativeBinding` option (src/main/index.ts).
// Needs the network (Electron's headers) and a C++ toolchain, like any native rebuild.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { moduleAbi } from './start-probes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const betterSqlite3Version = require('better-sqlite3/package.json').version;
const source = path.dirname(require.resolve('better-sqlite3/package.json'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'srlab-electron-sqlite-'));

fs.cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
const env = { ...process.env };
// A `nodedir` (Node's own headers) silently builds for Node's ABI again. Deleting it from the
// environment is not enough: `npm exec` reads it back from the user's or the global npmrc (e.g.
// `nodedir=/usr`) and node-gyp prefers it to --target. So npm gets copies of both files
// without that line (registry, proxy and auth settings kept).
delete env.npm_config_nodedir;
delete env.NPM_CONFIG_NODEDIR;
function npmrcWithoutNodedir(which) {
  const r = spawnSync('npm', ['config', 'get', which], { encoding: 'utf8', env });
  const file = r.status === 0 ? r.stdout.trim() : '';
  const kept = file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split(/\r?\n/) : [];
  const copy = path.join(work, `.srlab-${which}`);
  fs.writeFileSync(copy, kept.filter((line) => !/^\s*nodedir\s*=/i.test(line)).join('\n'));
  return copy;
}
const args = [
  'exec',
  '--yes',
  `--userconfig=${npmrcWithoutNodedir('userconfig')}`,
  `--globalconfig=${npmrcWithoutNodedir('globalconfig')}`,
  '--',
  'node-gyp',
  'rebuild',
  '--release',
  `--target=${electronVersion}`,
  '--runtime=electron',
  '--dist-url=https://electronjs.org/headers',
];
console.error(`building better-sqlite3 ${betterSqlite3Version} for Electron ${electronVersion} in ${work}`);
const r = spawnSync('npm', args, { cwd: work, stdio: 'inherit', env });
if (r.status !== 0) {
  fs.rmSync(work, { recursive: true, force: true });
  console.error(`node-gyp failed (exit ${r.status ?? r.signal}); see its output above`);
  process.exit(r.status ?? 1);
}
const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
// The module must register for Electron's ABI (node_modules/electron/abi_version), not Node's:
// a build against the wrong headers compiles fine and only fails when the window opens.
const abi = fs.readFileSync(require.resolve('electron/abi_version'), 'utf8').trim();
const registered = moduleAbi(built);
if (registered !== abi) {
  fs.rmSync(work, { recursive: true, force: true });
  console.error(`the build is for ABI ${registered ?? '?'}, not Electron ${electronVersion}'s ${abi}; nothing written`);
  process.exit(1);
}
const outDir = path.join(root, 'native', 'electron');
fs.mkdirSync(outDir, { recursive: true });
fs.copyFileSync(built, path.join(outDir, 'better_sqlite3.node'));
// Which versions this module is for: `npm start` builds again after either is upgraded.
fs.writeFileSync(
  path.join(outDir, 'build.json'),
  JSON.stringify({ electron: electronVersion, betterSqlite3: betterSqlite3Version }) + '\n',
);
fs.rmSync(work, { recursive: true, force: true });
console.error(`wrote ${path.join(outDir, 'better_sqlite3.node')}`);
