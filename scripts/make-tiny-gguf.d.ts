// Types for scripts/make-tiny-gguf.js (plain JS so it runs with no build step).
export interface TinyModelOptions {
  seed?: number;
  context?: number;
  layers?: number;
  embd?: number;
  heads?: number;
  kvHeads?: number;
  ff?: number;
  /** 70B-like shapes, header only, the file extended sparsely. */
  huge?: boolean;
}
export interface TinyLoraOptions extends TinyModelOptions {
  rank?: number;
  alpha?: number;
  loraSeed?: number;
}
export const TINY_DEFAULTS: Required<Omit<TinyModelOptions, 'huge'>>;
export function tinyVocabulary(): { tokens: string[]; types: number[]; scores: number[] };
export function writeTinyModel(file: string, options?: TinyModelOptions): { file: string; bytes: number };
export function writeTinyLora(file: string, options?: TinyLoraOptions): { file: string; bytes: number };
