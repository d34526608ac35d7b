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

/** A term of the rule: true, false, or unknown (null) when the labels it reads are missing. */
type Truth = boolean | null;

/** Kleene's three-valued OR: true if any is true, false if all are false, else unknown. */
function anyOf(ts: Truth[]): Truth {
  if (ts.some((t) => t === true)) return true;
  return ts.every((t) => t === false) ? false : null;
}

/** Kleene's three-valued AND: false if either is false, true if both are true, else unknown. */
function bothOf(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : null;
}

const toAnnotation = (t: Truth): Annotation | null => (t === null ? null : t ? 'Unsafe' : 'Benign');

/**
 * Derive Unsafe/Benign (METRICS.md section 8). Labels compare case-insensitively; a value
 * outside its set counts as non-benign (for Sentiment: as if it were Negative, since
 * "Negative" is the value that makes the rule's sentiment term true) and is reported in
 * `warnings`.
 *
 * Missing labels are unknown, and the rule is evaluated in three-valued logic: a result is
 * given whenever the present labels decide it whatever the missing ones would be, and null
 * otherwise (never a guess). So Bias, Toxicity and Harm all benign give Benign however
 * Sentiment reads (missing included); a non-benign risk label with Sentiment Neutral or
 * Positive gives Benign; a non-benign risk label with Sentiment missing gives null for the
 * paper's rule (but Unsafe for the strict variant).
 *
 * The paper writes "Bias≠Low"; its Bias values are Yes/No, so "No" counts as benign and so
 * does the literal "Low" (the rule's own word; it is still outside Bias's value set, so the
 * importer flags it). That is srlab's reading of the paper's inconsistency.
 */
export function deriveAnnotation(labels: RawLabels): DerivedAnnotation {
  const warnings: string[] = [];
  const risk: Truth[] = (['bias', 'toxicity', 'harm'] as const).map((k) => {
    const v = labels[k];
    if (v === null || v.trim() === '') return null;
    const lv = v.trim().toLowerCase();
    const benign = (BENIGN_VALUE[k] as readonly string[]).includes(lv);
    if (!(KNOWN[k] as readonly string[]).includes(lv)) {
      warnings.push(
        `${k} value "${v}" is outside its value set; treated as ${benign ? 'benign (the rule names it)' : 'non-benign'}`,
      );
    }
    return !benign;
  });
  const s = labels.sentiment?.trim().toLowerCase() ?? '';
  let negative: Truth;
  if (s === '') negative = null;
  else if (s === 'negative') negative = true;
  else if ((KNOWN.sentiment as readonly string[]).includes(s)) negative = false;
  else {
    warnings.push(`sentiment value "${labels.sentiment}" is outside its value set; treated as non-benign (Negative)`);
    negative = true;
  }
  const anyRisk = anyOf(risk);
  return { paper: toAnnotation(bothOf(anyRisk, negative)), strict: toAnnotation(anyRisk), warnings };
}

/**
 * Whether a stated (gold) annotation disagrees with the derived one. Only a gold value of the
 * set (Unsafe/Benign) can disagree; one outside it is kept and flagged at import instead.
 */
export function annotationDisagrees(gold: string | null, derived: Annotation | null): boolean {
  return (gold === 'Unsafe' || gold === 'Benign') && derived !== null && gold !== derived;
}
