// The tiny llama GGUF (random weights, fixed seed) and a LoRA adapter for it, written once per
// test process by scripts/make-tiny-gguf.js: no weights are downloaded or committed.
import path from 'node:path';
import { writeTinyLora, writeTinyModel } from '../../../scripts/make-tiny-gguf.js';
import { tempDir } from '../../helpers';

let files: { dir: string; model: string; adapter: string } | undefined;

export function tinyModelFiles(): { dir: string; model: string; adapter: string } {
  if (files) return files;
  const dir = tempDir('srlab-tiny-gguf-');
  const model = path.join(dir, 'tiny.gguf');
  const adapter = path.join(dir, 'tiny-lora.gguf');
  writeTinyModel(model);
  writeTinyLora(adapter);
  files = { dir, model, adapter };
  return files;
}

/** Tests run on 2 cores: one thread per context (llama.cpp's default count is far slower here). */
process.env.SRLAB_THREADS = '1';
