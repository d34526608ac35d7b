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

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const source = path.dirname(require.resolve('better-sqlite3/package.json'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'srlab-electron-sqlite-'));

fs.cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
const env = { ...process.env };
// A user-level nodedir (Node's own headers) would silently build for Node again.
delete env.npm_config_nodedir;
delete env.NPM_CONFIG_NODEDIR;
const args = [
  'exec',
  '--yes',
  '--',
  'node-gyp',
  'rebuild',
  '--release',
  `--target=${electronVersion}`,
  '--runtime=electron',
  '--dist-url=https://electronjs.org/headers',
];
console.error(`building better-sqlite3 for Electron ${electronVersion} in ${work}`);
const r = spawnSync('npm', args, { cwd: work, stdio: 'inherit', env });
if (r.status !== 0) process.exit(r.status ?? 1);
const outDir = path.join(root, 'native', 'electron');
fs.mkdirSync(outDir, { recursive: true });
fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), path.join(outDir, 'better_sqlite3.node'));
fs.rmSync(work, { recursive: true, force: true });
console.error(`wrote ${path.join(outDir, 'better_sqlite3.node')}`);
