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

/** What JSON.stringify escapes in a string (quote, backslash, control characters) or may (surrogates). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(s) for a string or null, taking the short way when nothing needs escaping. */
export function json(s: string | null | undefined): string {
  if (typeof s !== 'string') return s === null || s === undefined ? 'null' : JSON.stringify(s);
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

const sha256Base64url: (s: string) => string =
  typeof crypto.hash === 'function'
    ? (s) => crypto.hash('sha256', s, 'base64url')
    : (s) => crypto.createHash('sha256').update(s).digest('base64url');

/** contentHash(r), computed faster: see the note at the top. */
export function importContentHash(r: HashedContent): string {
  const l = r.labels;
  let s = `[${json(r.text)},${json(l.bias)},${json(l.toxicity)},${json(l.sentiment)},${json(l.harm)},${json(r.annotationGold)},${json(r.targetDemographic)},[`;
  const w = r.biasedWords;
  for (let i = 0; i < w.length; i++) s += i === 0 ? json(w[i]) : `,${json(w[i])}`;
  s += `],${json(r.benignVariation)}`;
  if (r.extraJson !== '{}') s += `,${json(r.extraJson)}`;
  return sha256Base64url(`${s}]`).slice(0, 32);
}
