// Types for scripts/make-tiny-gguf.js (plain JS so it runs with no build step).
export interface TinyModelOptions {
  seed?: number;
  context?: number;
  layers?: number;
  embd?: number;
  heads?: number;
  kvHeads?: number;
  ff?: number;
  /** Pad the vocabulary to this many tokens with filler pieces no text tokenizes into. */
  vocab?: number;
  /** Type of the 2-D weights (norms stay F32). Default f32. */
  type?: 'f32' | 'q8_0';
  /** Scale of output.weight in units of 1/sqrt(embd) (default 4): larger, more peaked next-token distributions. */
  logitScale?: number;
  /** A real model's shape (random weights); options given beside it override its fields. */
  shape?: '7b';
  /** 70B-like shapes, header only, the file extended sparsely. */
  huge?: boolean;
}
export interface TinyLoraOptions extends TinyModelOptions {
  rank?: number;
  alpha?: number;
  loraSeed?: number;
}
export const TINY_DEFAULTS: Required<
  Pick<TinyModelOptions, 'seed' | 'context' | 'layers' | 'embd' | 'heads' | 'kvHeads' | 'ff'>
>;
export const SHAPES: Record<
  '7b',
  Required<Pick<TinyModelOptions, 'embd' | 'layers' | 'heads' | 'kvHeads' | 'ff' | 'vocab' | 'context'>>
>;
export function parameterCount(options?: TinyModelOptions): number;
export function tinyVocabulary(size?: number): { tokens: string[]; types: number[]; scores: number[] };
export function writeTinyModel(file: string, options?: TinyModelOptions): { file: string; bytes: number };
export function writeTinyLora(file: string, options?: TinyLoraOptions): { file: string; bytes: number };
