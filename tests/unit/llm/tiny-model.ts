// The tiny llama GGUF (random weights, fixed seed) and a LoRA adapter for it, written once per
// test process by scripts/make-tiny-gguf.js: no weights are downloaded or committed.
import path from 'node:path';
import { writeTinyLora, writeTinyModel } from '../../../scripts/make-tiny-gguf.js';
import { createCore, type Core } from '../../../src/main/core';
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

/** A core on a fresh home with the tiny model registered as "tiny" (no demo, no keychain, CPU). */
export async function coreWithTinyModel(): Promise<Core> {
  const core = await createCore({
    home: tempDir(),
    loadDemo: false,
    checkOutputs: true,
    secretTool: null,
    runtime: { gpu: false },
  });
  await core.invoke('models.add', { path: tinyModelFiles().model, name: 'tiny' });
  return core;
}
