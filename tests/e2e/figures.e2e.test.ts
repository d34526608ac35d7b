// The Figures area end to end: the real `srlab serve` (built CLI) in a temporary data home,
// driven by headless Chromium. With no evaluation yet the area says so and links to the
// Evaluation area; then a real small evaluation runs (the tiny GGUF over 3 records of the demo
// CMD test split, scored by an embedded classifier trained on the demo dataset). Export buttons
// download SVG, PNG (at the DPI typed) and PDF, plus the data CSV and the spec JSON, for a
// t-distribution from numbers typed in, the demo dataset's label distribution and the
// evaluation's Table 5 bars; each file is checked by its bytes (type, size in points or pixels)
// and equals what figures.export gives for the downloaded spec. A network node dragged in the
// preview keeps its position in the spec. Nothing is mocked.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers';
import {
  hasChromium,
  homeWithTinyModelAndScorer,
  launchChromium,
  RESULTS_DIR,
  startServe,
  stopServe,
  type Served,
} from './harness';

const SCORER = 'figures-demo';

interface Downloaded {
  name: string;
  path: string;
  bytes: Buffer;
}

/** The PNG's pixel size from its IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The MediaBox numbers of every page of a PDF (pdfkit writes them uncompressed). */
function pdfPages(pdf: Buffer): number[][] {
  const text = pdf.toString('latin1');
  expect(text.startsWith('%PDF-')).toBe(true);
  return [...text.matchAll(/\/MediaBox \[([^\]]+)\]/g)].map((m) => m[1]!.trim().split(/\s+/).map(Number));
}

