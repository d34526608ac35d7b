// HolisticBias (Smith et al., 2022): sentences built from descriptors.json × nouns.json ×
// sentence_templates.json of one version folder (v1.0, the paper's, when given the holisticbias/
// folder that holds v1.0/ and v1.1/). The full product is about 400,000 sentences; srlab stores a
// seeded sample (options.sample, default 650 as the paper evaluates; options.seed, default 0).
//
// How a sentence is built (srlab's reading of the published files; the generator script is not
// in shared/data): the noun phrase is "<article> <descriptor> <noun>" — article from the entry's
// `article`, else "an" before a vowel, else "a" — and "<descriptor> <plural>" for a template's
// {plural_noun_phrase}. A descriptor with a `gender` goes only with nouns of that gender.
// Standalone noun phrases are not part of the descriptor × noun × template product and are left out.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../../shared/contract';
import { HOLISTICBIAS_DEFAULT_SAMPLE } from '../../../../shared/contracts/testsets';
import { sampleIndexes } from '../sample';
import { isFolder, readText } from './files';
import type { Importer, ParsedItem } from './types';

const FILES = ['descriptors.json', 'nouns.json', 'sentence_templates.json'] as const;
/** The version the paper used (shared/data/holisticbias/PROVENANCE.md). */
const PAPER_VERSION = 'v1.0';

interface Descriptor {
  axis: string;
  bucket: string;
  descriptor: string;
  article: string;
  gender: string | null;
  preference: string | null;
}
interface Noun {
  gender: string;
  singular: string;
  plural: string;
}

function versionFolder(p: string, shown: string): { dir: string; shown: string; version: string } {
  if (!isFolder(p, shown))
    throw new ApiError(
      'invalid-input',
      `${shown}: give the HolisticBias folder (holding ${FILES.join(', ')}), not a file`,
    );
  if (FILES.every((f) => fs.existsSync(path.join(p, f)))) return { dir: p, shown, version: path.basename(p) };
  const paper = path.join(p, PAPER_VERSION);
  if (FILES.every((f) => fs.existsSync(path.join(paper, f))))
    return { dir: paper, shown: path.join(shown, PAPER_VERSION), version: PAPER_VERSION };
  throw new ApiError('invalid-input', `${shown} has no ${FILES.join(', ')} (nor a ${PAPER_VERSION}/ folder with them)`);
}

function parseJson(dir: string, shown: string, name: string): { json: unknown; text: string } {
  const text = readText(path.join(dir, name), path.join(shown, name));
  try {
    return { json: JSON.parse(text) as unknown, text };
  } catch (e) {
    throw new ApiError('invalid-input', `${path.join(shown, name)}: not valid JSON (${(e as Error).message})`);
  }
}

/**
 * The 1-based line where a key path first appears in a JSON text (each key searched after the
 * one before it), so a bad entry of a pretty-printed file can be found; 1 when it cannot be.
 */
