// The annotation guidelines exist twice: as data the app renders (src/shared) and as a document
// for people (docs/). This keeps them from drifting apart and checks the data covers what an
// annotator needs: the four categories with the CMD's values, biased words and benign variations.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANNOTATION_GUIDELINES } from '../../../src/shared/annotation-guidelines';
import { LABEL_VALUES } from '../../../src/shared/domain';
import { REPO_ROOT } from '../../helpers';

const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'annotation-guidelines.md'), 'utf8');
const headings = doc
  .split('\n')
  .filter((l) => l.startsWith('## '))
  .map((l) => l.slice(3).trim());

describe('annotation guidelines', () => {
  it('has one section per category with exactly the CMD values, plus biased words and benign variations', () => {
    const ids = ANNOTATION_GUIDELINES.sections.map((s) => s.id);
    expect(ids).toEqual(['bias', 'toxicity', 'sentiment', 'harm', 'biasedWords', 'benign']);
    for (const label of ['bias', 'toxicity', 'sentiment', 'harm'] as const) {
      const section = ANNOTATION_GUIDELINES.sections.find((s) => s.id === label)!;
      expect([...section.values.map((v) => v.value)].sort()).toEqual([...LABEL_VALUES[label]].sort());
      expect(section.examples.length).toBeGreaterThanOrEqual(1);
      expect(section.examples.length).toBeLessThanOrEqual(2);
      // Each example's label is one of the category's values.
      for (const e of section.examples) expect(LABEL_VALUES[label] as readonly string[]).toContain(e.label);
    }
  });

  it('says when to flag a record for an expert', () => {
    expect(ANNOTATION_GUIDELINES.intro).toMatch(/flag/i);
    expect(headings).toContain('When to flag for an expert');
  });

  it('has every section title of the data as a heading of docs/annotation-guidelines.md', () => {
    for (const s of ANNOTATION_GUIDELINES.sections) expect(headings).toContain(s.title);
  });

  it('has the same example texts and values in the document', () => {
    const flat = doc.replace(/\s+/g, ' ');
    for (const s of ANNOTATION_GUIDELINES.sections) {
      for (const e of s.examples) expect(flat).toContain(e.text);
      for (const v of s.values)
        if (s.id !== 'biasedWords' && s.id !== 'benign') expect(flat).toContain(`| ${v.value} | ${v.meaning} |`);
    }
  });
});
