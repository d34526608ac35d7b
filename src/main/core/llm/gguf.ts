// Read what a GGUF file is from its header (node-llama-cpp's GGUF reader), and refuse files that
// cannot load with a message that says why: missing, not GGUF, truncated, unknown architecture.
import fs from 'node:fs';
import type { GgufFileInfo, GgufInsights } from 'node-llama-cpp';
import { loadNodeLlamaCpp, nodeLlamaCpp } from './node-llama-cpp';
import { ApiError } from '../../../shared/contract';
import type { GgufSummary } from '../../../shared/contracts/llm';
import { humanBytes } from './format';

export interface InspectedGguf {
  path: string;
  sizeBytes: number;
  summary: GgufSummary;
  info: GgufFileInfo;
  insights: GgufInsights;
}

/** [elements per block, bytes per block] of the ggml tensor types, to find the end of the data. */
const GGML_BLOCK: Record<number, [number, number]> = {
  0: [1, 4],
  1: [1, 2],
  2: [32, 18],
  3: [32, 20],
  6: [32, 22],
  7: [32, 24],
  8: [32, 34],
  9: [32, 36],
  10: [256, 84],
  11: [256, 110],
  12: [256, 144],
  13: [256, 176],
  14: [256, 210],
  15: [256, 292],
  16: [256, 66],
  17: [256, 74],
  18: [256, 98],
  19: [256, 50],
  20: [32, 18],
  21: [256, 110],
  22: [256, 82],
  23: [256, 136],
  24: [1, 1],
  25: [1, 2],
  26: [1, 4],
  27: [1, 8],
  28: [1, 8],
  29: [256, 56],
  30: [1, 2],
  34: [256, 54],
  35: [256, 66],
};

function tensorBytes(dims: readonly (number | bigint)[], type: number): number | null {
  const block = GGML_BLOCK[type];
  if (!block) return null;
  const elements = dims.reduce<number>((a, d) => a * Number(d), 1);
  return Math.ceil(elements / block[0]) * block[1];
}

function quantizationName(fileType: number | undefined): string | null {
  if (fileType === undefined) return null;
  const name = nodeLlamaCpp().GgufFileType[fileType];
  return name ? name.replace(/^MOSTLY_/, '') : `type ${fileType}`;
}

const asNumber = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);

/**
 * Inspect a GGUF file. Throws ApiError: not-found for a missing file, invalid-input for a file
 * that is not GGUF, is cut short, or whose architecture this llama.cpp does not know.
 */
export async function inspectGguf(file: string): Promise<InspectedGguf> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new ApiError('not-found', `no file at ${file}`);
  }
  if (!stat.isFile()) throw new ApiError('invalid-input', `${file} is not a file`);
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString('latin1') !== 'GGUF') {
    const shown =
      stat.size === 0
        ? 'it is empty'
        : `it starts with ${JSON.stringify(head.subarray(0, Math.min(4, stat.size)).toString('latin1'))}`;
    throw new ApiError(
      'invalid-input',
      `${file} is not a GGUF file (${shown}); convert the model to GGUF first, e.g. with llama.cpp's convert_hf_to_gguf.py`,
    );
  }

  const { readGgufFileInfo, GgufInsights } = await loadNodeLlamaCpp();
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(file, { sourceType: 'filesystem', logWarnings: false, spliceSplitFiles: false });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ApiError(
      'invalid-input',
      `${file} is not a readable GGUF file (${reason}); it may be truncated or damaged`,
    );
  }

  // The header lists every tensor with its offset: a file shorter than that was cut short.
  let dataEnd = 0;
  for (const t of info.tensorInfo ?? []) {
    const bytes = tensorBytes(t.dimensions, t.ggmlType) ?? 0;
    dataEnd = Math.max(dataEnd, Number(t.fileOffset) + bytes);
  }
  if (dataEnd > stat.size) {
    throw new ApiError(
      'invalid-input',
      `${file} is truncated: its header describes ${humanBytes(dataEnd)} of data but the file has ${humanBytes(stat.size)}; download or copy it again`,
    );
  }

  const general = info.metadata.general as
    { architecture?: string; name?: string; file_type?: number; type?: string } | undefined;
  const architecture = general?.architecture;
  if (!architecture)
    throw new ApiError('invalid-input', `${file} has no general.architecture: not a model or adapter GGUF`);
  const fileKind = general?.type === 'adapter' ? 'adapter' : 'model';
  const insights = await GgufInsights.from(info);
  if (fileKind === 'model' && !insights.isSupportedByLlamaCpp) {
    throw new ApiError(
      'invalid-input',
      `${file}: architecture "${architecture}" is not supported by the llama.cpp bundled with srlab (node-llama-cpp)`,
    );
  }

  const arch = (info.architectureMetadata ?? {}) as Record<string, unknown>;
  const tokenizer = (
    info.metadata as unknown as { tokenizer?: { chat_template?: unknown; ggml?: { tokens?: unknown[] } } }
  ).tokenizer;
  const chatTemplate = typeof tokenizer?.chat_template === 'string' ? tokenizer.chat_template : null;
  const vocab =
    asNumber(arch.vocab_size) ?? (Array.isArray(tokenizer?.ggml?.tokens) ? tokenizer.ggml.tokens.length : null);
  const summary: GgufSummary = {
    architecture,
    title: typeof general?.name === 'string' ? general.name : null,
    parameters: insights.totalParameters,
    quantization: quantizationName(general?.file_type),
    contextLength: asNumber(arch.context_length),
    layers: asNumber(arch.block_count),
    embeddingLength: asNumber(arch.embedding_length),
    vocabularySize: vocab,
    chatTemplate,
    fileKind,
  };
  return { path: file, sizeBytes: stat.size, summary, info, insights };
}

/** The text of the BOS/EOS tokens, for rendering a chat template without loading the model. */
export function specialTokenText(info: GgufFileInfo): { bos: string | null; eos: string | null } {
  const t = (
    info.metadata as unknown as {
      tokenizer?: { ggml?: { tokens?: unknown[]; bos_token_id?: unknown; eos_token_id?: unknown } };
    }
  ).tokenizer?.ggml;
  const pick = (id: unknown) => {
    const n = asNumber(id);
    const s = n === null ? undefined : t?.tokens?.[n];
    return typeof s === 'string' ? s : null;
  };
  return { bos: pick(t?.bos_token_id), eos: pick(t?.eos_token_id) };
}
