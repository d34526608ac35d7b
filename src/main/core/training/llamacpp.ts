// llama.cpp's converter scripts from the sources node-llama-cpp ships (llama/gitRelease.bundle),
// so GGUFs are written by the same llama.cpp the runtime loads. Extracted once per bundle commit.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ApiError } from '../../../shared/contract';
import { cacheRoot } from '../worker/paths';

function bundlePath(): string {
  // Its package.json is not exported: resolve the entry point and walk up to the package root.
  let dir = path.dirname(createRequire(import.meta.url).resolve('node-llama-cpp'));
  while (!fs.existsSync(path.join(dir, 'llama', 'gitRelease.bundle')) && path.dirname(dir) !== dir)
    dir = path.dirname(dir);
  return path.join(dir, 'llama', 'gitRelease.bundle');
}

export function ensureLlamaCpp(): string {
  const bundle = bundlePath();
  if (!fs.existsSync(bundle)) throw new ApiError('failed', `node-llama-cpp ships no llama.cpp sources at ${bundle}`);
  let head: string;
  try {
    head = execFileSync('git', ['bundle', 'list-heads', bundle], { encoding: 'utf8' }).split(/\s/)[0]!;
  } catch (err) {
    throw new ApiError('failed', `git is needed to unpack llama.cpp's converters: ${(err as Error).message}`);
  }
  const dir = path.join(cacheRoot(), `llama.cpp-${head.slice(0, 12)}`);
  if (fs.existsSync(path.join(dir, 'convert_hf_to_gguf.py'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  execFileSync('git', ['-c', 'advice.detachedHead=false', 'clone', '--quiet', bundle, tmp], { stdio: 'ignore' });
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another process won the race
  }
  return dir;
}
