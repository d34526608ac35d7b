// What `npm start` does next, decided from facts it is given — no file system, no environment,
// no network here, so every branch is unit-tested (tests/unit/start-decision.test.ts). The
// probes that gather the facts are in start-probes.js; scripts/start.js runs the loop:
// gather facts → nextStep → do it (download, build, open the window or serve) → gather again.

/** Vite 8, electron-vite 6 and yargs 18 (the build and the CLI) declare `^20.19.0 || >=22.12.0`. */
export const NODE_RANGE = '^20.19.0 || >=22.12.0';
/** Electron 45's installer (and @electron/get under it) declares Node >= 22.12.0. */
export const ELECTRON_INSTALLER_NODE = '22.12.0';

/** [major, minor, patch] of "v22.12.0" or "22.12.0"; null when it is not a version. */
export function parseVersion(version) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(String(version));
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** a >= b for "x.y.z" versions (an unparsable `a` counts as older). */
export function versionAtLeast(a, b) {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return false;
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return true;
}

/** Whether this Node runs srlab at all (build, CLI, serve mode): NODE_RANGE. */
export function nodeSupported(version) {
  const v = parseVersion(version);
  if (!v) return false;
  return v[0] === 20 ? versionAtLeast(version, '20.19.0') : versionAtLeast(version, '22.12.0');
}

/**
 * Why no window can show here, or null when one can. Linux and the BSDs need an X or Wayland
 * display (an SSH session without -X has neither); macOS and Windows always have one.
 */
export function whyNoDisplay(platform, env) {
  if (platform === 'darwin' || platform === 'win32') return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'no display (DISPLAY and WAYLAND_DISPLAY are unset), e.g. a headless server or an SSH session';
}

/**
 * The next step of `npm start`.
 *
 * facts: {
 *   platform: NodeJS.Platform, env: { SRLAB_SERVE?, DISPLAY?, WAYLAND_DISPLAY? }, nodeVersion: string,
 *   electronVersion: string,
 *   electronBinary: boolean,   // node_modules/electron/dist holds this version's binary
 *   electronSqlite: boolean,   // native/electron/better_sqlite3.node, built for this Electron
 *   failed: { electron?: string, sqlite?: string }   // what went wrong when `npm start` tried it
 * }
 *
 * Returns one of
 *   { action: 'refuse', reason }            this Node cannot run srlab at all
 *   { action: 'serve', reason }             no window: serve mode, saying why
 *   { action: 'install-electron', detail }  run electron's own installer (downloads the binary)
 *   { action: 'build-sqlite', detail }      build better-sqlite3 for Electron's ABI
 *   { action: 'desktop' }                   open the window
 */
export function nextStep(facts) {
  const { platform, env, nodeVersion, electronVersion, electronBinary, electronSqlite } = facts;
  const failed = facts.failed ?? {};
  if (!nodeSupported(nodeVersion)) {
    return {
      action: 'refuse',
      reason: `srlab needs Node ${NODE_RANGE} (this is Node ${nodeVersion}); install Node 22.12 or newer (or 20.19+)`,
    };
  }
  if (env.SRLAB_SERVE === '1') return { action: 'serve', reason: 'SRLAB_SERVE=1 asks for serve mode' };
  const noDisplay = whyNoDisplay(platform, env);
  if (noDisplay) return { action: 'serve', reason: noDisplay };

  if (!electronBinary) {
    // The installer declares Node >= 22.12 but runs on 20.19+ (require(esm) is what it needs;
    // checked on Node 20.20.2: it gets to the download, and its unzip module works). So it is
    // tried there too, saying so, and a failure then names the Node version as a likely cause.
    const oldNode = versionAtLeast(nodeVersion, ELECTRON_INSTALLER_NODE)
      ? null
      : `Electron's installer declares Node >= ${ELECTRON_INSTALLER_NODE} (this is Node ${nodeVersion})`;
    if (failed.electron) {
      return {
        action: 'serve',
        reason:
          `the Electron ${electronVersion} binary could not be downloaded (${failed.electron})` +
          (oldNode
            ? `; ${oldNode}, so if the error is not the network's, Node ${ELECTRON_INSTALLER_NODE}+ may help`
            : '') +
          '; to try again: npm start, or node node_modules/electron/install.js',
      };
    }
    return {
      action: 'install-electron',
      detail:
        `downloading the Electron ${electronVersion} binary with Electron's own installer (about 100 MB, once)` +
        (oldNode ? `; ${oldNode}, trying it anyway` : ''),
    };
  }

  if (!electronSqlite) {
    if (failed.sqlite) {
      return {
        action: 'serve',
        reason:
          `better-sqlite3 could not be built for Electron ${electronVersion} (${failed.sqlite}); it needs the network ` +
          '(Electron headers) and a C++ toolchain; to try again: npm run build:electron-sqlite',
      };
    }
    return {
      action: 'build-sqlite',
      detail: `building better-sqlite3 for Electron ${electronVersion}'s ABI into native/electron/ (once; a minute or two)`,
    };
  }
  return { action: 'desktop' };
}
