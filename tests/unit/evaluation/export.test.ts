// The table exports: LaTeX escaping of every text (dataset-derived labels included), the best
// value per column in bold by the column's direction (reference rows never compete), spanning
// group headers, Markdown escaping, and CSV cells guarded against spreadsheet formulas.
import { describe, expect, it } from 'vitest';
import type { EvalTable, TableCell } from '../../../src/shared/contracts/evaluation';
import {
  bestCells,
  exportTables,
  latexEscape,
  nonEmpty,
  tablesToCsv,
  tableToLatex,
  tableToMarkdown,
} from '../../../src/main/core/evaluation/export';

const c = (value: number | null): TableCell => ({ value, ci: null, note: null, provenance: null });

function sample(): EvalTable {
  return {
    id: 'table7',
    title: 'Table 7: StereoSet',
    caption: 'LMS ↑, SS → 50 & 100% fine',
    columns: [
      { key: 'lms', label: 'LMS', group: 'Overall', direction: 'higher', digits: 2 },
      { key: 'ss', label: 'SS', group: 'Overall', direction: 'closer-to-50', digits: 2 },
      { key: 'unsafe', label: '% unsafe', group: 'CMD_test', direction: 'lower', digits: 1 },
      { key: 'n', label: 'n', group: null, direction: 'none', digits: 0 },
    ],
    rows: [
      {
        key: 'a',
        label: 'model_a',
        generator: 'model_a',
        reference: false,
        source: null,
        cells: { lms: c(80), ss: c(60), unsafe: c(10), n: c(5) },
      },
      {
        key: 'b',
        label: 'b & \\input{x}',
        generator: 'b',
        reference: false,
        source: null,
        cells: { lms: c(90), ss: c(45), unsafe: c(10), n: c(9) },
      },
      {
        key: 'c',
        label: 'c',
        generator: 'c',
        reference: false,
        source: null,
        cells: { lms: c(70), ss: c(38), unsafe: c(12.25), n: c(null) },
      },
      // A reference row with better numbers everywhere: quoted, never bold, never "best".
      {
        key: 'paper:X',
        label: 'X (paper)',
        generator: null,
        reference: true,
        source: 'PAPER.md, Table 7',
        cells: { lms: c(99), ss: c(50), unsafe: c(1) },
      },
    ],
  };
}

describe('latexEscape', () => {
  it('escapes every LaTeX special character and the symbols srlab writes', () => {
    expect(latexEscape('50% & $x_1 {#} ~^\\ <a|b>')).toBe(
      '50\\% \\& \\$x\\_1 \\{\\#\\} \\textasciitilde{}\\textasciicircum{}\\textbackslash{} \\textless{}a\\textbar{}b\\textgreater{}',
    );
    expect(latexEscape('a × b · c − d α ↓')).toBe('a $\\times$ b $\\cdot$ c $-$ d $\\alpha$ $\\downarrow$');
  });
});

describe('bestCells', () => {
  it('picks the best computed value by direction: higher, closest to 50, lower (ties all bold), none never', () => {
    const best = bestCells(sample());
    expect([...best].sort()).toEqual(['a\u0000unsafe', 'b\u0000lms', 'b\u0000ss', 'b\u0000unsafe'].sort());
  });

  it('bolds nothing in a column with fewer than two computed values', () => {
    const t = sample();
    t.rows = t.rows.slice(0, 1);
    expect(bestCells(t).size).toBe(0);
  });
});

describe('tableToLatex', () => {
  const tex = tableToLatex(sample());

  it('writes booktabs with spanning groups, arrows in headers and bold best values', () => {
    expect(tex).toContain('\\begin{tabular}{lrrrr}');
    expect(tex).toContain(' & \\multicolumn{2}{c}{Overall} & \\multicolumn{1}{c}{CMD\\_test} &   \\\\');
    expect(tex).toContain('\\cmidrule(lr){2-3} \\cmidrule(lr){4-4}');
    expect(tex).toContain('Model & LMS $\\uparrow$ & SS $\\rightarrow 50$ & \\% unsafe $\\downarrow$ & n \\\\');
    expect(tex).toContain('model\\_a & 80.00 & 60.00 & \\textbf{10.0} & 5 \\\\');
    expect(tex).toContain('c & 70.00 & 38.00 & 12.3 & -- \\\\');
    expect(tex).toContain('\\caption{Table 7: StereoSet. LMS $\\uparrow$, SS $\\rightarrow$ 50 \\& 100\\% fine}');
  });

  it('escapes row labels (no LaTeX command from data survives) and sets reference rows apart in italics', () => {
    expect(tex).toContain(
      'b \\& \\textbackslash{}input\\{x\\} & \\textbf{90.00} & \\textbf{45.00} & \\textbf{10.0} & 9 \\\\',
    );
    expect(tex).not.toContain('\\input{x}');
    expect(tex).toContain('\\midrule\n\\textit{X (paper)} & 99.00 & 50.00 & 1.0 & -- \\\\');
    expect(tex).toContain('% Reference rows (italic) are quoted, not computed: PAPER.md, Table 7');
  });
});

describe('Markdown and CSV', () => {
  it('escapes Markdown and bolds the best values', () => {
    const md = tableToMarkdown(sample());
    expect(md).toContain('| Model | Overall: LMS ↑ | Overall: SS →50 | CMD\\_test: % unsafe ↓ | n |');
    expect(md).toContain('| b & \\\\input{x} | **90.00** | **45.00** | **10.0** | 9 |');
    expect(md).toContain('| *X (paper)* | 99.00 | 50.00 | 1.0 | – |');
  });

  it('writes one CSV line per cell, guarding text that a spreadsheet would run as a formula', () => {
    const t = sample();
    t.rows[0]!.label = '=HYPERLINK("x")';
    t.rows[0]!.cells.ss = c(-3.5);
    const csv = tablesToCsv([t]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'table,row,reference,column_group,column,direction,value,n,note,source,run_ids,model_sha256,adapter_sha256,endpoint,scorer,scorer_version',
    );
    expect(lines[1]).toBe('table7,"\'=HYPERLINK(""x"")",false,Overall,LMS,higher,80,,,,,,,,,');
    expect(lines[2]).toBe('table7,"\'=HYPERLINK(""x"")",false,Overall,SS,closer-to-50,-3.5,,,,,,,,,');
    expect(lines).toHaveLength(1 + 4 + 4 + 4 + 3);
  });

  it('leaves out tables without values and names files after the evaluation', () => {
    const empty: EvalTable = { ...sample(), id: 'table8', rows: [] };
    expect(nonEmpty([empty, sample()]).map((t) => t.id)).toEqual(['table7']);
    expect(exportTables([sample()], 'latex', 'my eval/1').fileName).toBe('my-eval-1.tex');
    expect(exportTables([sample()], 'csv', 'x').mimeType).toBe('text/csv');
  });
});
