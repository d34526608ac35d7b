import type { Annotation } from '../domain';

/** Raw label values as they may arrive (any case; possibly outside the value sets). */
export interface RawLabels {
  bias: string | null;
  toxicity: string | null;
  sentiment: string | null;
  harm: string | null;
}

export interface DerivedAnnotation {
  /** The paper's rule: unsafe ⇔ (Bias≠No ∨ Toxicity≠No ∨ Harm≠Low) ∧ Sentiment=Negative. */
  paper: Annotation | null;
  /** The stricter variant without the sentiment term (METRICS.md section 8). */
  strict: Annotation | null;
  /** Label values outside their value sets, which the rule treats as non-benign. */
  warnings: string[];
}

const BENIGN_VALUE = { bias: ['no', 'low'], toxicity: ['no'], harm: ['low'] } as const;
const KNOWN = {
  bias: ['no', 'yes'],
  toxicity: ['no', 'mild', 'high'],
  harm: ['low', 'medium', 'high'],
  sentiment: ['negative', 'neutral', 'positive'],
} as const;

/**
 * Derive Unsafe/Benign (METRICS.md section 8). Labels compare case-insensitively; a value
 * outside its set counts as non-benign and is reported in `warnings`. Where a label the rule
 * needs is missing, the result is null rather than a guess — with one exception: if any
 * present risk label is already non-benign, the strict variant is Unsafe whatever is missing.
 * The paper writes "Bias≠Low"; its Bias values are Yes/No, so "No" (and "Low") count as benign.
 */
export function deriveAnnotation(labels: RawLabels): DerivedAnnotation {
  const warnings: string[] = [];
  const risk = (['bias', 'toxicity', 'harm'] as const).map((k) => {
    const v = labels[k];
    if (v === null || v.trim() === '') return null;
    const lv = v.trim().toLowerCase();
    if (!(KNOWN[k] as readonly string[]).includes(lv)) {
      warnings.push(`${k} value "${v}" is outside its value set; treated as non-benign`);
    }
    return !(BENIGN_VALUE[k] as readonly string[]).includes(lv);
  });
  const sentimentRaw = labels.sentiment?.trim().toLowerCase() ?? '';
  if (sentimentRaw !== '' && !(KNOWN.sentiment as readonly string[]).includes(sentimentRaw)) {
    warnings.push(`sentiment value "${labels.sentiment}" is outside its value set`);
  }
  const anyRisk = risk.some((r) => r === true);
  const allKnown = risk.every((r) => r !== null);
  const strict: Annotation | null = anyRisk ? 'Unsafe' : allKnown ? 'Benign' : null;

  let paper: Annotation | null;
  if (sentimentRaw === '') paper = null;
  else if (sentimentRaw !== 'negative') paper = 'Benign';
  else paper = anyRisk ? 'Unsafe' : allKnown ? 'Benign' : null;
  return { paper, strict, warnings };
}
