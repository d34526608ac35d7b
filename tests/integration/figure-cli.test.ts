// `srlab figure` as a user runs it (the built CLI): each format written with its data CSV, spec
// JSON and caption beside it; --spec redraws the byte-identical SVG; --dpi and --width set the
// PNG's pixels; a dataset figure from the demo dataset; bad input exits 2 naming file and line.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { decodePng, inkShare, parseSvg, readPdf } from '../unit/figures/export-files';
import { assertBuilt, srlab } from './cli-helpers';

beforeAll(assertBuilt);

let home: string;
let dir: string;
let input: string;
beforeAll(() => {
  home = tempDir();
  dir = tempDir();
  input = path.join(dir, 'ttest.json');
  fs.writeFileSync(input, JSON.stringify({ summary: { n: 16602, mean: 0.1, sd: 0.45 }, mu: 0, alpha: 0.05 }, null, 2));
});

const figure = (args: string[]) => srlab(['figure', ...args, '--json'], { home });

describe('srlab figure', () => {
  it('writes SVG, PNG and PDF with the data, spec and caption files beside them', () => {
    for (const format of ['svg', 'png', 'pdf'] as const) {
      const out = path.join(dir, `t.${format}`);
      const r = figure(['--kind', 't-dist', '--input', input, '--out', out, '--width', 'single']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json).toMatchObject({
        file: out,
        format,
        data: path.join(dir, 't.csv'),
        spec: path.join(dir, 't.spec.json'),
        caption: path.join(dir, 't.caption.txt'),
        width: 252,
      });
      const bytes = fs.readFileSync(out);
      if (format === 'svg') expect(parseSvg(bytes.toString()).width).toBeCloseTo(252 * (96 / 72), 0);
      if (format === 'png') {
        const png = decodePng(bytes);
        expect(png.width).toBe(1050); // 3.5 in × 300 dpi (the default)
        expect(inkShare(png).share).toBeGreaterThan(0.005);
      }
      if (format === 'pdf') {
        const pdf = readPdf(bytes);
        expect(pdf.pages).toBe(1);
        expect(pdf.mediaBox).toEqual([0, 0, 252, r.json.height]);
        expect(pdf.text).toContain('t = 28.63');
      }
    }
    // The data file has the test's numbers; the spec names the source and settings.
    const csv = fs.readFileSync(path.join(dir, 't.csv'), 'utf8');
    expect(csv).toMatch(/^df,16601\r$/m);
    const spec = JSON.parse(fs.readFileSync(path.join(dir, 't.spec.json'), 'utf8'));
    expect(spec).toMatchObject({ kind: 't-dist', width: 'single', theme: 'paper', source: { kind: 'input' } });
    expect(fs.readFileSync(path.join(dir, 't.caption.txt'), 'utf8')).toMatch(/df = 16,601/);
  });

  it('--spec redraws the byte-identical SVG', () => {
    const first = path.join(dir, 'first.svg');
    expect(figure(['--kind', 't-dist', '--input', input, '--out', first, '--theme', 'slides']).code).toBe(0);
    const again = path.join(dir, 'again.svg');
    const r = figure(['--spec', path.join(dir, 'first.spec.json'), '--out', again]);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(again).equals(fs.readFileSync(first))).toBe(true);
    // A flag beside --spec changes the figure (negative control: the comparison can fail).
    const dark = path.join(dir, 'dark.svg');
    expect(figure(['--spec', path.join(dir, 'first.spec.json'), '--out', dark, '--theme', 'dark']).code).toBe(0);
    expect(fs.readFileSync(dark).equals(fs.readFileSync(first))).toBe(false);
  });

  it('never writes over the file it draws from: an --out whose spec file is the --input is refused', () => {
    const mine = path.join(dir, 'mine.spec.json');
    fs.copyFileSync(input, mine);
    const before = fs.readFileSync(mine);
    const r = figure(['--kind', 't-dist', '--input', mine, '--out', path.join(dir, 'mine.png')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/would write over --input .*mine\.spec\.json.*choose another --out/);
    expect(fs.readFileSync(mine).equals(before)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'mine.png'))).toBe(false);
    // The same input drawn to another name works (the control).
    expect(figure(['--kind', 't-dist', '--input', mine, '--out', path.join(dir, 'other.png')]).code).toBe(0);
  });

  it('--dpi sets the PNG pixels; --option reaches the kind', () => {
    const out = path.join(dir, 'd.png');
    const r = figure([
      '--kind',
      'dataset',
      '--dataset',
      'cmd-demo',
      '--option',
      'chart=length',
      '--out',
      out,
      '--dpi',
      '100',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(decodePng(fs.readFileSync(out)).width).toBe(700);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'd.spec.json'), 'utf8')).options.chart).toBe('length');
  });

  it('refuses bad input naming the file, line and field', () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{\n  "summary": {\n    "n": 1,\n    "mean": 0,\n    "sd": 1\n  }\n}\n');
    const r = figure(['--kind', 't-dist', '--input', bad, '--out', path.join(dir, 'bad.svg')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: line 3: summary.n`);
    expect(fs.existsSync(path.join(dir, 'bad.svg'))).toBe(false);

    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{\n  "summary": {,\n}');
    const b = figure(['--kind', 't-dist', '--input', broken, '--out', path.join(dir, 'x.svg')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain(`${broken}: line 2:`);

    expect(figure(['--kind', 't-dist', '--out', path.join(dir, 'x.svg')]).code).toBe(2);
    expect(figure(['--kind', 't-dist', '--input', input, '--out', path.join(dir, 'x.gif')]).code).toBe(2);
    expect(figure(['--kind', 't-dist', '--input', input, '--out', path.join(dir, 'x.png'), '--dpi', '5000']).code).toBe(
      2,
    );
    expect(figure(['--kind', 'human', '--evaluation', '1', '--out', path.join(dir, 'x.svg')]).code).toBe(2);
    const missing = figure(['--kind', 't-dist', '--evaluation', '999', '--out', path.join(dir, 'x.svg')]);
    expect(missing.code).toBe(2);
    expect(missing.json.error.kind).toBe('not-found');
  });
});
