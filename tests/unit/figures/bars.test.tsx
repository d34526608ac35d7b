// The grouped bars of Table 5: one bar per computed cell, its height proportional to the table's
// number on the axis and its label the table's number (its digits); the paper's reference rows
// hatched, with the computed row's colour where the names match, and "paper" in the legend.
import { describe, expect, it } from 'vitest';
import type { EvalTable } from '../../../src/shared/contracts/evaluation';
import { barsKind } from '../../../src/shared/figures/kinds/bars';
import { hatchLines, layoutBars } from '../../../src/shared/figures/layout/bars';
import { THEMES } from '../../../src/shared/figures/theme';
import { renderKind, viewBox } from './k3-render';
import { fixtureTable } from './table-fixtures';

const data = (table: EvalTable) => ({ table, evaluation: { id: 7, name: 'fixture' } });
const fs = THEMES.paper.fontSize;

describe('bars figure (Table 5)', () => {
  it("draws one bar per computed cell, height ∝ value, labelled with the table's number", () => {
    const table = fixtureTable('table5');
    const l = layoutBars(table, 504, fs, THEMES.paper.categorical, THEMES.paper.muted);
    const cells = table.rows.flatMap((r) =>
      table.columns.flatMap((c) => (r.cells[c.key]?.value != null ? [[r, c, r.cells[c.key]!.value!] as const] : [])),
    );
    expect(l.bars.length).toBe(cells.length);
    const plotH = l.plot.bottom - l.plot.top;
    for (const [r, c, v] of cells) {
      const bar = l.bars.find((b) => b.row === r.key && b.column === c.key)!;
      expect(bar.height / plotH).toBeCloseTo(v / l.yMax, 9);
      expect(bar.text).toBe(v.toFixed(c.digits));
      expect(bar.reference).toBe(r.reference);
    }
    expect(l.yMax).toBeGreaterThanOrEqual(Math.max(...cells.map((x) => x[2])));
    expect(l.yMax).toBeLessThanOrEqual(100);
    // Bars stay inside the plot and the figure.
    for (const b of l.bars) {
      expect(b.y).toBeGreaterThanOrEqual(l.plot.top - 1e-9);
      expect(b.x + b.width).toBeLessThanOrEqual(504);
    }

    const { svg, height } = renderKind(barsKind, data(table));
    expect(viewBox(svg)).toEqual([0, 0, 504, height]);
    const drawn = [...svg.matchAll(/data-value="([^"]+)"/g)].map((m) => m[1]);
    expect(drawn).toEqual(l.bars.map((b) => b.text));
    // At double width every bar carries its value as text.
    for (const b of l.bars)
      expect(svg).toContain(
        `rotate(-90)" font-size="${fs.annotation}" font-family="DejaVu Sans" fill="#1a1a1a">${b.text}</text>`,
      );
    expect(svg).toContain('CMD test');
    expect(svg).toContain('ToxiGen');
    expect(svg).toContain('Items above threshold (%)');
  });

  it('hatches the paper\'s reference rows, keeps the colour of the same-named computed row, and says "paper" in the legend', () => {
    const table = fixtureTable('table5');
    const refs = table.rows.filter((r) => r.reference);
    expect(refs.map((r) => r.label)).toContain('initial (paper)');
    const { svg } = renderKind(barsKind, data(table));
    const refBars = svg.match(/class="bar reference"/g)!.length;
    expect(refBars).toBe(refs.reduce((n, r) => n + Object.values(r.cells).filter((c) => c.value !== null).length, 0));
    expect(svg).toContain('hatched = paper (quoted)');
    const l = layoutBars(table, 504, fs, THEMES.paper.categorical, THEMES.paper.muted);
    const colour = (row: string) => l.bars.find((b) => b.row === row)!.colour;
    expect(colour('paper:initial')).toBe(colour('initial'));
    expect(new Set(['initial', 'gen-a', 'gen-b', 'paper:SR_LLM'].map(colour)).size).toBe(4);
    // The paper's 72.98 (% unsafe of the initial CMD inputs) is drawn as a hatched bar.
    expect(svg).toMatch(/class="bar reference" data-value="72.98"/);
    // Without reference rows: no hatching, no "paper" legend.
    const plain = renderKind(barsKind, data(fixtureTable('table5', false))).svg;
    expect(plain).not.toContain('reference');
    expect(plain).not.toContain('paper');
  });

  it('hatch lines stay inside their rectangle', () => {
    const lines = hatchLines(10, 20, 6, 40, 3);
    expect(lines.length).toBeGreaterThan(10);
    for (const h of lines)
      for (const [x, y] of [
        [h.x1, h.y1],
        [h.x2, h.y2],
      ] as const) {
        expect(x).toBeGreaterThanOrEqual(10 - 1e-9);
        expect(x).toBeLessThanOrEqual(16 + 1e-9);
        expect(y).toBeGreaterThanOrEqual(20 - 1e-9);
        expect(y).toBeLessThanOrEqual(60 + 1e-9);
      }
  });

  it('at single width hides value labels that do not fit (fonts never below 7 pt), and refuses input that is not Table 5', () => {
    const { svg } = renderKind(barsKind, data(fixtureTable('table5')), {}, 252);
    expect(viewBox(svg)[2]).toBe(252);
    expect([...svg.matchAll(/font-size="([\d.]+)"/g)].every((m) => Number(m[1]) >= 7)).toBe(true);
    const noValues = renderKind(barsKind, data(fixtureTable('table5')), { values: false }).svg;
    expect(noValues).not.toMatch(/rotate\(-90\)" font-size="7"[^>]*>\d/);
    expect(() => barsKind.parseInput!({ table: fixtureTable('table6') })).toThrow(
      /input\.table\.id: .*table5.*not table6/,
    );
    const rows = barsKind.rows(data(fixtureTable('table5')), barsKind.options.parse({}));
    expect(rows.slice(1).some((r) => r[6] === 72.98 && r[2] === 'true')).toBe(true);
  });
});
