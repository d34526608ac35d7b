// Development stand-in for `srlab import <file> --dataset bench --home <home> --json`: calls
// runImport directly and prints the ImportResult as one JSON line. Used by bench/import.js
// with `--direct` (run through tsx), e.g. before the CLI is built.
import path from 'node:path';
import { runImport } from '../src/main/core/datasets/import/index';

const [file, home] = process.argv.slice(2);
if (!file || !home) {
  process.stderr.write('usage: tsx bench/import-direct.ts <file> <home>\n');
  process.exit(2);
}
const result = await runImport({
  dbFile: path.join(home, 'srlab.sqlite'),
  rejectsDir: path.join(home, 'rejects'),
  file: path.resolve(file),
  dataset: 'bench',
  format: 'auto',
  strict: false,
});
process.stdout.write(`${JSON.stringify(result)}\n`);
