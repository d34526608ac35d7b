// The model library: registered GGUF files (read in place, never copied) and downloads.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/contract';
import type { GgufSummary, ModelInfo, ModelSource, RecommendedModel } from '../../../shared/contracts/llm';
import type { Db } from '../db';

interface ModelRow {
  id: number;
  name: string;
  path: string;
  size_bytes: number;
  sha256: string;
  source: string;
  gguf: string;
  added_at: string;
}

function rowToModel(r: ModelRow): ModelInfo {
  return {
    id: r.id,
    name: r.name,
    path: r.path,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    source: JSON.parse(r.source) as ModelSource,
    gguf: JSON.parse(r.gguf) as GgufSummary,
    addedAt: r.added_at,
    missing: !fs.existsSync(r.path),
  };
}

/** Known-good models srlab suggests; pulled on request, never bundled. Sizes are approximate. */
export const RECOMMENDED_MODELS: RecommendedModel[] = [
  {
    name: 'llama-2-7b-chat.Q4_K_M',
    uri: 'hf:TheBloke/Llama-2-7B-Chat-GGUF/llama-2-7b-chat.Q4_K_M.gguf',
    description:
      "The paper's base model (Llama-2-7B-chat), 4-bit: the baseline SR_LLM is fine-tuned from. Needs the Llama 2 licence.",
    approxSizeBytes: 4.08e9,
    approxMemoryBytes: 6.6e9,
  },
  {
    name: 'llama-2-13b-chat.Q4_K_M',
    uri: 'hf:TheBloke/Llama-2-13B-chat-GGUF/llama-2-13b-chat.Q4_K_M.gguf',
    description: "Llama-2-13B-chat, 4-bit: the paper's larger chat baseline.",
    approxSizeBytes: 7.87e9,
    approxMemoryBytes: 10.4e9,
  },
  {
    name: 'Llama-3.2-1B-Instruct-Q4_K_M',
    uri: 'hf:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    description: 'A small instruct model for laptops without a GPU: quick to try the workflow end to end.',
    approxSizeBytes: 0.81e9,
    approxMemoryBytes: 1.6e9,
  },
  {
    name: 'qwen2.5-1.5b-instruct-q4_k_m',
    uri: 'hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf',
    description: 'Another small instruct model (Apache-2.0), good at following rewrite instructions for its size.',
    approxSizeBytes: 1.12e9,
    approxMemoryBytes: 2.0e9,
  },
];

/** A default model name from the file name: "llama-2-7b-chat.Q4_K_M.gguf" → "llama-2-7b-chat.Q4_K_M". */
export function nameFromFile(file: string): string {
  const base = path.basename(file).replace(/\.gguf$/i, '');
  const cleaned = base.replace(/[^\p{L}\p{N} ._:+-]/gu, '-').replace(/^[^\p{L}\p{N}]+/u, '');
  return (cleaned || 'model').slice(0, 120);
}

export interface ModelLibrary {
  list(): ModelInfo[];
  /** By name; ApiError not-found listing the names there are. */
  get(name: string): ModelInfo;
  has(name: string): boolean;
  findByPath(file: string): ModelInfo | null;
  findBySource(uri: string): ModelInfo | null;
  insert(m: {
    name: string;
    path: string;
    sizeBytes: number;
    sha256: string;
    source: ModelSource;
    gguf: GgufSummary;
  }): ModelInfo;
  remove(name: string): ModelInfo;
}

export function createModelLibrary(db: Db, now: () => Date): ModelLibrary {
  const byName = db.prepare<[string], ModelRow>('SELECT * FROM models WHERE name = ?');
  return {
    list() {
      return db.prepare<[], ModelRow>('SELECT * FROM models ORDER BY name').all().map(rowToModel);
    },
    get(name) {
      const row = byName.get(name);
      if (!row) {
        const names = db
          .prepare<[], { name: string }>('SELECT name FROM models ORDER BY name')
          .all()
          .map((r) => r.name);
        throw new ApiError(
          'not-found',
          `no model "${name}"${names.length ? ` (have: ${names.join(', ')})` : ' (none added yet: srlab models add FILE.gguf, or srlab models pull hf:OWNER/REPO/FILE.gguf)'}`,
        );
      }
      return rowToModel(row);
    },
    has(name) {
      return byName.get(name) !== undefined;
    },
    findByPath(file) {
      const row = db.prepare<[string], ModelRow>('SELECT * FROM models WHERE path = ?').get(path.resolve(file));
      return row ? rowToModel(row) : null;
    },
    findBySource(uri) {
      const row = db
        .prepare<[string], ModelRow>("SELECT * FROM models WHERE json_extract(source, '$.uri') = ?")
        .get(uri);
      return row ? rowToModel(row) : null;
    },
    insert(m) {
      if (byName.get(m.name))
        throw new ApiError('conflict', `a model named "${m.name}" already exists; choose another name (--name)`);
      db.prepare(
        'INSERT INTO models (name, path, size_bytes, sha256, source, gguf, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        m.name,
        path.resolve(m.path),
        m.sizeBytes,
        m.sha256,
        JSON.stringify(m.source),
        JSON.stringify(m.gguf),
        now().toISOString(),
      );
      return rowToModel(byName.get(m.name)!);
    },
    remove(name) {
      const model = this.get(name);
      db.prepare('DELETE FROM models WHERE id = ?').run(model.id);
      return model;
    },
  };
}
