import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { type LoadOptions, ModelInfo, type Preflight } from '../../../shared/contracts/llm';
import { humanBytes } from '../../core';
import { type GlobalOptions, note, printJson, withCore } from '../context';
import { jobResult } from '../follow';
import { printTable } from './datasets';

/** --threads, --context-size, --gpu-layers: shared by every command that loads a model. */
export interface LoadFlags {
  threads?: number;
  contextSize?: number;
  gpuLayers?: number;
}

export function withLoadFlags<T>(y: Argv<T>) {
  return y
    .option('threads', { type: 'number', describe: 'CPU threads (default: $SRLAB_THREADS, else the CPU math cores)' })
    .option('context-size', {
      type: 'number',
      describe: "tokens of context per sequence (default: the preflight's choice, ≤ 4096)",
    })
    .option('gpu-layers', { type: 'number', describe: 'layers to offload to the GPU (default: as many as fit)' });
}

/** The flags given, as the contract's LoadOptions (which core.call checks: whole numbers, bounds). */
export function loadOptions(argv: LoadFlags): LoadOptions {
  return {
    ...(argv.threads !== undefined ? { threads: argv.threads } : {}),
    ...(argv.contextSize !== undefined ? { contextSize: argv.contextSize } : {}),
    ...(argv.gpuLayers !== undefined ? { gpuLayers: argv.gpuLayers } : {}),
  };
}

const params = (n: number) =>
  n >= 1e9 ? `${(n / 1e9).toFixed(1)}B` : n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : `${(n / 1e3).toFixed(0)}k`;

function printModel(m: ModelInfo): void {
  const g = m.gguf;
  console.log(`${m.name}${m.missing ? '  (FILE MISSING)' : ''}`);
  console.log(`  file          ${m.path} (${humanBytes(m.sizeBytes)})`);
  console.log(`  sha256        ${m.sha256}`);
  console.log(`  source        ${m.source.kind === 'hf' ? m.source.uri : 'local file'}`);
  console.log(`  architecture  ${g.architecture}${g.title ? ` (${g.title})` : ''}`);
  console.log(`  parameters    ${params(g.parameters)}, quantization ${g.quantization ?? 'unknown'}`);
  console.log(
    `  context       ${g.contextLength ?? 'unknown'} tokens, ${g.layers ?? '?'} layers, vocabulary ${g.vocabularySize ?? '?'}`,
  );
  console.log(
    `  chat template ${g.chatTemplate ? 'yes (from the model file)' : 'none (the Llama-2 chat format is used)'}`,
  );
}

export function printPreflight(p: Preflight): void {
  const where = p.gpu ? `${p.gpu}, ${p.gpuLayers}/${p.totalLayers} layers on the GPU` : 'CPU only';
  console.log(
    `${p.fits ? 'fits' : 'DOES NOT FIT'}: ${where}, context ${p.contextSize} × ${p.sequences}, ${p.threads} threads; ` +
      `needs ~${humanBytes(p.estimate.ramBytes)} RAM (${humanBytes(p.free.ramBytes)} free)` +
      (p.gpu ? `, ~${humanBytes(p.estimate.vramBytes)} VRAM (${humanBytes(p.free.vramBytes)} free)` : ''),
  );
  if (p.reason) console.log(`  ${p.reason}`);
}

interface AddOptions extends GlobalOptions {
  file: string;
  name?: string;
}
const addCommand: CommandModule<GlobalOptions, AddOptions> = {
  command: 'add <file>',
  describe: 'Register a GGUF model file (read in place; metadata and sha256 stored)',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true })
      .option('name', { type: 'string', describe: 'library name (default: the file name)' }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      if (!argv.json) note(`Reading ${argv.file} and computing its sha256…`);
      const { model } = await core.invoke('models.add', {
        path: path.resolve(argv.file),
        ...(argv.name !== undefined ? { name: argv.name } : {}),
      });
      if (argv.json) return printJson({ model });
      printModel(model);
    }),
};

interface PullOptions extends GlobalOptions {
  uri: string;
  name?: string;
}
const pullCommand: CommandModule<GlobalOptions, PullOptions> = {
  command: 'pull <uri>',
  describe: 'Download a model from Hugging Face (hf:OWNER/REPO/FILE.gguf); resumes an interrupted download',
  builder: (y) =>
    y
      .positional('uri', { type: 'string', demandOption: true })
      .option('name', { type: 'string', describe: 'library name (default: the file name)' }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const { job } = await core.invoke('models.pull', {
        uri: argv.uri,
        ...(argv.name !== undefined ? { name: argv.name } : {}),
      });
      const model = await jobResult(core, job, ModelInfo);
      if (argv.json) return printJson({ model });
      printModel(model);
    }),
};

interface RemoveOptions extends GlobalOptions {
  name: string;
  deleteFile: boolean;
}
const removeCommand: CommandModule<GlobalOptions, RemoveOptions> = {
  command: 'remove <name>',
  describe: 'Forget a model (--delete-file also deletes a file srlab downloaded)',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true })
      .option('delete-file', { type: 'boolean', default: false }) as unknown as Argv<RemoveOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('models.remove', { name: argv.name, deleteFile: argv.deleteFile });
      if (argv.json) return printJson(out);
      console.log(`removed ${out.removed}${out.fileDeleted ? ' and its file' : ''}`);
    }),
};

interface ShowOptions extends GlobalOptions, LoadFlags {
  name: string;
}
const showCommand: CommandModule<GlobalOptions, ShowOptions> = {
  command: 'show <name>',
  describe: "A model's details and its preflight: GPU layers, context and memory a load would use",
  builder: (y) =>
    withLoadFlags(y.positional('name', { type: 'string', demandOption: true })) as unknown as Argv<ShowOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const { model } = await core.invoke('models.get', { name: argv.name });
      const preflight = await core.invoke('models.preflight', { name: argv.name, load: loadOptions(argv) });
      if (argv.json) return printJson({ model, preflight });
      printModel(model);
      printPreflight(preflight);
    }),
};

export const modelsCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'models',
  describe: 'The model library: list (default), add, pull, show, remove',
  builder: (y) =>
    y
      .command(addCommand as never)
      .command(pullCommand as never)
      .command(showCommand as never)
      .command(removeCommand as never),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('models.list', {});
      if (argv.json) return printJson(out);
      if (out.models.length === 0) {
        console.log('No models yet. Add a GGUF file (srlab models add FILE.gguf) or pull one, e.g.:');
      } else {
        printTable(
          ['model', 'arch', 'params', 'quant', 'context', 'size', 'sha256'],
          out.models.map((m) => [
            m.missing ? `${m.name} (missing)` : m.name,
            m.gguf.architecture,
            params(m.gguf.parameters),
            m.gguf.quantization ?? '?',
            String(m.gguf.contextLength ?? '?'),
            humanBytes(m.sizeBytes),
            m.sha256.slice(0, 12),
          ]),
        );
        console.log('\nRecommended (not bundled; pull on request):');
      }
      for (const r of out.recommended)
        console.log(`  srlab models pull ${r.uri}\n      ${r.description} (~${humanBytes(r.approxSizeBytes)})`);
    }),
};
