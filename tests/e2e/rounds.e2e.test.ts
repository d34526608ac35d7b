// A CMD annotation round end to end (issue 13): the real `srlab serve` with the demo dataset;
// three annotators open their own links in separate browser contexts and label 3 records with
// the keyboard (1–3 per category), mark a biased word by its toggle, edit a benign variation and
// flag one record. The lab sees the tie and the flag in the adjudication queue, adjudicates,
// applies, and the dataset's records carry the gold labels with label edits naming the editor.
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LABEL_VALUES } from '../../src/shared/domain';
import { tempDir } from '../helpers';
import {
  hasChromium,
  labCall,
  launchChromium,
  RESULTS_DIR,
  startServe,
  stopServe,
  textOf,
  type Served,
} from './harness';

const ANNOTATORS = ['annot-ivy', 'annot-jade', 'annot-kai'] as const;
type An = (typeof ANNOTATORS)[number];
const CATEGORIES = ['bias', 'toxicity', 'sentiment', 'harm'] as const;
type Category = (typeof CATEGORIES)[number];
type Labels = Record<Category, string>;
const EXPERT = 'expert-ana';
const EDITED = 'A respectful rewording, edited by hand.';

describe.skipIf(!hasChromium && !process.env.CI)('CMD annotation rounds in serve mode (headless Chromium)', () => {
  let served: Served;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let roundId = 0;
  const links = {} as Record<An, string>;
  /** The round's 3 records, sorted by text: their ids and stored labels before the round. */
  let records: { id: number; text: string; labels: Labels }[] = [];
  /** What each annotator is to pick, per record (by its place in `records`). */
  const plan = (r: number, a: number): Labels => {
    const stored = records[r]!.labels;
    if (r === 0)
      // A three-way tie on sentiment.
      return { bias: 'No', toxicity: 'No', sentiment: LABEL_VALUES.sentiment[a]!, harm: 'Low' };
    if (r === 1) return { bias: 'Yes', toxicity: a === 2 ? 'High' : 'Mild', sentiment: 'Negative', harm: 'Medium' };
    // Agreed, and different from the stored bias (so applying makes an edit).
    return { bias: stored.bias === 'Yes' ? 'No' : 'Yes', toxicity: 'No', sentiment: 'Neutral', harm: 'Low' };
  };
  const firstWords: Record<number, string> = {};

  const radio = (page: Page, group: string, name: string) =>
    page.getByRole('radiogroup', { name: group, exact: true }).getByRole('radio', { name, exact: true });

  beforeAll(async () => {
    served = await startServe(tempDir('srlab-e2e-rounds-'));
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stopServe(served?.child);
  });

  test('the lab creates a round of 3 records, each labelled by all 3 annotators', async () => {
    const made = await labCall(served, 'rounds.create', {
      dataset: 'cmd-demo',
      records: 3,
      annotators: [...ANNOTATORS],
      perRecord: 3,
      seed: 2,
    });
    roundId = made.round.id;
    expect(made.records).toBe(3);
    for (const inv of made.invites) links[inv.evaluator as An] = inv.path;
    expect(Object.keys(links).sort()).toEqual([...ANNOTATORS]);
  });

  test('each annotator labels with keys, word toggles and a benign edit; one flags', async () => {
    const all = await labCall(served, 'datasets.records', { dataset: 'cmd-demo', filter: {}, limit: 2000 });
    for (const [a, annotator] of ANNOTATORS.entries()) {
      const context = await browser!.newContext({ viewport: { width: 1400, height: 950 } });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(`${served.origin}${links[annotator]}`);
      await page.getByRole('heading', { name: 'Content warning' }).waitFor();
      expect(await page.getByTestId('record-text').count()).toBe(0);
      await page.keyboard.press('Enter');
      await page.getByRole('complementary').getByRole('heading', { name: 'Annotation guidelines' }).waitFor();
      for (let i = 0; i < 3; i++) {
        await page.getByRole('region', { name: `Item ${i + 1} of 3` }).waitFor();
        const text = (await page.getByTestId('record-text').textContent()) ?? '';
        if (records.length < 3 && a === 0) {
          const rec = all.rows.find((r: { text: string }) => r.text === text);
          expect(rec, text).toBeDefined();
          records.push({ id: rec.id, text, labels: rec.labels });
          if (records.length === 3) records = records.sort((x, y) => x.text.localeCompare(y.text));
        }
        if (a === 0 && i < 2) {
          // Ivy sees all three before the order is known: labels are entered in a second pass.
          await page.keyboard.press('ArrowRight');
          continue;
        }
        await labelOne(page, a, text);
        if (i < 2) await page.keyboard.press('ArrowRight');
      }
      if (a === 0) {
        // Ivy's second pass, now that the records' order (by text) is known.
        await page.keyboard.press('ArrowLeft');
        await page.keyboard.press('ArrowLeft');
        for (let i = 0; i < 2; i++) {
          await page.getByRole('region', { name: `Item ${i + 1} of 3` }).waitFor();
          await labelOne(page, a, (await page.getByTestId('record-text').textContent()) ?? '');
          await page.keyboard.press('ArrowRight');
        }
      }
      await page
        .getByTestId('save-state')
        .filter({ hasText: /^Saved$/ })
        .waitFor();
      expect(await textOf(page.getByTestId('progress'))).toBe('3 of 3 done');
      await page.screenshot({ path: path.join(RESULTS_DIR, `rounds-${annotator}.png`) });
      await page.getByRole('button', { name: 'Submit labels' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Submit', exact: true }).click();
      await page.getByRole('heading', { name: 'Thank you' }).waitFor();
      // A lab method from this browser: refused.
      const refused = await page.evaluate(async () => {
        const r = await fetch('/api/rounds.status', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"id":1}',
        });
        return r.status;
      });
      expect(refused).toBe(403);
    }
    expect(pageErrors).toEqual([]);

    async function labelOne(page: Page, a: number, text: string): Promise<void> {
      const r = records.findIndex((x) => x.text === text);
      expect(r, text).toBeGreaterThanOrEqual(0);
      const labels = plan(r, a);
      // Mark the first word as biased (its toggle), then the four categories by key.
      const word = page.getByTestId('record-text').getByRole('button').first();
      firstWords[r] = ((await word.textContent()) ?? '').trim();
      await word.click();
      expect(await word.getAttribute('aria-pressed')).toBe('true');
      await page.getByRole('region', { name: /^Item / }).focus();
      for (const c of CATEGORIES)
        await page.keyboard.press(String((LABEL_VALUES[c] as readonly string[]).indexOf(labels[c]) + 1));
      for (const c of CATEGORIES)
        expect(await radio(page, c[0]!.toUpperCase() + c.slice(1), labels[c]).isChecked(), c).toBe(true);
      expect(await textOf(page.getByTestId('biased-words'))).toContain(firstWords[r]!.replace(/[^\w'-]/g, ''));
      if (r === 1 && a === 0) {
        // Ivy rewrites the benign variation of record 1, then leaves the field with Escape.
        const benign = page.getByRole('textbox', { name: 'Benign variation' });
        await benign.fill(EDITED);
        await page.keyboard.press('Escape');
      }
      if (r === 1 && a === 2) {
        await page.keyboard.press('f');
        expect(await page.getByRole('checkbox', { name: /Flag for an expert/ }).isChecked()).toBe(true);
      }
    }
  });

  test('rounds.status and the queue: one agreed record, a tie and a flag waiting', async () => {
    const status = await labCall(served, 'rounds.status', { id: roundId });
    expect(status.progress).toEqual({ done: 9, total: 9 });
    expect(status.gold).toMatchObject({ agreed: 1, queued: 2, adjudicated: 0, incomplete: 0 });
    expect(status.kappa.perLabel.bias).toBe(1);
    const { items } = await labCall(served, 'rounds.queue', { id: roundId });
    const byRecord = new Map(items.map((q: { record: number }) => [q.record, q]));
    const tie = byRecord.get(records[0]!.id) as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON
    const flag = byRecord.get(records[1]!.id) as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON
    expect(tie.reasons).toEqual(['tie']);
    expect(tie.tied).toEqual(['sentiment']);
    expect(tie.votes.sentiment).toEqual({ Negative: 1, Neutral: 1, Positive: 1 });
    expect(flag.reasons).toContain('flagged');
    expect(flag.majority).toMatchObject({ bias: 'Yes', toxicity: 'Mild', sentiment: 'Negative', harm: 'Medium' });
    expect(flag.benign).toContainEqual({ annotator: ANNOTATORS[0], text: EDITED });
    expect(flag.biasedWords.length).toBeGreaterThan(0);
  });

  test('the lab adjudicates and applies; the records carry the gold labels and edits naming the editor', async () => {
    const before = new Map<number, Labels>(records.map((r) => [r.id, r.labels]));
    // The tie: the expert picks a sentiment other than the stored one, so applying changes it.
    const stored0 = records[0]!.labels.sentiment;
    const sentiment = LABEL_VALUES.sentiment.find((v) => v !== stored0)!;
    await labCall(served, 'rounds.adjudicate', {
      id: roundId,
      record: records[0]!.id,
      labels: { bias: null, toxicity: null, sentiment, harm: null },
      by: EXPERT,
      note: 'sentiment settled by the guidelines',
    });
    // The flag: the majority stands.
    await labCall(served, 'rounds.adjudicate', {
      id: roundId,
      record: records[1]!.id,
      labels: { bias: null, toxicity: null, sentiment: null, harm: null },
      by: EXPERT,
    });
    expect((await labCall(served, 'rounds.status', { id: roundId })).gold).toMatchObject({ queued: 0, adjudicated: 2 });
    const applied = await labCall(served, 'rounds.apply', { id: roundId, by: EXPERT });
    expect(applied).toMatchObject({ records: 3, pending: 0 });
    const gold: Labels[] = [
      { bias: 'No', toxicity: 'No', sentiment, harm: 'Low' },
      { bias: 'Yes', toxicity: 'Mild', sentiment: 'Negative', harm: 'Medium' },
      plan(2, 0),
    ];
    let edits = 0;
    for (const [r, rec] of records.entries()) {
      const got = await labCall(served, 'datasets.record', { id: rec.id });
      expect(got.record.labels, `record ${r}`).toEqual(gold[r]);
      for (const c of CATEGORIES) {
        if (before.get(rec.id)![c] === gold[r]![c]) continue;
        edits++;
        const edit = got.edits.find(
          (e: { field: string; after: unknown }) => e.field.endsWith(c) && e.after === gold[r]![c],
        );
        expect(edit, `record ${r} ${c}`).toBeDefined();
        expect(edit).toMatchObject({ editor: EXPERT, before: before.get(rec.id)![c] });
      }
    }
    expect(edits).toBeGreaterThanOrEqual(2); // record 0's sentiment and record 2's bias at least
    expect(applied.edits).toBeGreaterThanOrEqual(edits);
    expect((await labCall(served, 'rounds.status', { id: roundId })).round.appliedAt).not.toBeNull();
  });
});
