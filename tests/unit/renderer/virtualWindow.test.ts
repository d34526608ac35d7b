import { describe, expect, test } from 'vitest';
import {
  nextSelection,
  pageStep,
  ROW_BLOCK,
  rowLayout,
  scrollTopForRow,
  virtualWindow,
} from '../../../src/renderer/src/areas/datasets/virtualWindow';

const base = { viewportHeight: 320, rowHeight: 32, overscan: 5 };

describe('virtualWindow', () => {
  test('at the top it renders the visible rows plus overscan below only', () => {
    const w = virtualWindow({ ...base, scrollTop: 0, total: 100_000 });
    expect(w).toMatchObject({ first: 0, visibleFirst: 0, visibleEnd: 10, end: 15, offsetTop: 0 });
    expect(w.scrollHeight).toBe(3_200_000);
  });

  test('in the middle it renders overscan on both sides and draws the first row at its own offset', () => {
    const w = virtualWindow({ ...base, scrollTop: 32 * 500 + 10, total: 100_000 });
    expect(w.visibleFirst).toBe(500);
    expect(w.visibleEnd).toBe(511); // a partly scrolled row leaves 11 rows partly visible
    expect(w.first).toBe(495);
    expect(w.end).toBe(516);
    expect(w.offsetTop).toBe(495 * 32);
  });

  test('at the bottom it stops at the last row', () => {
    const total = 100_000;
    const w = virtualWindow({ ...base, scrollTop: total * 32 - 320, total });
    expect(w.visibleEnd).toBe(total);
    expect(w.end).toBe(total);
    expect(w.visibleFirst).toBe(total - 10);
  });

  test('renders a bounded number of rows however large the table is', () => {
    const w = virtualWindow({ ...base, scrollTop: 1_234_567, total: 100_000 });
    expect(w.end - w.first).toBeLessThanOrEqual(10 + 1 + 2 * base.overscan);
  });

  test('a scroll offset past the end (e.g. after the filter shrank the table) is clamped', () => {
    const w = virtualWindow({ ...base, scrollTop: 99_999_999, total: 20 });
    expect(w).toMatchObject({ visibleFirst: 10, visibleEnd: 20, end: 20, first: 5 });
  });

  test('an empty table renders nothing', () => {
    expect(virtualWindow({ ...base, scrollTop: 0, total: 0 })).toMatchObject({ first: 0, end: 0, scrollHeight: 0 });
  });

  test('fewer rows than fit render all of them', () => {
    expect(virtualWindow({ ...base, scrollTop: 0, total: 3 })).toMatchObject({ first: 0, end: 3, visibleEnd: 3 });
  });

  test('past the browser height limit the scroll range is compressed and the last row stays reachable', () => {
    const total = 1_000_000; // 32M px of rows
    const maxScrollHeight = 1_000_000;
    const top = virtualWindow({ ...base, scrollTop: 0, total, maxScrollHeight });
    expect(top.scrollHeight).toBe(maxScrollHeight);
    expect(top.visibleFirst).toBe(0);
    const bottom = virtualWindow({ ...base, scrollTop: maxScrollHeight - 320, total, maxScrollHeight });
    expect(bottom.visibleEnd).toBe(total);
    // the visible rows are still drawn inside the viewport
    const rowTop = bottom.offsetTop + (bottom.visibleFirst - bottom.first) * 32;
    expect(rowTop).toBeGreaterThanOrEqual(maxScrollHeight - 320 - 32);
    expect(rowTop).toBeLessThanOrEqual(maxScrollHeight);
  });
});

describe('scrollTopForRow', () => {
  test('keeps the offset when the row is already fully visible', () => {
    expect(scrollTopForRow(3, 0, 320, 32, 1000)).toBe(0);
  });
  test('scrolls down just enough to show a row below the viewport at the bottom edge', () => {
    expect(scrollTopForRow(20, 0, 320, 32, 1000)).toBe(21 * 32 - 320);
  });
  test('scrolls up to put a row above the viewport at the top edge', () => {
    expect(scrollTopForRow(5, 32 * 50, 320, 32, 1000)).toBe(5 * 32);
  });
  test('in a compressed range the row lands inside the rendered window', () => {
    const max = 1_000_000;
    const st = scrollTopForRow(600_000, 0, 320, 32, 1_000_000, max);
    const w = virtualWindow({
      scrollTop: st,
      viewportHeight: 320,
      rowHeight: 32,
      overscan: 0,
      total: 1_000_000,
      maxScrollHeight: max,
    });
    expect(w.visibleFirst).toBeLessThanOrEqual(600_000);
    expect(w.visibleEnd).toBeGreaterThan(600_000);
  });
});

describe('keyboard selection', () => {
  test.each([
    ['ArrowDown', 4, 5],
    ['ArrowUp', 4, 3],
    ['ArrowUp', 0, 0],
    ['ArrowDown', 99, 99],
    ['PageDown', 4, 13],
    ['PageUp', 4, 0],
    ['Home', 50, 0],
    ['End', 3, 99],
    ['ArrowDown', -1, 0],
  ] as const)('%s from row %i selects row %i', (key, from, to) => {
    expect(nextSelection(key, from, 100, 9)).toBe(to);
  });
  test('nothing can be selected in an empty table', () => {
    expect(nextSelection('ArrowDown', -1, 0, 9)).toBe(-1);
  });
  test('a page is a screenful minus one row of context', () => {
    expect(pageStep(320, 32)).toBe(9);
    expect(pageStep(20, 32)).toBe(1);
  });
});

describe('rowLayout', () => {
  const at = (scrollTop: number, total = 100_000, maxScrollHeight?: number) =>
    virtualWindow({ ...base, scrollTop, total, maxScrollHeight });

  test('draws every row where the window says (offsetTop + its place after first)', () => {
    for (const top of [0, 32 * 500 + 10, 32 * 999 + 5, 32 * 1003, 3_200_000 - 320]) {
      const w = at(top);
      const l = rowLayout(w, 32);
      for (let i = w.first; i < w.end; i++) expect(l.windowTop + l.rowTop(i)).toBe(w.offsetTop + (i - w.first) * 32);
    }
  });

  test('a row that stays rendered keeps its position inside the window while scrolling', () => {
    const a = at(32 * 500);
    const b = at(32 * 500 + 7 * 32 + 13);
    const la = rowLayout(a, 32);
    const lb = rowLayout(b, 32);
    expect(lb.windowTop).toBe(la.windowTop);
    for (let i = Math.max(a.first, b.first); i < Math.min(a.end, b.end); i++) expect(lb.rowTop(i)).toBe(la.rowTop(i));
    // Negative control: relative to the window's first row (the old layout), the same rows move.
    expect(b.first).not.toBe(a.first);
  });

  test('offsets stay small however far down the table is (block-relative)', () => {
    const w = at(50_000_000, 3_000_000);
    const l = rowLayout(w, 32);
    expect(l.rowTop(w.first)).toBeLessThan(ROW_BLOCK * 32);
    expect(l.rowTop(w.end - 1)).toBeLessThan((ROW_BLOCK + 40) * 32);
    expect(l.windowTop + l.rowTop(w.first)).toBeCloseTo(w.offsetTop, 6);
  });

  test('when the scroll range is compressed it is still exact', () => {
    const w = at(7_777_777, 1_000_000, 10_000_000);
    const l = rowLayout(w, 32);
    for (let i = w.first; i < w.end; i++)
      expect(l.windowTop + l.rowTop(i)).toBeCloseTo(w.offsetTop + (i - w.first) * 32, 6);
  });
});
