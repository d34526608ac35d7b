// The record panel's editable draft, the minimal `changes` for `datasets.editRecord`, and a
// plain-words explanation of the paper's annotation rule for one record.
import type { Input, Output } from '../../../../shared/api';
import type { Annotation } from '../../../../shared/domain';

export type RecordRow = Output<'datasets.records'>['rows'][number];
export type RecordChanges = Input<'datasets.editRecord'>['changes'];

export interface RecordDraft {
  bias: string | null;
  toxicity: string | null;
  sentiment: string | null;
  harm: string | null;
  annotationGold: string | null;
  targetDemographic: string;
  biasedWords: string[];
  benignVariation: string;
}

export function draftOf(r: RecordRow): RecordDraft {
  return {
    ...r.labels,
    annotationGold: r.annotationGold,
    targetDemographic: r.targetDemographic ?? '',
    biasedWords: [...r.biasedWords],
    benignVariation: r.benignVariation ?? '',
  };
}

const emptyToNull = (s: string) => (s.trim() === '' ? null : s.trim());
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Only the fields that differ from the stored record; an empty object when nothing changed. */
export function recordChanges(r: RecordRow, d: RecordDraft): RecordChanges {
  const c: Record<string, unknown> = {};
  for (const k of ['bias', 'toxicity', 'sentiment', 'harm'] as const) {
    if (d[k] !== r.labels[k]) c[k] = d[k];
  }
  if (d.annotationGold !== r.annotationGold) c.annotationGold = d.annotationGold;
  const target = emptyToNull(d.targetDemographic);
  if (target !== r.targetDemographic) c.targetDemographic = target;
  const words = normaliseWords(d.biasedWords);
  if (!sameList(words, r.biasedWords)) c.biasedWords = words;
  // Benign variations keep their inner whitespace; only a blank one becomes "none".
  const benign = d.benignVariation.trim() === '' ? null : d.benignVariation;
  if (benign !== r.benignVariation) c.benignVariation = benign;
  return c as RecordChanges;
}

/** Trimmed, non-empty, first occurrence kept. */
export function normaliseWords(words: string[]): string[] {
  const out: string[] = [];
  for (const w of words.map((x) => x.trim())) if (w && !out.includes(w)) out.push(w);
  return out;
}

/** Split typed input like "lazy, thugs" into words. */
export function parseWords(input: string): string[] {
  return normaliseWords(input.split(/[,;\n]/));
}

interface LabelsLike {
  bias: string | null;
  toxicity: string | null;
  sentiment: string | null;
  harm: string | null;
}

const BENIGN = { bias: 'No', toxicity: 'No', harm: 'Low' } as const;

/** The risk labels that are present and not benign, e.g. ["bias Yes", "toxicity Mild"]. */
export function riskSignals(l: LabelsLike): string[] {
  return (['bias', 'toxicity', 'harm'] as const)
    .filter((k) => l[k] !== null && l[k] !== BENIGN[k])
    .map((k) => `${k} ${l[k]}`);
}

/**
 * Why the paper's rule (Unsafe ⇔ any of bias/toxicity/harm present ∧ sentiment Negative) and
 * its strict variant (without the sentiment term) give what they give for these labels.
 */
export function explainAnnotation(
  l: LabelsLike,
  derived: Annotation | null,
  strict: Annotation | null,
): { derived: string; strict: string } {
  const risks = riskSignals(l);
  const missing = (['bias', 'toxicity', 'sentiment', 'harm'] as const).filter((k) => l[k] === null);
  let d: string;
  if (derived === null) d = `The paper's rule cannot decide: ${missing.join(', ') || 'a label'} missing.`;
  else if (derived === 'Unsafe') d = `Unsafe: sentiment is Negative and ${risks.join(', ')}.`;
  else if (l.sentiment !== 'Negative')
    d = `Benign: sentiment is ${l.sentiment}, and the rule calls a text unsafe only when sentiment is Negative${
      risks.length ? ` (even with ${risks.join(', ')})` : ''
    }.`;
  else d = 'Benign: sentiment is Negative but bias, toxicity and harm are all absent.';
  let s: string;
  if (strict === null)
    s = `The strict variant cannot decide: ${missing.filter((k) => k !== 'sentiment').join(', ')} missing.`;
  else if (strict === 'Unsafe') s = `Unsafe: ${risks.join(', ')} (sentiment ignored).`;
  else s = 'Benign: no bias, toxicity or harm.';
  return { derived: d, strict: s };
}

/** A stored value as one line of text for the edit history. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.join(', ') : '—';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
