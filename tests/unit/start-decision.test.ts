// `npm start`'s decisions (scripts/start-decision.js) for every case a user meets — display or
// none, the Electron binary there or not, its download failing, Node older than the installer
// declares or too old for srlab, the Electron build of better-sqlite3 missing or failing, everything installed —
// and the disk probes (scripts/start-probes.js) on real temporary folders. The facts are passed
// in, so no display and no network are needed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  nextStep,
  nodeSupported,
  versionAtLeast,
  type StartFacts,
  type StartStep,
} from '../../scripts/start-decision.js';
import { electronBinary, electronSqliteBuilt, moduleAbi } from '../../scripts/start-probes.js';
import { REPO_ROOT, tempDir } from '../helpers';

const DESKTOP_LINUX: StartFacts = {
  platform: 'linux',
  env: { DISPLAY: ':0' },
  nodeVersion: 'v22.12.0',
  electronVersion: '45.5.0',
  electronBinary: true,
  electronSqlite: true,
  failed: {},
};

function step(over: Partial<StartFacts>): StartStep {
  return nextStep({ ...DESKTOP_LINUX, ...over });
}

function reasonOf(s: StartStep): string {
  if (s.action !== 'serve' && s.action !== 'refuse') throw new Error(`expected serve or refuse, got ${s.action}`);
  return s.reason;
}

describe('nextStep', () => {
  test('everything installed and a display: the desktop window', () => {
    expect(step({})).toEqual({ action: 'desktop' });
    expect(step({ env: { WAYLAND_DISPLAY: 'wayland-0' } })).toEqual({ action: 'desktop' });
    // macOS and Windows need no DISPLAY variable.
    expect(step({ platform: 'darwin', env: {} })).toEqual({ action: 'desktop' });
    expect(step({ platform: 'win32', env: {} })).toEqual({ action: 'desktop' });
  });

  test('no display on Linux: serve mode, saying so, whatever is installed', () => {
    for (const installed of [true, false]) {
      const s = step({ env: {}, electronBinary: installed, electronSqlite: installed });
      expect(s.action).toBe('serve');
      expect(reasonOf(s)).toMatch(/no display \(DISPLAY and WAYLAND_DISPLAY are unset\)/);
    }
    expect(step({ platform: 'freebsd', env: {} }).action).toBe('serve');
  });

  test('SRLAB_SERVE=1 asks for serve mode even with a display', () => {
    expect(reasonOf(step({ env: { DISPLAY: ':0', SRLAB_SERVE: '1' } }))).toBe('SRLAB_SERVE=1 asks for serve mode');
  });

  test('a display and no Electron binary: download it with its own installer (Node >= 22.12)', () => {
    for (const nodeVersion of ['v22.12.0', 'v24.1.0']) {
      const s = step({ nodeVersion, electronBinary: false, electronSqlite: false });
      expect(s.action).toBe('install-electron');
      expect(s.action === 'install-electron' && s.detail).toMatch(/Electron 45\.5\.0 binary/);
      expect(s.action === 'install-electron' && s.detail).not.toContain('anyway');
    }
  });

  test('the download failed: serve mode with the error and how to try again, and no second attempt', () => {
    const s = step({ electronBinary: false, electronSqlite: false, failed: { electron: 'it exited with 1' } });
    expect(s.action).toBe('serve');
    expect(reasonOf(s)).toContain('could not be downloaded (it exited with 1)');
    expect(reasonOf(s)).toContain('node node_modules/electron/install.js');
  });

  test('Node 20.19+ (older than the 22.12 the installer declares): tried anyway, saying so; a failure names it', () => {
    const s = step({ nodeVersion: 'v20.19.0', electronBinary: false });
    expect(s.action).toBe('install-electron');
    expect(s.action === 'install-electron' && s.detail).toContain(
      "Electron's installer declares Node >= 22.12.0 (this is Node v20.19.0), trying it anyway",
    );
    const failedOld = step({ nodeVersion: 'v20.19.0', electronBinary: false, failed: { electron: 'fetch failed' } });
    expect(reasonOf(failedOld)).toContain("if the error is not the network's, Node 22.12.0+ may help");
    // On a new enough Node the failure does not blame the version.
    const failedNew = step({ electronBinary: false, failed: { electron: 'fetch failed' } });
    expect(reasonOf(failedNew)).not.toContain('22.12');
    // Once the binary is there, Electron runs its own Node: Node 20.19 opens the window.
    expect(step({ nodeVersion: 'v20.19.0' })).toEqual({ action: 'desktop' });
  });

  test('the binary present but no Electron build of better-sqlite3: build it; when that fails, serve mode', () => {
    expect(step({ electronSqlite: false }).action).toBe('build-sqlite');
    expect(step({ nodeVersion: 'v20.20.2', electronSqlite: false }).action).toBe('build-sqlite');
    const s = step({ electronSqlite: false, failed: { sqlite: 'it exited with 1' } });
    expect(reasonOf(s)).toContain('better-sqlite3 could not be built for Electron 45.5.0 (it exited with 1)');
    expect(reasonOf(s)).toContain('npm run build:electron-sqlite');
  });

  test('a Node that cannot run srlab at all is refused before anything else', () => {
    for (const v of ['v18.20.4', 'v20.18.3', 'v21.7.3', 'v22.11.0', 'not-a-version']) {
      const s = step({ nodeVersion: v, env: {} });
      expect(s.action, v).toBe('refuse');
      expect(reasonOf(s)).toContain('srlab needs Node ^20.19.0 || >=22.12.0 (this is Node ' + v);
    }
  });

  // The loop scripts/start.js runs: each step is tried at most once, and it always ends.
  function simulate(initial: Partial<StartFacts>, outcome: { electron: boolean; sqlite: boolean }) {
    const facts: StartFacts = { ...DESKTOP_LINUX, ...initial, failed: {} };
    const tried: string[] = [];
    let s = nextStep(facts);
    while (s.action === 'install-electron' || s.action === 'build-sqlite') {
      tried.push(s.action);
      expect(tried.length).toBeLessThanOrEqual(2);
      if (s.action === 'install-electron') {
        if (outcome.electron) facts.electronBinary = true;
        else facts.failed = { ...facts.failed, electron: 'fetch failed' };
      } else if (outcome.sqlite) facts.electronSqlite = true;
      else facts.failed = { ...facts.failed, sqlite: 'node-gyp failed' };
      s = nextStep(facts);
    }
    return { tried, final: s };
  }

  test('a fresh desktop install: download, then build, then the window', () => {
    const r = simulate({ electronBinary: false, electronSqlite: false }, { electron: true, sqlite: true });
    expect(r.tried).toEqual(['install-electron', 'build-sqlite']);
    expect(r.final).toEqual({ action: 'desktop' });
  });

  test('a failing download ends in serve mode after one try, the build never tried', () => {
    const r = simulate({ electronBinary: false, electronSqlite: false }, { electron: false, sqlite: true });
    expect(r.tried).toEqual(['install-electron']);
    expect(r.final.action).toBe('serve');
  });

  test('versions compare numerically', () => {
    expect(versionAtLeast('v22.12.0', '22.12.0')).toBe(true);
    expect(versionAtLeast('v22.9.0', '22.12.0')).toBe(false);
    expect(versionAtLeast('v100.0.0', '22.12.0')).toBe(true);
    expect(nodeSupported('v20.19.0')).toBe(true);
    expect(nodeSupported('v23.0.0')).toBe(true);
  });
});

