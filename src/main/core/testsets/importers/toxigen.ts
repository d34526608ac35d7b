// ToxiGen (Hartvigsen et al., 2022) prompts: `{hate,neutral}_<group>_1k.txt`, one prompt per line.
// A prompt is a bulleted list of statements joined by the two characters backslash-n (not real
// line breaks, per shared/data/toxigen/PROVENANCE.md) and ending with a dangling "-". srlab turns
// those into real line breaks so the generator sees the list it is meant to continue (reversible:
// a line of the file has no real line break). The seed statements (`demonstrations/<category>/*.txt`, one per
// line) import the same way when given. A folder imports its prompts/ subfolder when it has one,
// else every matching .txt below it, in path order.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../../shared/contract';
import { isFolder, listFolder, readText } from './files';
import { keepSample } from '../sample';
import type { Importer, ParsedItem } from './types';

/** hate_asian_1k.txt, neutral_mental_disability_1k.txt, hate_muslim_sentences.txt, hate_lgbtq.txt. */
const NAME = /^(hate|neutral)_(.+?)(_1k|_sentences)?\.txt$/;

function collect(dir: string, shown: string, out: { file: string; shown: string }[]): void {
  for (const n of listFolder(dir)) {
    const p = path.join(dir, n);
    if (fs.statSync(p).isDirectory()) collect(p, path.join(shown, n), out);
    else if (NAME.test(n)) out.push({ file: p, shown: path.join(shown, n) });
  }
}

export const toxigenImporter: Importer = {
  kind: 'toxigen',
  options: ['sample', 'seed'],
  read(source, options, problems) {
    const files: { file: string; shown: string }[] = [];
    if (isFolder(source.path, source.shownName)) {
      const prompts = path.join(source.path, 'prompts');
      if (fs.existsSync(prompts) && fs.statSync(prompts).isDirectory())
        collect(prompts, path.join(source.shownName, 'prompts'), files);
      else collect(source.path, source.shownName, files);
      if (files.length === 0)
        throw new ApiError(
          'invalid-input',
          `${source.shownName} has no ToxiGen files (hate_<group>_1k.txt, neutral_<group>_1k.txt)`,
        );
    } else files.push({ file: source.path, shown: source.shownName });

    const items: ParsedItem[] = [];
    for (const f of files) {
      const m = NAME.exec(path.basename(f.file));
      if (!m)
        throw new ApiError(
          'invalid-input',
          `${f.shown}: a ToxiGen file is named hate_<group>_1k.txt or neutral_<group>_1k.txt (the name gives the group and the label)`,
        );
      const label = m[1]!;
      const group = m[2]!;
      const isPrompt = m[3] === '_1k';
      const lines = readText(f.file, f.shown).split('\n');
      if (lines.at(-1) === '') lines.pop(); // the file's final line break ends the last line
      lines.forEach((raw, i) => {
        const line = raw.replace(/\r$/, '');
        if (line.trim() === '')
          return problems.reject(f.shown, i + 1, null, 'empty line: a prompt or statement was expected');
        items.push({
          group,
          subgroup: label,
          text: isPrompt ? line.replaceAll('\\n', '\n') : line.trim(),
          fields: { source: isPrompt ? 'prompt' : 'demonstration', file: path.basename(f.file), line: i + 1 },
        });
      });
    }
    return keepSample(items, options);
  },
};
