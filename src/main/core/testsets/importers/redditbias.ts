// RedditBias (Barikeri et al., 2021): the authors' Language-Model-Bias evaluation files,
// `reddit_comments_<dimension>_<group>_biased_{test,valid}_reduced.csv`. Per dimension there is
// a file for the marginalised group (female, lgbtq, black, jews, muslims: comments annotated as
// biased, with bias_sent/bias_phrase) and one for the contrasting group (male, straight, white,
// christians: the same phrases with the target term swapped, initial_demo → replaced_demo).
// Row i of the one pairs with row i of the other (fields.pair), which the paper's perplexity
// t-test compares. Items: group = the dimension, subgroup = "target" (marginalised) or "counter",
// text = comments_processed (the phrase the authors score).
//
// Source: one such CSV, a dimension folder (redditbias/race), or the redditbias folder (every
// dimension below it). options.split: the authors' test files (default), valid, or both.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../../shared/contract';
import { parsePythonList } from '../../datasets/import/python-list';
import { cell, csvWithColumns, isFolder, listFolder, readText } from './files';
import type { Importer, ParsedItem, Problems } from './types';

const NAME = /^reddit_comments_([a-z0-9]+)_([a-z]+)_biased_(test|valid)_reduced\.csv$/;

interface EvalFile {
  file: string;
  shown: string;
  dimension: string;
  groupName: string;
  split: 'test' | 'valid';
}

function filesIn(dir: string, shown: string, splits: string[], out: EvalFile[]): void {
  for (const n of listFolder(dir)) {
    const p = path.join(dir, n);
    if (fs.statSync(p).isDirectory()) filesIn(p, path.join(shown, n), splits, out);
    const m = NAME.exec(n);
    if (m && splits.includes(m[3]!))
      out.push({
        file: p,
        shown: path.join(shown, n),
        dimension: m[1]!,
        groupName: m[2]!,
        split: m[3] as 'test' | 'valid',
      });
  }
}

/** A number the authors computed (perplexity), or null when the cell is empty or not a number. */
function num(v: string | null): number | null {
  if (v === null) return null;
  const x = Number(v);
  return Number.isFinite(x) ? x : null;
}

/** initial_demo / replaced_demo are Python lists (`['mom', ' she ']`); kept as written if not. */
function list(v: string | null): string[] | string | null {
  if (v === null) return null;
  const parsed = parsePythonList(v);
  return parsed.ok ? parsed.items : v;
}

function readFile(f: EvalFile, problems: Problems): ParsedItem[] {
  const text = readText(f.file, f.shown);
  const { header, col, rows } = csvWithColumns(text, f.shown, ['comments_processed']);
  const counter = header.includes('initial_demo');
  const at = (name: string) => header.indexOf(name);
  const items: ParsedItem[] = [];
  rows.forEach((row, pair) => {
    if (row.error) return problems.reject(f.shown, row.line, null, row.error);
    if (row.fields.length !== header.length)
      return problems.reject(
        f.shown,
        row.line,
        null,
        `has ${row.fields.length} fields, the header has ${header.length}`,
      );
    const phrase = cell(row, col.comments_processed);
    if (!phrase) return problems.reject(f.shown, row.line, 'comments_processed', 'empty');
    const common = { groupName: f.groupName, split: f.split, pair, file: path.basename(f.file), line: row.line };
    items.push({
      group: f.dimension,
      subgroup: counter ? 'counter' : 'target',
      text: phrase,
      fields: counter
        ? {
            ...common,
            comment: cell(row, at('comments')),
            initialDemo: list(cell(row, at('initial_demo'))),
            replacedDemo: list(cell(row, at('replaced_demo'))),
            perplexity: num(cell(row, at('perplexity'))),
          }
        : {
            ...common,
            id: at('id') >= 0 ? cell(row, at('id')) : null,
            comment: cell(row, at('comment')),
            biasSent: num(cell(row, at('bias_sent'))),
            biasPhrase: num(cell(row, at('bias_phrase'))),
            perplexity: num(cell(row, at('perplexity'))),
          },
    });
  });
  return items;
}

export const redditbiasImporter: Importer = {
  kind: 'redditbias',
  options: ['split'],
  read(source, options, problems) {
    const split = options.split ?? 'test';
    const splits = split === 'both' ? ['test', 'valid'] : [split];
    const files: EvalFile[] = [];
    if (isFolder(source.path, source.shownName)) {
      filesIn(source.path, source.shownName, splits, files);
      if (files.length === 0)
        throw new ApiError(
          'invalid-input',
          `${source.shownName} has no RedditBias ${splits.join('/')} files (reddit_comments_<dimension>_<group>_biased_${splits[0]}_reduced.csv)`,
        );
    } else {
      const m = NAME.exec(path.basename(source.path));
      if (!m)
        throw new ApiError(
          'invalid-input',
          `${source.shownName}: a RedditBias file is named reddit_comments_<dimension>_<group>_biased_<test|valid>_reduced.csv (the name gives the dimension and group)`,
        );
      files.push({
        file: source.path,
        shown: source.shownName,
        dimension: m[1]!,
        groupName: m[2]!,
        split: m[3] as 'test' | 'valid',
      });
    }
    // Per dimension: the marginalised group's file before the counter group's, test before valid.
    const ordered = files.map((f) => ({ f, items: readFile(f, problems) }));
    const rank = (x: (typeof ordered)[number]) => (x.items[0]?.subgroup === 'counter' ? 1 : 0);
    ordered.sort(
      (a, b) => a.f.dimension.localeCompare(b.f.dimension) || a.f.split.localeCompare(b.f.split) || rank(a) - rank(b),
    );
    return { items: ordered.flatMap((x) => x.items), options: { split } };
  },
};
