#!/usr/bin/env node
// The `srlab` command. The CLI is TypeScript compiled by `npm run build` into out/main/cli.js.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out', 'main', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('srlab: not built yet. Run `npm run build` in the srlab folder first.\n');
  process.exit(1);
}
await import(pathToFileURL(cli).href);
