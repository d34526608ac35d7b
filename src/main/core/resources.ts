import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `resources/` folder: beside `src/` in a checkout, beside `out/` after a build, or
 * `process.resourcesPath` in a packaged desktop app. Found by walking up from this module.
 */
export function resourcesDir(): string {
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged && fs.existsSync(path.join(packaged, 'demo'))) return packaged;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'resources');
    if (fs.existsSync(path.join(candidate, 'demo'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the srlab resources folder');
    dir = parent;
  }
}

export function packageVersion(): string {
  const pkg = path.join(resourcesDir(), '..', 'package.json');
  try {
    return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
