#!/usr/bin/env node
// `npm start`: build if the sources changed, then open the desktop window — or, where it cannot
// open (no display, no Electron binary: headless GPU servers, CI), say why and start serve mode.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

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
  console.error('srlab: building…');
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Why the desktop window cannot open here, or null if it can. */
function whyNoDesktop() {
  if (process.env.SRLAB_SERVE === '1') return 'SRLAB_SERVE=1 asks for serve mode';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display (DISPLAY and WAYLAND_DISPLAY are unset), e.g. a headless server or SSH session';
  }
  try {
    const binary = require('electron');
    if (typeof binary !== 'string' || !fs.existsSync(binary)) throw new Error('missing');
    return null;
  } catch {
    return 'the Electron binary is not installed (srlab skips its download; to add it: node node_modules/electron/install.js)';
  }
}

ensureBuilt();
const reason = whyNoDesktop();
const child = reason
  ? (console.error(
      `srlab: the desktop window cannot open: ${reason}.\nsrlab: starting serve mode instead; open the URL below in a browser (over SSH: ssh -L 7860:127.0.0.1:7860 <host>).`,
    ),
    spawn(process.execPath, [path.join(root, 'bin', 'srlab.js'), 'serve', ...args], { stdio: 'inherit' }))
  : spawn(require('electron'), [root, ...args], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
