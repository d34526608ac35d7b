// The facts `npm start` decides on (start-decision.js), read from the disk. Each probe takes the
// folders it looks in, so tests point them at temporary folders.
import fs from 'node:fs';
import path from 'node:path';

/** The stamp build-electron-sqlite.js writes beside the module: which versions it was built for. */
export const SQLITE_STAMP = 'build.json';
export const SQLITE_MODULE = 'better_sqlite3.node';

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The Electron executable that `electronDir` (node_modules/electron) has downloaded, or null.
 * The same test as electron's own install.js (isInstalled): dist/version names the package's
 * version, path.txt names the executable, and the executable is there. Unlike
 * `require('electron')`, this never starts a download itself.
 */
export function electronBinary(electronDir, env = {}) {
  const pkg = readText(path.join(electronDir, 'package.json'));
  const relative = readText(path.join(electronDir, 'path.txt'));
  if (!pkg || !relative) return null;
  const version = JSON.parse(pkg).version;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const file = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative);
    return fs.existsSync(file) ? file : null;
  }
  if (
    readText(path.join(electronDir, 'dist', 'version'))
      ?.trim()
      .replace(/^v/, '') !== version
  )
    return null;
  const file = path.join(electronDir, 'dist', relative);
  return fs.existsSync(file) ? file : null;
}

/**
 * The ABI a native module registers for (NODE_MODULE_VERSION: Node 20 is 115, Electron 45 is
 * 150), read from its `node_register_module_v<N>` symbol; null when it has none (N-API modules).
 */
export function moduleAbi(file) {
  try {
    return (
      fs
        .readFileSync(file)
        .toString('latin1')
        .match(/node_register_module_v(\d+)/)?.[1] ?? null
    );
  } catch {
    return null;
  }
}

/**
 * Whether `nativeDir` (native/electron) holds better-sqlite3 built for this Electron (its ABI,
 * `versions.abi` from node_modules/electron/abi_version) and this better-sqlite3. A module
 * without a stamp (built by hand before stamps existed) is judged by its ABI alone; a stamp
 * naming other versions means an upgrade happened, so it is built again.
 */
export function electronSqliteBuilt(nativeDir, versions) {
  const file = path.join(nativeDir, SQLITE_MODULE);
  if (!fs.existsSync(file) || moduleAbi(file) !== versions.abi) return false;
  const stamp = readText(path.join(nativeDir, SQLITE_STAMP));
  if (stamp === null) return true;
  try {
    const built = JSON.parse(stamp);
    return built.electron === versions.electron && built.betterSqlite3 === versions.betterSqlite3;
  } catch {
    return false;
  }
}
