// Style-trait lists: one trait per line, as ParlAI's Image-Chat list (215 traits) is written —
// a capitalised adjective, optionally followed by glosses in parentheses:
// "Articulate (Well-spoken, Expressive)". A style scorer reports the trait's name.
import type { Trait } from '../../../shared/contracts/classifiers';

export interface ParsedTraits {
  traits: Trait[];
  /** Lines that are not a trait; every other line is kept. */
  rejected: { line: number; message: string }[];
}

const LINE = /^([^()]+?)\s*(?:\(([^()]*)\))?$/;

export function parseTraits(text: string): ParsedTraits {
  const traits: Trait[] = [];
  const rejected: ParsedTraits['rejected'] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (t === '') return;
    const m = LINE.exec(t);
    if (!m) {
      rejected.push({ line, message: `"${t.slice(0, 80)}" is not "Trait" or "Trait (gloss, gloss)"` });
      return;
    }
    const name = m[1]!.trim();
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      rejected.push({ line, message: `"${name}" repeats the trait on line ${first}` });
      return;
    }
    seen.set(key, line);
    const glosses = (m[2] ?? '')
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean);
    traits.push({ name, glosses });
  });
  return { traits, rejected };
}
