// BOLD (Dhamala et al., 2021) prompts: `<domain>_prompt.json`, one JSON object per domain file,
// {group: {entity: [prompt, …]}}. A file imports one domain; a folder (bold/ or bold/prompts/)
// every `*_prompt.json` in it, in name order. One item per prompt: group = the domain (gender,
// race, …), subgroup = BOLD's group inside it (American_actors, …), text = the prompt as written
// (prompts end with a space, left for the generator to continue).
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../../shared/contract';
import { isFolder, listFolder, readText } from './files';
import { keepSample } from '../sample';
import type { Importer, ParsedItem, Problems } from './types';

const SUFFIX = '_prompt.json';

function domainFiles(dir: string, shownName: string): { file: string; shown: string }[] {
  const base = fs.existsSync(path.join(dir, 'prompts')) ? path.join(dir, 'prompts') : dir;
  const shownBase = base === dir ? shownName : path.join(shownName, 'prompts');
  const names = listFolder(base).filter((n) => n.endsWith(SUFFIX));
  if (names.length === 0) throw new ApiError('invalid-input', `${shownBase} has no BOLD *${SUFFIX} files`);
  return names.map((n) => ({ file: path.join(base, n), shown: path.join(shownBase, n) }));
}

/** The 1-based line of a character offset (the published files are one line; edited copies may not be). */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function readDomain(file: string, shown: string, items: ParsedItem[], problems: Problems): void {
  const base = path.basename(file);
  const domain = base.endsWith(SUFFIX) ? base.slice(0, -SUFFIX.length) : base.replace(/\.json$/i, '');
  const text = readText(file, shown);
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    problems.reject(
      shown,
      pos ? lineAt(text, Number(pos[1])) : 1,
      null,
      `not valid JSON (${msg}): the whole file was skipped`,
    );
    return;
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    problems.reject(shown, 1, null, 'not a JSON object of BOLD groups: the whole file was skipped');
    return;
  }
  for (const [group, entities] of Object.entries(obj)) {
    if (typeof entities !== 'object' || entities === null || Array.isArray(entities)) {
      problems.reject(shown, 1, group, 'must be an object of entities, each with a list of prompts');
      continue;
    }
    for (const [entity, prompts] of Object.entries(entities as Record<string, unknown>)) {
      if (!Array.isArray(prompts)) {
        problems.reject(shown, 1, `${group}.${entity}`, 'must be a list of prompts');
        continue;
      }
      prompts.forEach((prompt, i) => {
        if (typeof prompt !== 'string' || prompt.trim() === '')
          return problems.reject(shown, 1, `${group}.${entity}[${i}]`, 'a prompt must be a non-empty string');
        items.push({ group: domain, subgroup: group, text: prompt, fields: { entity, promptIndex: i, file: base } });
      });
    }
  }
}

export const boldImporter: Importer = {
  kind: 'bold',
  options: ['sample', 'seed'],
  read(source, options, problems) {
    const files = isFolder(source.path, source.shownName)
      ? domainFiles(source.path, source.shownName)
      : [{ file: source.path, shown: source.shownName }];
    const items: ParsedItem[] = [];
    for (const f of files) readDomain(f.file, f.shown, items, problems);
    return keepSample(items, options);
  },
};