export function lineOfKeys(text: string, keys: string[]): number {
  let at = 0;
  for (const k of keys) {
    const i = text.indexOf(JSON.stringify(k), at);
    if (i === -1) break;
    at = i;
  }
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const holisticbiasImporter: Importer = {
  kind: 'holisticbias',
  options: ['sample', 'seed'],
  read(source, options, problems) {
    const { dir, shown, version } = versionFolder(source.path, source.shownName);
    const dFile = path.join(shown, 'descriptors.json');
    const nFile = path.join(shown, 'nouns.json');
    const tFile = path.join(shown, 'sentence_templates.json');
    const { json: dJson, text: dText } = parseJson(dir, shown, 'descriptors.json');
    const { json: nJson, text: nText } = parseJson(dir, shown, 'nouns.json');
    const { json: tJson, text: tText } = parseJson(dir, shown, 'sentence_templates.json');
    if (!isObject(dJson)) throw new ApiError('invalid-input', `${dFile}: must be an object of axes`);
    if (!isObject(nJson)) throw new ApiError('invalid-input', `${nFile}: must be an object of noun genders`);
    if (!isObject(tJson)) throw new ApiError('invalid-input', `${tFile}: must be an object of templates`);

    const descriptors: Descriptor[] = [];
    for (const [axis, buckets] of Object.entries(dJson)) {
      if (!isObject(buckets)) {
        problems.reject(dFile, lineOfKeys(dText, [axis]), axis, 'must be an object of buckets');
        continue;
      }
      for (const [bucket, entries] of Object.entries(buckets)) {
        if (!Array.isArray(entries)) {
          problems.reject(
            dFile,
            lineOfKeys(dText, [axis, bucket]),
            `${axis}.${bucket}`,
            'must be a list of descriptors',
          );
          continue;
        }
        entries.forEach((e: unknown, i) => {
          const where = `${axis}.${bucket}[${i}]`;
          const d = typeof e === 'string' ? { descriptor: e } : isObject(e) ? e : null;
          const text = d && typeof d.descriptor === 'string' ? d.descriptor.trim() : '';
          // The published files list one entry per line below its bucket's key.
          if (text === '')
            return problems.reject(
              dFile,
              lineOfKeys(dText, [axis, bucket]) + 1 + i,
              where,
              'a descriptor must be a non-empty string or {descriptor, …}',
            );
          descriptors.push({
            axis,
            bucket,
            descriptor: text,
            article: typeof d!.article === 'string' ? d!.article : /^[aeiou]/i.test(text) ? 'an' : 'a',
            gender: typeof d!.gender === 'string' ? d!.gender : null,
            preference: typeof d!.preference === 'string' ? d!.preference : null,
          });
        });
      }
    }
    const nouns: Noun[] = [];
    for (const [gender, pairs] of Object.entries(nJson)) {
      if (!Array.isArray(pairs)) {
        problems.reject(nFile, lineOfKeys(nText, [gender]), gender, 'must be a list of [singular, plural] pairs');
        continue;
      }
      pairs.forEach((p: unknown, i) => {
        if (!Array.isArray(p) || p.length !== 2 || p.some((w) => typeof w !== 'string' || w.trim() === ''))
          return problems.reject(
            nFile,
            lineOfKeys(nText, [gender]) + 1 + i,
            `${gender}[${i}]`,
            'must be a [singular, plural] pair of words',
          );
        nouns.push({ gender, singular: (p[0] as string).trim(), plural: (p[1] as string).trim() });
      });
    }
    const templates: string[] = [];
    for (const t of Object.keys(tJson)) {
      if (!t.includes('{noun_phrase}') && !t.includes('{plural_noun_phrase}'))
        problems.reject(tFile, lineOfKeys(tText, [t]), t, 'a template must hold {noun_phrase} or {plural_noun_phrase}');
      else templates.push(t);
    }

    // The descriptor × noun pairs (gendered descriptors with their gender's nouns), then × templates.
    const pairs: [Descriptor, Noun][] = [];
    for (const d of descriptors)
      for (const n of nouns) if (d.gender === null || d.gender === n.gender) pairs.push([d, n]);
    const total = pairs.length * templates.length;
    const sample = options.sample ?? HOLISTICBIAS_DEFAULT_SAMPLE;
    const seed = options.seed ?? 0;
    const items: ParsedItem[] = sampleIndexes(total, sample, seed).map((k) => {
      const [d, n] = pairs[Math.floor(k / templates.length)]!;
      const template = templates[k % templates.length]!;
      const plural = template.includes('{plural_noun_phrase}');
      const phrase = plural ? `${d.descriptor} ${n.plural}` : `${d.article} ${d.descriptor} ${n.singular}`;
      return {
        group: d.axis,
        subgroup: d.descriptor,
        text: template.replace(plural ? '{plural_noun_phrase}' : '{noun_phrase}', phrase),
        fields: {
          template,
          noun: plural ? n.plural : n.singular,
          nounGender: n.gender,
          descriptor: d.descriptor,
          bucket: d.bucket,
          axis: d.axis,
          preference: d.preference,
          combination: k,
        },
      };
    });
    return { items, options: { sample, seed, version, combinations: total }, sourceFile: shown };
  },
};
