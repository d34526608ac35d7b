// Hashed n-gram features for the embedded classifiers: word unigrams and bigrams, and optionally
// character 3–5-grams within words (with word-boundary marks), hashed into a fixed number of
// buckets (the "hashing trick": no vocabulary to store, any text maps to features). Values are
// counts, L2-normalised per text so long and short texts weigh alike.
//
// Written for speed — the scorer runs on every output of every evaluation: one pass over the
// lower-cased text's char codes, FNV-1a hashes built incrementally, features accumulated into a
// reusable dense scratch array with a list of touched buckets (no Map, no strings per token).

/**
 * Bumped whenever the same text and settings would give other features (tokenisation, hashing,
 * weighting): it is part of every embedded classifier's version, so cached scores never outlive it.
 */
export const FEATURES_VERSION = 1;

export interface FeatureSettings {
  /** A power of two. */
  buckets: number;
  charNgrams: boolean;
}

/** A text's features: parallel arrays of bucket index and value (views into a reused buffer). */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
  length: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// Distinct starting states so a word, a bigram and a char n-gram with the same characters land
// in unrelated buckets.
const SEED_WORD = FNV_OFFSET;
const SEED_CHAR = 0x9e3779b9 | 0;
const BIGRAM_MIX = 0x85ebca6b | 0;
/** The boundary mark around words for char n-grams (any code that is never a word char). */
const BOUNDARY = 0x20;
const MIN_CHAR_N = 3;
const MAX_CHAR_N = 5;
/** Char n-grams count less than words, so a few words are not drowned by many n-grams. */
const CHAR_WEIGHT = 0.5;

/** Letters and digits of any script (code > 127 counts as a letter; apostrophes split words). */
function isWordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c > 127 && c !== 0xa0 && !(c >= 0x2000 && c <= 0x206f));
}

/** Murmur3's finaliser: spreads the FNV state's bits before masking to a bucket. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A featuriser with its own scratch buffers: not shared between concurrent callers, reused for
 * every text. `featurise` returns views valid until the next call.
 */
export class Featuriser {
  readonly settings: FeatureSettings;
  private readonly mask: number;
  private readonly dense: Float32Array;
  private indices: Int32Array;
  private values: Float32Array;
  private count = 0;
  private wordStarts: Int32Array;

  constructor(settings: FeatureSettings) {
    if (!Number.isInteger(Math.log2(settings.buckets))) throw new Error('buckets must be a power of two');
    this.settings = settings;
    this.mask = settings.buckets - 1;
    this.dense = new Float32Array(settings.buckets);
    this.indices = new Int32Array(1024);
    this.values = new Float32Array(1024);
    this.wordStarts = new Int32Array(256);
  }

  private add(hash: number, weight: number): void {
    const b = fmix(hash) & this.mask;
    const before = this.dense[b]!;
    if (before === 0) {
      if (this.count === this.indices.length) {
        const grown = new Int32Array(this.count * 2);
        grown.set(this.indices);
        this.indices = grown;
      }
      this.indices[this.count++] = b;
    }
    this.dense[b] = before + weight;
  }

  featurise(text: string): SparseVector {
    const s = text.toLowerCase();
    const n = s.length;
    this.count = 0;
    let prevWord = 0;
    let havePrev = false;
    let i = 0;
    while (i < n) {
      // Skip to the next word.
      while (i < n && !isWordCode(s.charCodeAt(i))) i++;
      if (i >= n) break;
      const start = i;
      let h = SEED_WORD;
      while (i < n) {
        const c = s.charCodeAt(i);
        if (!isWordCode(c)) break;
        h = Math.imul(h ^ c, FNV_PRIME);
        i++;
      }
      this.add(h, 1);
      if (havePrev) this.add(Math.imul(prevWord ^ BIGRAM_MIX, FNV_PRIME) ^ h, 1);
      prevWord = h;
      havePrev = true;
      if (this.settings.charNgrams) this.charGrams(s, start, i);
    }
    // Normalise to unit length and reset the scratch buckets for the next text.
    let sq = 0;
    for (let k = 0; k < this.count; k++) {
      const v = this.dense[this.indices[k]!]!;
      sq += v * v;
    }
    if (this.values.length < this.indices.length) this.values = new Float32Array(this.indices.length);
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let k = 0; k < this.count; k++) {
      const b = this.indices[k]!;
      this.values[k] = this.dense[b]! * inv;
      this.dense[b] = 0;
    }
    return { indices: this.indices, values: this.values, length: this.count };
  }

  /** Char 3–5-grams of the word s[start, end) padded with a boundary mark on each side. */
  private charGrams(s: string, start: number, end: number): void {
    const len = end - start + 2;
    if (this.wordStarts.length < len) this.wordStarts = new Int32Array(len * 2);
    const codes = this.wordStarts;
    codes[0] = BOUNDARY;
    for (let k = start; k < end; k++) codes[k - start + 1] = s.charCodeAt(k);
    codes[len - 1] = BOUNDARY;
    // A one-letter word's only n-gram (mark, letter, mark) would repeat its unigram: skip it.
    if (len < MIN_CHAR_N + 1) return;
    for (let p = 0; p + MIN_CHAR_N <= len; p++) {
      let h = SEED_CHAR;
      const last = Math.min(len, p + MAX_CHAR_N);
      for (let q = p; q < last; q++) {
        h = Math.imul(h ^ codes[q]!, FNV_PRIME);
        if (q - p + 1 >= MIN_CHAR_N) this.add(h, CHAR_WEIGHT);
      }
    }
  }
}

/** Features of many texts at once, as compact CSR arrays (training keeps them all in memory). */
export interface FeatureMatrix {
  rows: number;
  /** rowStart[i]..rowStart[i+1] are row i's entries. */
  rowStart: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export function featuriseAll(texts: readonly string[], settings: FeatureSettings): FeatureMatrix {
  const f = new Featuriser(settings);
  const rowStart = new Int32Array(texts.length + 1);
  let indices = new Int32Array(Math.max(1024, texts.length * 64));
  let values = new Float32Array(indices.length);
  let nnz = 0;
  for (let r = 0; r < texts.length; r++) {
    const v = f.featurise(texts[r]!);
    if (nnz + v.length > indices.length) {
      const size = Math.max(indices.length * 2, nnz + v.length);
      const gi = new Int32Array(size);
      gi.set(indices.subarray(0, nnz));
      const gv = new Float32Array(size);
      gv.set(values.subarray(0, nnz));
      indices = gi;
      values = gv;
    }
    indices.set(v.indices.subarray(0, v.length), nnz);
    values.set(v.values.subarray(0, v.length), nnz);
    nnz += v.length;
    rowStart[r + 1] = nnz;
  }
  return { rows: texts.length, rowStart, indices: indices.slice(0, nnz), values: values.slice(0, nnz) };
}