describe.skipIf(!hasChromium && !process.env.CI)('Figures in serve mode (headless Chromium)', () => {
  let served: Served | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  const dir = tempDir('srlab-e2e-figures-');
  const home = path.join(dir, 'data');
  /** The spec JSON downloaded with the t-distribution, opened again at the end. */
  let tDistSpec = '';

  const shot = (name: string) =>
    page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`), fullPage: true }).catch(() => undefined);

  async function call<T>(method: string, input: unknown): Promise<T> {
    const r = await fetch(`${served!.origin}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${served!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const body = (await r.json()) as { ok: boolean; result: T };
    if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body)}`);
    return body.result;
  }

  /** Click a button in the Export card and save what the browser downloads. */
  async function download(button: string): Promise<Downloaded> {
    const exportCard = page.getByRole('region', { name: 'Export' });
    const [d] = await Promise.all([
      page.waitForEvent('download'),
      exportCard.getByRole('button', { name: button, exact: true }).click(),
    ]);
    const file = path.join(dir, 'downloads', d.suggestedFilename());
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await d.saveAs(file);
    return { name: d.suggestedFilename(), path: file, bytes: fs.readFileSync(file) };
  }

  async function waitForPreview(kind: string): Promise<void> {
    await page
      .locator(
        `[data-testid="figure-preview"][data-kind="${kind}"] svg, [data-testid="figure-preview"][data-kind="${kind}"] img`,
      )
      .first()
      .waitFor();
    await page.locator('section[aria-label="Preview"][aria-busy="false"]').waitFor();
  }

  /**
   * Every export of the figure shown: SVG, PNG at `dpi`, PDF, data CSV and spec JSON; each file
   * of the right type and size, and each the same bytes figures.export gives for the downloaded spec.
   */
  async function exportAll(kind: string, dpi: number, stem: RegExp) {
    const specFile = await download('Spec JSON');
    expect(specFile.name).toMatch(/\.json$/);
    const spec = JSON.parse(specFile.bytes.toString('utf8')) as { kind: string; width: 'single' | 'double' };
    expect(spec.kind).toBe(kind);

    const svg = await download('SVG');
    expect(svg.name).toMatch(stem);
    expect(svg.name).toMatch(/\.svg$/);
    const svgText = svg.bytes.toString('utf8');
    expect(svgText.startsWith('<?xml')).toBe(true);
    expect(svgText).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    const points = spec.width === 'single' ? 252 : 504;
    expect(svgText).toContain(`viewBox="0 0 ${points} `);
    const direct = await call<{ base64: string; height: number; dataCsv: string }>('figures.export', {
      spec,
      format: 'svg',
    });
    expect(svg.bytes.equals(Buffer.from(direct.base64, 'base64'))).toBe(true);

    await page.locator('input[name="dpi"]').fill(String(dpi));
    const png = await download('PNG');
    expect(png.name).toMatch(/\.png$/);
    expect(pngSize(png.bytes)).toEqual({
      width: Math.round((points / 72) * dpi),
      height: Math.round((direct.height / 72) * dpi),
    });

    const pdf = await download('PDF');
    expect(pdf.name).toMatch(/\.pdf$/);
    const pages = pdfPages(pdf.bytes);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toEqual([0, 0, points, direct.height]);
    expect(pdf.bytes.toString('latin1')).toContain('/FontFile2');

    const csv = await download('Data CSV');
    expect(csv.name).toMatch(/\.csv$/);
    expect(csv.bytes.toString('utf8')).toBe(direct.dataCsv);
    expect(csv.bytes.toString('utf8').split(/\r?\n/).filter(Boolean).length).toBeGreaterThan(1);
    return { spec, svgText, csv: csv.bytes.toString('utf8'), specPath: specFile.path };
  }

  beforeAll(async () => {
    // The demo CMD dataset comes with a new data home: split it, then train the embedded scorer on it.
    homeWithTinyModelAndScorer(home, dir, SCORER);
    served = await startServe(home);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopServe(served?.child);
  });

  test('no evaluation yet: the empty state links to the Evaluation area', async () => {
    await page.goto(served!.url);
    await page.getByRole('link', { name: 'Figures' }).click();
    expect(new URL(page.url()).hash).toBe('#/figures');
    await page.getByRole('heading', { name: 'No evaluation yet' }).waitFor();
    await shot('figures-empty');
    await page.getByRole('button', { name: 'Go to Evaluation' }).click();
    await page.waitForFunction(() => location.hash === '#/evaluate');
    await page.getByRole('link', { name: 'Figures' }).click();
  });

  test('t-distribution from numbers typed in: every export downloads with the right type and size', async () => {
    await page.getByRole('radio', { name: 'My own numbers (JSON)' }).click();
    await page.locator('select[name="kind"]').selectOption('t-dist');
    const input = { summary: { n: 16602, mean: 0.21, sd: 0.96 }, mu: 0, alpha: 0.05 };
    await page.locator('textarea[name="input"]').fill(JSON.stringify(input));
    await waitForPreview('t-dist');
    // Drawn by the kind's own component in the page, with the observed t the metrics give.
    const result = await call<{ t: number; df: number }>('metrics.ttest', input);
    await page.locator('[data-testid="figure-preview"][data-drawn-by="component"] svg').waitFor();
    expect(result.df).toBe(16601);
    expect(await page.locator('[data-testid="figure-preview"] svg').textContent()).toMatch(
      /df = 16[,\u2009\u202f ]?601/,
    );
    await shot('figures-t-dist');
    const { svgText, specPath } = await exportAll('t-dist', 150, /^t-dist/);
    expect(svgText).toContain('<text');
    tDistSpec = specPath;
  });

  test('bad input names the field; nothing is exported from it', async () => {
    await page.locator('textarea[name="input"]').fill('{"mu": 0, "alpha": 0.05}');
    const banner = page.getByRole('region', { name: 'Preview' }).getByRole('alert');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/values|summary/);
    expect(
      await page.getByRole('region', { name: 'Export' }).getByRole('button', { name: 'SVG', exact: true }).isDisabled(),
    ).toBe(true);
  });

  test('the demo dataset’s label distribution exports in every format', async () => {
    await page.getByRole('radio', { name: 'A dataset' }).click();
    await page.locator('select[name="dataset"]').selectOption('cmd-demo');
    await page.locator('select[name="kind"]').selectOption('dataset');
    await page.locator('select[name="width"]').selectOption('single');
    await waitForPreview('dataset');
    await shot('figures-dataset');
    const { spec } = await exportAll('dataset', 96, /^dataset/);
    expect(spec).toMatchObject({ width: 'single', source: { kind: 'dataset', dataset: 'cmd-demo' } });
  });

  test('Table 5 bars of a real small evaluation export in every format, numbers from the table', async () => {
    const config = {
      name: 'figures e2e',
      testsets: [{ kind: 'cmd', dataset: 'cmd-demo', split: 'test', limit: 3 }],
      generators: [{ kind: 'local', model: 'tiny', label: 'tiny' }],
      scorers: [{ kind: 'embedded', classifier: SCORER }],
      decoding: { maxTokens: 8 },
    };
    const { evaluation } = await call<{ evaluation: { id: number } }>('evaluation.start', { config });
    for (let i = 0; i < 900; i++) {
      const got = await call<{ evaluation: { state: string } }>('evaluation.get', { evaluation: evaluation.id });
      if (got.evaluation.state === 'succeeded') break;
      if (['failed', 'cancelled', 'interrupted'].includes(got.evaluation.state))
        throw new Error(`evaluation ${got.evaluation.state}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await page.getByRole('radio', { name: 'An evaluation' }).click();
    await page.locator('select[name="evaluation"]').selectOption(String(evaluation.id));
    await page.locator('select[name="kind"]').selectOption('bars');
    await waitForPreview('bars');
    await shot('figures-bars');
    const { spec, csv } = await exportAll('bars', 300, /^bars/);
    expect(spec).toMatchObject({ source: { kind: 'evaluation', evaluation: evaluation.id } });
    // The tiny row's % flagged in the data file is the evaluation's own Table 5 number.
    const { tables } = await call<{
      tables: {
        id: string;
        rows: { label: string; reference?: boolean; cells: Record<string, { value: number | null }> }[];
      }[];
    }>('evaluation.tables', { evaluation: evaluation.id });
    const table5 = tables.find((t) => t.id === 'table5')!;
    const tiny = table5.rows.find((r) => r.label === 'tiny' && !r.reference)!;
    const value = Object.values(tiny.cells).find((c) => c.value !== null)!.value!;
    expect(csv).toContain('tiny');
    expect(
      csv
        .split(/\r?\n/)
        .some((l) => l.includes('tiny') && l.split(',').some((c) => c !== '' && Math.abs(Number(c) - value) < 0.01)),
    ).toBe(true);
  });

  test('a network node dragged in the preview keeps its place in the spec', async () => {
    await page.getByRole('radio', { name: 'My own numbers (JSON)' }).click();
    await page.locator('select[name="kind"]').selectOption('trait-network');
    await page.getByRole('button', { name: 'Example for this kind' }).click();
    await waitForPreview('trait-network');
    const node = page.locator('[data-testid="figure-preview"] circle[data-trait="polite"]');
    const box = (await node.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 40, y + 30, { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('figure-moved').waitFor();
    const moved = (await node.boundingBox())!;
    expect(Math.abs(moved.x - box.x) + Math.abs(moved.y - box.y)).toBeGreaterThan(10);
    const specFile = await download('Spec JSON');
    const spec = JSON.parse(specFile.bytes.toString('utf8')) as { options: { positions: Record<string, number[]> } };
    expect(Object.keys(spec.options.positions)).toContain('polite');
    // The export draws the node where it was dropped: the same SVG as the preview's spec gives.
    const svg = await download('SVG');
    const direct = await call<{ base64: string; caption: string }>('figures.export', { spec, format: 'svg' });
    expect(svg.bytes.equals(Buffer.from(direct.base64, 'base64'))).toBe(true);
    expect(direct.caption).toContain('positions adjusted by hand');
    await shot('figures-network');
  });

  test('a saved spec opens the same figure again, source and options included', async () => {
    await page.locator('input[aria-label="Spec file"]').setInputFiles(tDistSpec);
    await waitForPreview('t-dist');
    expect(await page.getByRole('radio', { name: 'My own numbers (JSON)' }).getAttribute('aria-checked')).toBe('true');
    expect(JSON.parse(await page.locator('textarea[name="input"]').inputValue())).toMatchObject({
      summary: { n: 16602 },
    });
    const again = await download('SVG');
    const spec = JSON.parse(fs.readFileSync(tDistSpec, 'utf8')) as unknown;
    const direct = await call<{ base64: string }>('figures.export', { spec, format: 'svg' });
    expect(again.bytes.equals(Buffer.from(direct.base64, 'base64'))).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
