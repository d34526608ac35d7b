// Parsing a list of strings written in Python literal syntax, as the authors' CSV stores its
// biased words: `['ghetto']`, `["don't", 'x']`, `[]`. Both quote styles, the usual escapes,
// optional string prefixes (r, u, b) and a trailing comma are accepted; anything else is an error.

export type ParsedList = { ok: true; items: string[] } | { ok: false; error: string };

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

export function parsePythonList(src: string): ParsedList {
  let i = skipSpace(src, 0);
  if (src[i] !== '[') return fail(src, 'it does not start with "["');
  i = skipSpace(src, i + 1);
  const items: string[] = [];
  if (src[i] === ']') return skipSpace(src, i + 1) === src.length ? { ok: true, items } : fail(src, 'text after "]"');
  for (;;) {
    let raw = false;
    if (src[i] !== "'" && src[i] !== '"') {
      const prefix = /^(?:[rR][bB]?|[bB][rR]?|[uU])(?=['"])/.exec(src.slice(i, i + 3));
      if (prefix) {
        raw = /[rR]/.test(prefix[0]);
        i += prefix[0].length;
      }
    }
    const q = src[i];
    if (q !== "'" && q !== '"') return fail(src, `expected a quoted string at position ${i + 1}`);
    i++;
    // Fast path: no backslash before the closing quote.
    const close = src.indexOf(q, i);
    if (close !== -1) {
      const bs = src.indexOf('\\', i);
      if (bs === -1 || bs > close) {
        items.push(src.slice(i, close));
        i = close + 1;
        const next = afterItem(src, i);
        if (next === -1)
          return fail(
            src,
            i >= src.length ? 'it does not end with "]"' : `expected "," or "]" at position ${skipSpace(src, i) + 1}`,
          );
        if (src[next] === ']')
          return skipSpace(src, next + 1) === src.length ? { ok: true, items } : fail(src, 'text after "]"');
        i = next;
        continue;
      }
    }
    let out = '';
    for (;;) {
      if (i >= src.length) return fail(src, 'a string is not closed');
      const c = src[i]!;
      if (c === q) {
        i++;
        break;
      }
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const e = src[i + 1];
      if (e === undefined) return fail(src, 'a string is not closed');
      if (raw) {
        out += c + e;
        i += 2;
        continue;
      }
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        i += 2;
      } else if (e === 'x' || e === 'u' || e === 'U') {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = src.slice(i + 2, i + 2 + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) return fail(src, `bad \\${e} escape`);
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff) return fail(src, `bad \\${e} escape`);
        out += String.fromCodePoint(cp);
        i += 2 + n;
      } else if (e >= '0' && e <= '7') {
        const m = /^[0-7]{1,3}/.exec(src.slice(i + 1, i + 4))![0];
        out += String.fromCodePoint(parseInt(m, 8));
        i += 1 + m.length;
      } else if (e === '\n') {
        i += 2; // line continuation
      } else {
        out += c + e; // Python keeps unknown escapes as written
        i += 2;
      }
    }
    items.push(out);
    const next = afterItem(src, i);
    if (next === -1)
      return fail(
        src,
        i >= src.length ? 'it does not end with "]"' : `expected "," or "]" at position ${skipSpace(src, i) + 1}`,
      );
    if (src[next] === ']')
      return skipSpace(src, next + 1) === src.length ? { ok: true, items } : fail(src, 'text after "]"');
    i = next;
  }
}

/**
 * After an item at `i`: the offset of the next item's start, or of the closing "]" (a trailing
 * comma is allowed); -1 if neither follows.
 */
function afterItem(src: string, i: number): number {
  i = skipSpace(src, i);
  if (src[i] === ']') return i;
  if (src[i] !== ',') return -1;
  i = skipSpace(src, i + 1);
  return i;
}

function fail(src: string, why: string): ParsedList {
  return { ok: false, error: `not a list of strings (${why}): ${preview(src)}` };
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  return i;
}

function preview(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
