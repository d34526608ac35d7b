// The import's content hash: the same value as records.ts's contentHash (the hash that finds
// duplicates, also across earlier imports), built without JSON.stringify of a parts array.
//
// contentHash hashes JSON.stringify([text, four labels, annotation, target, words, benign,
// extra?]). For a string with nothing JSON must escape, JSON.stringify(s) is just `"` + s + `"`,
// and a regular-expression test finds that faster than the serializer copies it; any string
// that does need escaping goes through JSON.stringify itself. So the bytes hashed are the same
// by construction, and tests/unit/import/content-hash.test.ts checks it against contentHash.
// formats.ts writes the CSV rows' extra-column JSON with the same `json`.

import crypto from 'node:crypto';
import type { HashedContent } from '../records';
import { CANONICAL_CODE } from './label-codes';

/** What JSON.stringify escapes in a string (quote, backslash, control characters) or may (surrogates). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(s) for a string or null, taking the short way when nothing needs escaping. */
export function json(s: string | null | undefined): string {
  if (typeof s !== 'string') return s === null || s === undefined ? 'null' : JSON.stringify(s);
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/**
 * json(s) for a label. The canonical label and annotation values are plain ASCII words (JSON
 * writes them as `"v"`), nearly every label of a file is one, and a map lookup is cheaper than
 * the escape test; labels outside the value sets are kept as written, so they take json().
 */
function label(s: string | null): string {
  return s !== null && CANONICAL_CODE.has(s) ? `"${s}"` : json(s);
}

const sha256Base64url: (s: string) => string =
  typeof crypto.hash === 'function'
    ? (s) => crypto.hash('sha256', s, 'base64url')
    : (s) => crypto.createHash('sha256').update(s).digest('base64url');

/**
 * The content hash from a row's stored column values (the writer thread hashes rows this way when
 * the reading thread left it to it; see RowBatch). `wordsJson` is the biased_words column:
 * JSON.stringify of the words, which writes each word as json() does, so the bytes hashed are
 * contentHash's.
 */
export function contentHashOfColumns(
  text: string,
  bias: string | null,
  toxicity: string | null,
  sentiment: string | null,
  harm: string | null,
  annotationGold: string | null,
  target: string | null,
  wordsJson: string,
  benign: string | null,
  extraJson: string,
): string {
  let s = `[${json(text)},${label(bias)},${label(toxicity)},${label(sentiment)},${label(harm)},${label(annotationGold)},${json(target)},${wordsJson},${json(benign)}`;
  if (extraJson !== '{}') s += `,${json(extraJson)}`;
  return sha256Base64url(`${s}]`).slice(0, 32);
}

/** The biased_words column: the words as JSON. */
export function wordsColumn(words: readonly string[]): string {
  return words.length === 0 ? '[]' : JSON.stringify(words);
}

/** contentHash(r), computed faster (see the note at the top); `words` is r's biased_words column if known. */
export function importContentHash(r: HashedContent, words = wordsColumn(r.biasedWords)): string {
  const l = r.labels;
  return contentHashOfColumns(
    r.text,
    l.bias,
    l.toxicity,
    l.sentiment,
    l.harm,
    r.annotationGold,
    r.targetDemographic,
    words,
    r.benignVariation,
    r.extraJson,
  );
}
