// Writes the training config's JSON Schema (generated from the contract's zod TrainConfig) to
// python-worker/srlab_worker/train_config.schema.json, which the worker validates every config
// against and builds its dataclass from. Run after changing TrainConfig: `npm run gen:worker-schema`
// (tests/unit/worker/worker-contract.test.ts fails while the committed file is stale).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRAIN_CONFIG_SCHEMA_PATH, trainConfigSchemaText } from '../src/shared/train-config-schema';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, TRAIN_CONFIG_SCHEMA_PATH);
fs.writeFileSync(out, trainConfigSchemaText());
console.log(`wrote ${path.relative(root, out)}`);
