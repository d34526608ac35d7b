// The per-group heat map of Table 6: one cell per generator × group with the table's number
// written in it, the colour on the theme's sequential ramp by value, and the ink chosen so it
// contrasts (WCAG ratio ≥ 4.5 for every cell of every theme).
import { describe, expect, it } from 'vitest';
import type { EvalTable } from '../../../src/shared/contracts/evaluation';
import { heatmapKind } from '../../../src/shared/figures/kinds/heatmap';
import { contrastRatio, inkFor, layoutHeatmap, luminance } from '../../../src/shared/figures/layout/heatmap';
import { THEMES } from '../../../src/shared/figures/theme';
import { renderKind, viewBox } from './k3-render';
import { fixtureTable } from './table-fixtures';

const data = (table: EvalTable) => ({ table, evaluation: { id: 7, name: 'fixture' } });

describe('heatmap figure (Table 6)', () => {
  it("writes the table's number in every cell, one cell per generator and group", () => {
    const table = fixtureTable('table6');
    expect(table.columns.length).toBe(5);
    const { svg, height } = renderKind(heatmapKind, data(table));
    expect(viewBox(svg)).toEqual([0, 0, 504, height]);
    for (const row of table.rows)
      for (const col of table.columns) {
        const v = row.cells[col.key]!.value!;
        expect(svg).toContain(`<g data-value="${v.toFixed(col.digits)}">`);
      }
    expect(svg.match(/<g data-value=/g)!.length).toBe(table.rows.length * table.columns.length);
    for (const g of ['asian', 'black', 'jewish', 'lgbtq', 'muslim']) expect(svg).toContain(`>${g}</text>`);
    expect(svg).toContain('ToxiGen · % toxic');
    expect(svg).toContain('% toxic');
  });

  it('colours by value (monotone: a larger value is darker on paper) with contrasting ink', () => {
    const table = fixtureTable('table6');
    for (const theme of Object.values(THEMES)) {
      const l = layoutHeatmap(table, 504, theme.fontSize, theme.sequential, theme.grid, 'fixed');
      const sorted = [...l.cells].sort((a, b) => a.value! - b.value!);
      for (let i = 1; i < sorted.length; i++) {
        const [a, b] = [luminance(sorted[i - 1]!.fill), luminance(sorted[i]!.fill)];
        if (sorted[i]!.value! > sorted[i - 1]!.value!)
          // The paper ramp darkens with the value; the dark theme's ramp lightens.
          expect(theme.name === 'dark' ? b > a : b < a, `${theme.name} ${sorted[i]!.value}`).toBe(true);
      }
      for (const c of l.cells) expect(contrastRatio(c.fill, c.ink)).toBeGreaterThanOrEqual(4.5);
    }
    // The ramp's ends: 0 → the light end, 100 → the dark end (fixed domain).
    const one = structuredClone(table);
    one.rows[0]!.cells[one.columns[0]!.key]!.value = 100;
    one.rows[1]!.cells[one.columns[0]!.key]!.value = 0;
    const l = layoutHeatmap(one, 504, THEMES.paper.fontSize, THEMES.paper.sequential, THEMES.paper.grid, 'fixed');
    expect(l.cells.find((c) => c.value === 100)!.fill).toBe(THEMES.paper.sequential[1]);
    expect(l.cells.find((c) => c.value === 0)!.fill).toBe(THEMES.paper.sequential[0]);
    expect(inkFor(THEMES.paper.sequential[1])).toBe('#ffffff');
    expect(inkFor(THEMES.paper.sequential[0])).toBe('#000000');
    // 'data' domain: the largest value takes the dark end.
    const d = layoutHeatmap(table, 504, THEMES.paper.fontSize, THEMES.paper.sequential, THEMES.paper.grid, 'data');
    const max = Math.max(...d.cells.map((c) => c.value!));
    expect(d.cells.find((c) => c.value === max)!.fill).toBe(THEMES.paper.sequential[1]);
  });

  it('says so when there is no grouped test set, escapes group names, refuses input that is not Table 6', () => {
    const empty = { ...fixtureTable('table6'), columns: [], rows: [] };
    expect(renderKind(heatmapKind, data(empty)).svg).toContain(
      'No grouped test set (ToxiGen, BOLD) in this evaluation.',
    );
    const evil = structuredClone(fixtureTable('table6'));
    evil.columns[0]!.label = '<img src=x onerror=alert(1)>';
    const { svg } = renderKind(heatmapKind, data(evil), {}, 252);
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img');
    expect(() => heatmapKind.parseInput!({ table: fixtureTable('table5') })).toThrow(/input\.table\.id/);
  });
});
