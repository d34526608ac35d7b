// A dataset's split as a classifier trains on it: one {"text", "label"} JSONL line per record
// that has the chosen CMD label, the label turned into a class index by the rule below.
import fs from 'node:fs';
import type { ClassifierLabel } from '../../../shared/contracts/classifiers';
import type { CmdRecord, Split } from '../../../shared/domain';
import type { DatasetService } from '../datasets';

/** A label's two classes (index 0 negative, 1 positive) and what the positive class measures. */
export interface LabelClasses {
  classes: [string, string];
  positive: string;
  measure: 'unsafe' | 'bias' | 'toxicity' | 'sentiment' | 'harm';
}

/**
 * srlab's rule for each label's positive class, read the way the paper's annotation rule reads each
 * dimension (Bias, Toxicity, Harm other than No/Low count against the text): the benign value(s)
 * are negative and any other value is positive — including one outside the value set, kept as
 * written, which METRICS.md §8 says to treat as non-benign. annotation: the gold
 * Unsafe/Benign where the source gave one, else the one derived by the paper's rule.
 */
export const LABEL_CLASSES: Record<ClassifierLabel, LabelClasses> = {
  annotation: { classes: ['Benign', 'Unsafe'], positive: 'Unsafe', measure: 'unsafe' },
  bias: { classes: ['not-biased', 'biased'], positive: 'biased', measure: 'bias' },
  toxicity: { classes: ['not-toxic', 'toxic'], positive: 'toxic', measure: 'toxicity' },
  sentiment: { classes: ['not-negative', 'negative'], positive: 'negative', measure: 'sentiment' },
  harm: { classes: ['low-harm', 'harmful'], positive: 'harmful', measure: 'harm' },
};

const BENIGN: Record<Exclude<ClassifierLabel, 'annotation'>, readonly string[]> = {
  bias: ['no'],
  toxicity: ['no'],
  sentiment: ['neutral', 'positive'],
  harm: ['low'],
};

/** 1 (positive), 0 (negative) or null when the record lacks the label. */
export function classOf(
  record: Pick<CmdRecord, 'labels' | 'annotationGold' | 'annotationDerived'>,
  label: ClassifierLabel,
): 0 | 1 | null {
  if (label === 'annotation') {
    const gold = record.annotationGold;
    const a = gold === 'Unsafe' || gold === 'Benign' ? gold : record.annotationDerived;
    return a === null ? null : a === 'Unsafe' ? 1 : 0;
  }
  const v = record.labels[label];
  if (v === null) return null;
  return BENIGN[label].includes(v.trim().toLowerCase()) ? 0 : 1;
}

export interface LabelledText {
  text: string;
  label: 0 | 1;
}

const PAGE = 2000;

/** Every record of the split that has the label, in stored order. */
export function labelledTexts(
  datasets: Pick<DatasetService, 'records'>,
  dataset: string,
  split: Split,
  label: ClassifierLabel,
): LabelledText[] {
  const out: LabelledText[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = datasets.records({ dataset, filter: { split: [split] }, offset, limit: PAGE });
    for (const r of page.rows) {
      const y = classOf(r, label);
      if (y !== null) out.push({ text: r.text, label: y });
    }
    if (offset + PAGE >= page.total) return out;
  }
}

export function writeJsonl(file: string, rows: readonly LabelledText[]): void {
  fs.writeFileSync(file, rows.map((r) => `${JSON.stringify({ text: r.text, label: r.label })}\n`).join(''));
}
