// node-llama-cpp takes about a second to import (it probes its native bindings), so it is
// loaded on first use: CLI verbs, serve mode and the desktop app that never touch a model
// start without paying for it. Types are imported statically; they cost nothing at run time.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as NodeLlamaCpp from 'node-llama-cpp';

export type NodeLlamaCppModule = typeof NodeLlamaCpp;

let loaded: NodeLlamaCppModule | null = null;
let loading: Promise<NodeLlamaCppModule> | null = null;

export function loadNodeLlamaCpp(): Promise<NodeLlamaCppModule> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= import('node-llama-cpp').then((m) => (loaded = m));
  return loading;
}

/** The module, for synchronous code that runs after a `loadNodeLlamaCpp()` on the same path. */
export function nodeLlamaCpp(): NodeLlamaCppModule {
  if (!loaded) throw new Error('node-llama-cpp is not loaded yet: await loadNodeLlamaCpp() first');
  return loaded;
}

/** The installed version, read from its package.json (which its `exports` map does not expose). */
export const NODE_LLAMA_CPP_VERSION: string = (() => {
  try {
    let dir = path.dirname(createRequire(import.meta.url).resolve('node-llama-cpp'));
    for (let i = 0; i < 6; i++) {
      const pkg = path.join(dir, 'package.json');
      if (fs.existsSync(pkg)) {
        const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
        if (json.name === 'node-llama-cpp' && json.version) return json.version;
      }
      dir = path.dirname(dir);
    }
  } catch {
    /* fall through */
  }
  return 'unknown';
})();
