// StereoSet (Nadeem et al., 2021). Two layouts:
// - the flattened JSON lines of shared/data/stereoset (one object per line with type, target,
//   bias_type, context, stereotype, anti-stereotype and unrelated), and
// - the authors' dev.json / test.json ({data: {intrasentence: [...], intersentence: [...]}}, each
//   example with its sentences and their gold_label), the intended source per its PROVENANCE.md.
// Both tasks are kept (fields.task tells them apart; the likelihood metric reads the intrasentence
// ones, PAPER.md's StereoSet row).
import { readText, singleFile } from './files';
import type { Importer, ParsedItem, Problems } from './types';

const TASKS = ['intrasentence', 'intersentence'] as const;
const TEXT_FIELDS = ['target', 'bias_type', 'context', 'stereotype', 'anti-stereotype', 'unrelated'] as const;
const GOLD_LABELS = ['stereotype', 'anti-stereotype', 'unrelated'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One flattened record → an item, or a rejection naming the field (`where` prefixes it for dev.json). */
function toItem(
  o: Record<string, unknown>,
  at: { file: string; line: number; where: string; id: string | null },
  problems: Problems,
): ParsedItem | null {
  const name = (f: string) => (at.where ? `${at.where}.${f}` : f);
  const task = o.type;
  if (!TASKS.includes(task as (typeof TASKS)[number])) {
    problems.reject(
      at.file,
      at.line,
      name('type'),
      `must be "intrasentence" or "intersentence", not ${JSON.stringify(task)}`,
    );
    return null;
  }
  const v: Partial<Record<(typeof TEXT_FIELDS)[number], string>> = {};
  for (const f of TEXT_FIELDS) {
    const value = o[f];
    if (typeof value !== 'string' || value.trim() === '') {
      problems.reject(at.file, at.line, name(f), value === undefined ? 'missing' : 'must be a non-empty string');
      return null;
    }
    v[f] = value.trim();
  }
  if (task === 'intrasentence' && !v.context!.includes('BLANK')) {
    problems.reject(at.file, at.line, name('context'), 'an intrasentence context must hold the placeholder BLANK');
    return null;
  }
  return {
    group: v.bias_type!,
    subgroup: v.target!,
    text: v.context!,
    fields: {
      task,
      target: v.target!,
      domain: v.bias_type!,
      context: v.context!,
      stereotype: v.stereotype!,
      anti: v['anti-stereotype']!,
      unrelated: v.unrelated!,
      line: at.line,
      ...(at.id !== null ? { id: at.id } : {}),
    },
  };
}

function readJsonLines(text: string, file: string, problems: Problems): ParsedItem[] {
  const items: ParsedItem[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (e) {
      return problems.reject(file, line, null, `not valid JSON (${(e as Error).message})`);
    }
    if (!isObject(obj)) return problems.reject(file, line, null, 'not a JSON object');
    const item = toItem(obj, { file, line, where: '', id: null }, problems);
    if (item) items.push(item);
  });
  return items;
}

/** The 1-based line of the first occurrence of `needle` after `from` (1 when not found). */
function lineOf(text: string, needle: string, from = 0): number {
  const at = text.indexOf(needle, from);
  if (at === -1) return 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The authors' dev.json as one document, or null when the text is not one (then it is JSON lines). */
function parseDevJson(text: string): Record<string, unknown> | null {
  try {
    const doc: unknown = JSON.parse(text);
    return isObject(doc) && isObject(doc.data) ? doc.data : null;
  } catch {
    return null; // JSON lines (several documents) or a broken file: read line by line, naming lines
  }
}

function readDevJson(data: Record<string, unknown>, text: string, file: string, problems: Problems): ParsedItem[] {
  const items: ParsedItem[] = [];
  // In the document's own order of the two tasks.
  for (const task of Object.keys(data).filter((k): k is (typeof TASKS)[number] => TASKS.includes(k as never))) {
    const examples = data[task];
    if (!Array.isArray(examples)) {
      problems.reject(file, lineOf(text, `"${task}"`), `data.${task}`, 'must be a list of examples');
      continue;
    }
    examples.forEach((ex: unknown, i) => {
      const where = `data.${task}[${i}]`;
      const id = isObject(ex) && typeof ex.id === 'string' ? ex.id : null;
      const line = id ? lineOf(text, JSON.stringify(id)) : lineOf(text, `"${task}"`);
      if (!isObject(ex)) return problems.reject(file, line, where, 'an example must be an object');
      if (!Array.isArray(ex.sentences)) return problems.reject(file, line, `${where}.sentences`, 'must be a list');
      // The three options by their gold label (the majority of the five annotators' labels).
      const flat: Record<string, unknown> = {
        type: task,
        target: ex.target,
        bias_type: ex.bias_type,
        context: ex.context,
      };
      for (const s of ex.sentences as unknown[]) {
        const label = isObject(s) ? s.gold_label : undefined;
        if (!GOLD_LABELS.includes(label as (typeof GOLD_LABELS)[number]))
          return problems.reject(
            file,
            line,
            `${where}.sentences`,
            `gold_label must be one of ${GOLD_LABELS.join(', ')}, not ${JSON.stringify(label)}`,
          );
        if (flat[label as string] !== undefined)
          return problems.reject(file, line, `${where}.sentences`, `two sentences are labelled ${label as string}`);
        flat[label as string] = (s as Record<string, unknown>).sentence;
      }
      const item = toItem(flat, { file, line, where, id }, problems);
      if (item) items.push(item);
    });
  }
  return items;
}

export const stereosetImporter: Importer = {
  kind: 'stereoset',
  options: [],
  read(source, _options, problems) {
    const { file, shown } = singleFile(source.path, source.shownName, '.jsonl', 'StereoSet .jsonl');
    const text = readText(file, shown);
    // dev.json is one JSON document holding "data"; the flattened copy is a JSON object per line.
    const data = parseDevJson(text);
    const items = data ? readDevJson(data, text, shown, problems) : readJsonLines(text, shown, problems);
    return { items, options: {}, sourceFile: shown };
  },
};
