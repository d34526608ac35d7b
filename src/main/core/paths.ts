import os from 'node:os';
import path from 'node:path';

/**
 * The data home shared by desktop, serve mode and CLI: `SRLAB_HOME` if set, else the OS
 * data dir for "srlab" — the same folder Electron's `app.getPath('userData')` gives for an
 * app named srlab, so all three faces open one library.
 */
export function defaultHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.SRLAB_HOME) return path.resolve(env.SRLAB_HOME);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'srlab');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'srlab');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'srlab');
}

export interface HomePaths {
  home: string;
  db: string;
  rejects: string;
  exports: string;
  uploads: string;
  /** GGUF files: downloads (in owner/repo/ subfolders) and files the user drops in to add by name. */
  models: string;
  /** Base model folders for training, chosen by name (`bases:NAME`). */
  bases: string;
}

export function homePaths(home: string): HomePaths {
  return {
    home,
    db: path.join(home, 'srlab.sqlite'),
    rejects: path.join(home, 'rejects'),
    exports: path.join(home, 'exports'),
    uploads: path.join(home, 'uploads'),
    models: path.join(home, 'models'),
    bases: path.join(home, 'bases'),
  };
}
