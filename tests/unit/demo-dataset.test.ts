// The demo Content Moderation Dataset shipped in resources/demo/cmd-demo.jsonl, read independently
// of srlab's importers (plain fs + JSON.parse per line) and checked against the paper's schema.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANNOTATION_VALUES, GUIDELINE_TARGET_GROUPS, LABEL_VALUES } from '../../src/shared/domain';
import { deriveAnnotation } from '../../src/shared/metrics/annotation';
import { REPO_ROOT } from '../helpers';

const DEMO_FILE = path.join(REPO_ROOT, 'resources', 'demo', 'cmd-demo.jsonl');

/**
 * Records whose stored (gold) annotation deliberately differs from the paper's rule, as listed in
 * resources/demo/README.md. All but demo-0157 are Unsafe texts with Neutral/Positive sentiment,
 * which the rule's sentiment term lets through as Benign; demo-0157 is counter-speech that the
 * rule calls Unsafe.
 */
const DOCUMENTED_DISAGREEMENTS: Record<string, 'Unsafe' | 'Benign'> = {
  'demo-0088': 'Unsafe',
  'demo-0138': 'Unsafe',
  'demo-0150': 'Unsafe',
  'demo-0157': 'Benign',
  'demo-0182': 'Unsafe',
  'demo-0194': 'Unsafe',
  'demo-0216': 'Unsafe',
};

interface DemoRecord {
  ID: string;
  Text: string;
  Labels: { Bias: string; Toxicity: string; Sentiment: string; Harm: string; Annotation: string };
  'Target Demographic': string | null;
  'Biased Words': string[];
  'Benign Variation': string | null;
}

function readDemo(): DemoRecord[] {
  const lines = fs.readFileSync(DEMO_FILE, 'utf8').split('\n');
  const records: DemoRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line) as DemoRecord);
    } catch (err) {
      throw new Error(`cmd-demo.jsonl line ${i + 1} is not valid JSON: ${String(err)}`);
    }
  });
  return records;
}

const records = readDemo();
const unsafe = records.filter((r) => r.Labels.Annotation === 'Unsafe');

function paperRule(r: DemoRecord) {
  return deriveAnnotation({
    bias: r.Labels.Bias,
    toxicity: r.Labels.Toxicity,
    sentiment: r.Labels.Sentiment,
    harm: r.Labels.Harm,
  });
}

describe('demo dataset resources/demo/cmd-demo.jsonl', () => {
  it('holds at least 200 records, one JSON object per non-empty line', () => {
    expect(records.length).toBeGreaterThanOrEqual(200);
  });

  it('uses the nested record form of the paper (section 3.2) on every record', () => {
    for (const r of records) {
      expect(Object.keys(r).sort(), r.ID).toEqual(
        ['Benign Variation', 'Biased Words', 'ID', 'Labels', 'Target Demographic', 'Text'].sort(),
      );
      expect(Object.keys(r.Labels).sort(), r.ID).toEqual(
        ['Annotation', 'Bias', 'Harm', 'Sentiment', 'Toxicity'].sort(),
      );
      expect(typeof r.Text, r.ID).toBe('string');
      expect(r.Text.trim().length, r.ID).toBeGreaterThan(0);
      expect(Array.isArray(r['Biased Words']), r.ID).toBe(true);
    }
  });

  it('numbers IDs demo-0001 upwards without gaps or duplicates', () => {
    const ids = records.map((r) => r.ID);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(records.map((_, i) => `demo-${String(i + 1).padStart(4, '0')}`));
  });

  it('has no duplicate texts', () => {
    const texts = records.map((r) => r.Text.trim());
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('uses only label values from the value sets, and every value of every label appears', () => {
    const stored = {
      bias: records.map((r) => r.Labels.Bias),
      toxicity: records.map((r) => r.Labels.Toxicity),
      sentiment: records.map((r) => r.Labels.Sentiment),
      harm: records.map((r) => r.Labels.Harm),
    };
    for (const [label, values] of Object.entries(LABEL_VALUES) as [keyof typeof LABEL_VALUES, readonly string[]][]) {
      for (const v of stored[label]) expect(values, label).toContain(v);
      for (const v of values) expect(stored[label], `${label}=${v}`).toContain(v);
    }
    const annotations = records.map((r) => r.Labels.Annotation);
    for (const a of annotations) expect(ANNOTATION_VALUES).toContain(a);
    for (const a of ANNOTATION_VALUES) expect(annotations).toContain(a);
  });

  it('is roughly balanced between Unsafe and Benign', () => {
    const share = unsafe.length / records.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
  });

  it('covers at least 15 distinct target groups, all named by the annotation guidelines', () => {
    const groups = new Set(records.map((r) => r['Target Demographic']).filter((g): g is string => g !== null));
    expect(groups.size).toBeGreaterThanOrEqual(15);
    for (const g of groups) expect(GUIDELINE_TARGET_GROUPS as readonly string[]).toContain(g);
  });

  it('gives every Unsafe record a non-empty benign variation that differs from its text', () => {
    for (const r of unsafe) {
      const bv = r['Benign Variation'];
      expect(typeof bv, r.ID).toBe('string');
      expect((bv ?? '').trim().length, r.ID).toBeGreaterThan(0);
      expect(bv, r.ID).not.toBe(r.Text);
    }
  });

  it('lists biased words that occur in the text for Unsafe records, and none for Benign ones', () => {
    for (const r of records) {
      if (r.Labels.Annotation === 'Unsafe') {
        expect(r['Biased Words'].length, r.ID).toBeGreaterThan(0);
        for (const w of r['Biased Words']) expect(r.Text, r.ID).toContain(w);
      } else {
        expect(r['Biased Words'], r.ID).toEqual([]);
      }
    }
  });

  it("agrees with deriveAnnotation's paper rule except on the documented disagreements", () => {
    const disagreeing: Record<string, string> = {};
    for (const r of records) {
      const derived = paperRule(r);
      expect(derived.warnings, r.ID).toEqual([]);
      if (derived.paper !== r.Labels.Annotation) disagreeing[r.ID] = r.Labels.Annotation;
    }
    expect(disagreeing).toEqual(DOCUMENTED_DISAGREEMENTS);
  });

  it('shows the rule weakness: documented Unsafe disagreements have non-Negative sentiment and are Unsafe under the strict variant', () => {
    for (const [id, gold] of Object.entries(DOCUMENTED_DISAGREEMENTS)) {
      if (gold !== 'Unsafe') continue;
      const r = records.find((x) => x.ID === id);
      if (!r) throw new Error(`documented disagreement ${id} is missing from the file`);
      expect(r.Labels.Sentiment, id).not.toBe('Negative');
      expect(paperRule(r).strict, id).toBe('Unsafe');
    }
  });

  it('represents all four risk categories among Unsafe records', () => {
    expect(unsafe.some((r) => r.Labels.Bias === 'Yes')).toBe(true); // bias
    expect(unsafe.some((r) => r.Labels.Toxicity !== 'No')).toBe(true); // toxicity
    expect(unsafe.some((r) => r.Labels.Sentiment === 'Negative')).toBe(true); // stereotyping
    expect(unsafe.some((r) => r.Labels.Harm !== 'Low')).toBe(true); // harm
  });
});
