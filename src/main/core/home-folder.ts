// The data home's own folders (models/, bases/) let a browser choose a server file by its name
// alone. A name is one path segment, resolved inside its folder only: separators, `.`/`..` and
// links that lead out of the folder are refused, so no name reaches anything else on the server.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/contract';

/** True when `name` is one plain path segment (what a browser may give). */
export function isPlainName(name: string): boolean {
  return name.length > 0 && !/[/\\\0]/.test(name) && name !== '.' && name !== '..';
}

/** `real` lies inside `root` (both real paths). */
function inside(root: string, real: string): boolean {
  const rel = path.relative(root, real);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The entries of `folder` (one level) that resolve inside it, each with its real path and
 * whether it is a file or a folder; links out of the folder and broken links are left out.
 * An absent folder has none.
 */
export function folderEntries(folder: string): { name: string; real: string; isDir: boolean; isFile: boolean }[] {
  let root: string;
  try {
    root = fs.realpathSync(folder);
  } catch {
    return [];
  }
  const out: { name: string; real: string; isDir: boolean; isFile: boolean }[] = [];
  for (const name of fs.readdirSync(root).sort()) {
    let real: string;
    try {
      real = fs.realpathSync(path.join(root, name));
    } catch {
      continue; // a broken link
    }
    if (!inside(root, real)) continue;
    const st = fs.statSync(real);
    out.push({ name, real, isDir: st.isDirectory(), isFile: st.isFile() });
  }
  return out;
}

/**
 * The real path of entry `name` of `folder`, for a name a caller gave: `what` names the kind of
 * entry in errors ("model file", "base folder"). Throws invalid-input for a name that is not one
 * plain segment or that leads out of the folder (a link), not-found when there is no such entry.
 */
export function resolveInFolder(folder: string, name: string, what: string): string {
  if (!isPlainName(name))
    throw new ApiError('invalid-input', `"${name}" is not a ${what} name: give a name in ${folder}, not a path`);
  let root: string;
  let real: string;
  try {
    root = fs.realpathSync(folder);
    real = fs.realpathSync(path.join(root, name));
  } catch {
    throw new ApiError('not-found', `no ${what} "${name}" in ${folder}`);
  }
  if (!inside(root, real))
    throw new ApiError(
      'invalid-input',
      `${what} "${name}" is a link that leads out of ${folder}; put the ${what} itself there`,
    );
  return real;
}