describe('start probes', () => {
  function fakeElectron(opts: { distVersion?: string; pathTxt?: string; binary?: boolean }) {
    const dir = tempDir('srlab-start-electron-');
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0' }));
    fs.mkdirSync(path.join(dir, 'dist'));
    if (opts.pathTxt !== undefined) fs.writeFileSync(path.join(dir, 'path.txt'), opts.pathTxt);
    if (opts.distVersion !== undefined) fs.writeFileSync(path.join(dir, 'dist', 'version'), opts.distVersion);
    if (opts.binary) fs.writeFileSync(path.join(dir, 'dist', 'electron'), '');
    return dir;
  }

  test("the Electron binary counts as installed exactly when electron's own installer would say so", () => {
    const ok = fakeElectron({ distVersion: 'v45.5.0', pathTxt: 'electron', binary: true });
    expect(electronBinary(ok)).toBe(path.join(ok, 'dist', 'electron'));
    // What `npm install` leaves with the download skipped: no path.txt, no dist.
    expect(electronBinary(fakeElectron({}))).toBeNull();
    expect(electronBinary(fakeElectron({ distVersion: '45.5.0', pathTxt: 'electron' }))).toBeNull();
    // A binary of another version (electron upgraded in package.json) must be fetched again.
    expect(electronBinary(fakeElectron({ distVersion: '44.0.0', pathTxt: 'electron', binary: true }))).toBeNull();
  });

  test('the Electron build of better-sqlite3 counts when present, for Electron’s ABI and these versions', () => {
    const versions = { electron: '45.5.0', betterSqlite3: '12.11.1', abi: '150' };
    const stamp = { electron: versions.electron, betterSqlite3: versions.betterSqlite3 };
    const dir = tempDir('srlab-start-native-');
    const module = path.join(dir, 'better_sqlite3.node');
    expect(electronSqliteBuilt(dir, versions)).toBe(false);
    fs.writeFileSync(module, 'ELF…node_register_module_v150…');
    expect(electronSqliteBuilt(dir, versions)).toBe(true); // built by hand before stamps: judged by its ABI
    fs.writeFileSync(path.join(dir, 'build.json'), JSON.stringify(stamp));
    expect(electronSqliteBuilt(dir, versions)).toBe(true);
    fs.writeFileSync(path.join(dir, 'build.json'), JSON.stringify({ ...stamp, electron: '44.0.0' }));
    expect(electronSqliteBuilt(dir, versions)).toBe(false);
    fs.writeFileSync(path.join(dir, 'build.json'), JSON.stringify(stamp));
    // A module registering Node's ABI (built against Node's headers by mistake) is not Electron's.
    fs.writeFileSync(module, 'ELF…node_register_module_v115…');
    expect(electronSqliteBuilt(dir, versions)).toBe(false);
  });

  test("the ABI check reads the real modules: node_modules' better-sqlite3 is Node's, Electron 45's is 150", () => {
    const nodeBuild = path.join(REPO_ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    expect(moduleAbi(nodeBuild)).toBe(process.versions.modules);
    const electronAbi = fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'electron', 'abi_version'), 'utf8').trim();
    expect(electronAbi).not.toBe(process.versions.modules);
    // So the Node build copied into native/electron would be refused, and rebuilt.
    const dir = tempDir('srlab-start-native-');
    fs.copyFileSync(nodeBuild, path.join(dir, 'better_sqlite3.node'));
    expect(electronSqliteBuilt(dir, { electron: '45.5.0', betterSqlite3: '12.11.1', abi: electronAbi })).toBe(false);
  });
});
