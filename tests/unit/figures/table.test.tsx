// The table figure: every cell drawn with the number the evaluation table gives (its digits),
// bold exactly where the LaTeX export bolds (the same best-per-column rule, checked against
// export.ts's bestCells), the paper's reference rows italic and footnoted, wide tables split
// into column panels without losing a cell, and dataset text kept as escaped SVG text.
import { describe, expect, it } from 'vitest';
import { bestCells } from '../../../src/main/core/evaluation/export';
import type { EvalTable } from '../../../src/shared/contracts/evaluation';
import { tableKind } from '../../../src/shared/figures/kinds/table';
import { bestCellKeys, layoutTable } from '../../../src/shared/figures/layout/table';
import { THEMES } from '../../../src/shared/figures/theme';
import { renderKind, viewBox } from './k3-render';
import { fixtureTable } from './table-fixtures';

const data = (table: EvalTable) => ({ table, evaluation: { id: 7, name: 'fixture' } });

/** The <text> element of a cell, by its data-cell attribute. */
function cellText(svg: string, row: string, col: string): { attrs: string; text: string } {
  const esc = `${row}|${col}`.replace(/[|.*+?^${}()[\]\\]/g, '\\$&');
  const m = new RegExp(`<text([^>]*data-cell="${esc}"[^>]*)>(?:<title>[^<]*</title>)?([^<]*)</text>`).exec(svg);
  if (!m) throw new Error(`no cell ${row}|${col}`);
  return { attrs: m[1]!, text: m[2]! };
}

/** A table with every direction: lower, higher, closer to 50, none. */
const directions: EvalTable = {
  id: 'table7',
  title: 'Table 7: StereoSet',
  caption: 'c',
  columns: [
    { key: 'lms', label: 'LMS', group: 'overall', direction: 'higher', digits: 2 },
    { key: 'ss', label: 'SS', group: 'overall', direction: 'closer-to-50', digits: 2 },
    { key: 'icat', label: 'ICAT', group: 'overall', direction: 'higher', digits: 2 },
    { key: 'n', label: 'n', group: null, direction: 'none', digits: 0 },
  ],
  rows: [
    ['a', [90, 62, 60, 10]],
    ['b', [91, 44, 61, 12]],
    ['c', [91, 55, 59, 9]],
    ['paper:x', [99, 50, 99, 1]],
  ].map(([key, v]) => ({
    key: key as string,
    label: key as string,
    generator: null,
    reference: (key as string).startsWith('paper'),
    source: (key as string).startsWith('paper') ? 'PAPER.md, Table 7' : null,
    cells: Object.fromEntries(
      ['lms', 'ss', 'icat', 'n'].map((k, i) => [
        k,
        { value: (v as number[])[i]!, ci: null, note: null, provenance: null },
      ]),
    ),
  })),
};

describe('table figure', () => {
  it('agrees with the LaTeX export on the best cell of every column (all directions, ties, reference rows excluded)', () => {
    for (const t of [fixtureTable('table5'), fixtureTable('table6'), directions])
      expect([...bestCellKeys(t)].sort()).toEqual([...bestCells(t)].sort());
    // lms: tie between b and c; ss: c (|55−50| < |44−50|); icat: b; n: none; the paper row never wins.
    expect([...bestCellKeys(directions)].sort()).toEqual(['b\u0000icat', 'b\u0000lms', 'c\u0000lms', 'c\u0000ss']);
  });

  it("draws every cell of Table 5 with the table's number, bold where best, reference rows italic", () => {
    const table = fixtureTable('table5');
    const { svg, height } = renderKind(tableKind, data(table));
    expect(viewBox(svg)).toEqual([0, 0, 504, height]);
    const best = bestCells(table);
    expect(best.size).toBeGreaterThan(0);
    let cells = 0;
    for (const row of table.rows)
      for (const col of table.columns) {
        const c = row.cells[col.key];
        const { attrs, text } = cellText(svg, row.key, col.key);
        expect(text).toBe(c && c.value !== null ? c.value.toFixed(col.digits) : '–');
        expect(attrs.includes('font-weight="bold"'), `${row.key} ${col.key}`).toBe(
          best.has(`${row.key}\u0000${col.key}`),
        );
        expect(attrs.includes('font-style="italic"')).toBe(row.reference);
        cells++;
      }
    expect(cells).toBe(table.rows.length * table.columns.length);
    expect(table.rows.some((r) => r.reference)).toBe(true);
    expect(svg).toContain('Italic rows (paper): quoted from PAPER.md, not computed.');
    expect(svg).toContain('% unsafe ↓');
    // The CSV rows carry the same numbers and the same bold marks.
    const rows = tableKind.rows(data(table), tableKind.options.parse({}));
    expect(rows[0]).toContain('best');
    for (const r of rows.slice(1)) {
      const row = table.rows.find((x) => x.label === r[1])!;
      const col = table.columns.find((x) => x.group === r[3] && x.label === r[4])!;
      expect(r[6]).toBe(row.cells[col.key]!.value);
      expect(r[8]).toBe(best.has(`${row.key}\u0000${col.key}`) ? 'true' : 'false');
    }
  });

  it('negative control: a better value moves the bold', () => {
    const table = structuredClone(fixtureTable('table5', false));
    const col = table.columns[0]!;
    const worst = table.rows.find((r) => r.key === 'initial')!;
    worst.cells[col.key]!.value = -1;
    const { svg } = renderKind(tableKind, data(table));
    expect(cellText(svg, 'initial', col.key).attrs).toContain('font-weight="bold"');
    expect(cellText(svg, 'gen-a', col.key).attrs).not.toContain('font-weight="bold"');
  });

  it('splits a table wider than the figure into column panels, every cell kept, fonts unchanged', () => {
    const table = fixtureTable('table6');
    const wide = { ...table, columns: [...table.columns, ...table.columns.map((c) => ({ ...c, key: `${c.key}#2` }))] };
    for (const row of wide.rows) for (const c of table.columns) row.cells[`${c.key}#2`] = row.cells[c.key]!;
    const layout = layoutTable(wide, 252, THEMES.paper.fontSize.label, THEMES.paper.fontSize.title);
    expect(layout.panels.length).toBeGreaterThan(1);
    expect(layout.panels.flatMap((p) => p.columns.map((c) => c.column.key))).toEqual(wide.columns.map((c) => c.key));
    for (const p of layout.panels) for (const c of p.columns) expect(c.x + c.width).toBeLessThanOrEqual(252 + 1e-9);
    const { svg } = renderKind(tableKind, data(wide), { table: 'table6' }, 252);
    expect(svg.match(/class="table-panel"/g)!.length).toBe(layout.panels.length);
    for (const row of wide.rows) for (const c of wide.columns) cellText(svg, row.key, c.key);
    expect([...svg.matchAll(/font-size="([\d.]+)"/g)].every((m) => Number(m[1]) >= 7)).toBe(true);
  });

  it('keeps dataset text as text (escaped), and refuses bad input naming the field', () => {
    const table = structuredClone(fixtureTable('table5', false));
    table.rows[1]!.label = '<script>alert(1)</script>';
    const { svg } = renderKind(tableKind, data(table));
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(() => tableKind.parseInput!({ table: { ...table, rows: 'x' } })).toThrow(/input\.table\.rows/);
    expect(tableKind.parseInput!({ table }).evaluation).toEqual({ id: null, name: 'input' });
    expect(tableKind.caption(data(fixtureTable('table5')), tableKind.options.parse({}))).toMatch(
      /evaluation #7 "fixture".*n = 40–50 items per cell.*PAPER\.md/,
    );
  });
});
