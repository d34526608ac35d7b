// Maths of the virtualized records table: which rows to render for a scroll position, and
// where to scroll to bring a row into view. Pure, so it is tested without a DOM.

/**
 * Browsers cap an element's height (Chromium at about 33.5M px). Past this height the scroll
 * range is compressed: one scrolled pixel moves more than one pixel of rows.
 */
export const MAX_SCROLL_HEIGHT = 15_000_000;

export interface VirtualWindowInput {
  /** Scroll offset of the row area, in px. */
  scrollTop: number;
  /** Height of the visible row area (excluding the sticky header), in px. */
  viewportHeight: number;
  rowHeight: number;
  total: number;
  /** Extra rows rendered above and below the visible ones, so fast scrolling shows no gaps. */
  overscan: number;
  maxScrollHeight?: number;
}

export interface VirtualWindow {
  /** First rendered row (inclusive). */
  first: number;
  /** End of the rendered rows (exclusive). */
  end: number;
  /** First and end of the rows actually visible, without overscan. */
  visibleFirst: number;
  visibleEnd: number;
  /** Height of the scrollable spacer. */
  scrollHeight: number;
  /** Where, inside the spacer, row `first` is drawn. */
  offsetTop: number;
}

interface Geometry {
  contentHeight: number;
  scrollHeight: number;
  /** Content pixels per scrolled pixel (1 unless compressed). */
  ratio: number;
  maxVirtualTop: number;
}

function geometry(viewportHeight: number, rowHeight: number, total: number, maxScrollHeight: number): Geometry {
  const contentHeight = Math.max(0, total * rowHeight);
  const scrollHeight = Math.min(contentHeight, maxScrollHeight);
  const maxVirtualTop = Math.max(0, contentHeight - viewportHeight);
  const maxScrollTop = Math.max(0, scrollHeight - viewportHeight);
  const ratio = maxScrollTop > 0 && contentHeight > maxScrollHeight ? maxVirtualTop / maxScrollTop : 1;
  return { contentHeight, scrollHeight, ratio, maxVirtualTop };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function virtualWindow(input: VirtualWindowInput): VirtualWindow {
  const { scrollTop, viewportHeight, rowHeight, total, overscan } = input;
  const g = geometry(viewportHeight, rowHeight, total, input.maxScrollHeight ?? MAX_SCROLL_HEIGHT);
  if (total <= 0 || rowHeight <= 0) {
    return { first: 0, end: 0, visibleFirst: 0, visibleEnd: 0, scrollHeight: 0, offsetTop: 0 };
  }
  const top = clamp(scrollTop, 0, Math.max(0, g.scrollHeight - viewportHeight));
  const virtualTop = clamp(top * g.ratio, 0, g.maxVirtualTop);
  const visibleFirst = clamp(Math.floor(virtualTop / rowHeight), 0, total - 1);
  const visibleEnd = clamp(Math.ceil((virtualTop + Math.max(0, viewportHeight)) / rowHeight), visibleFirst + 1, total);
  const first = Math.max(0, visibleFirst - overscan);
  const end = Math.min(total, visibleEnd + overscan);
  // Rows are drawn relative to the real scroll offset, so compression never shows as drift.
  const offsetTop = top + (first * rowHeight - virtualTop);
  return { first, end, visibleFirst, visibleEnd, scrollHeight: g.scrollHeight, offsetTop };
}

/**
 * The scroll offset that brings row `index` fully into view with the least movement; the
 * current offset when it is already visible.
 */
export function scrollTopForRow(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  total: number,
  maxScrollHeight = MAX_SCROLL_HEIGHT,
): number {
  const g = geometry(viewportHeight, rowHeight, total, maxScrollHeight);
  const virtualTop = clamp(scrollTop * g.ratio, 0, g.maxVirtualTop);
  const rowTop = index * rowHeight;
  let next = virtualTop;
  if (rowTop < virtualTop) next = rowTop;
  else if (rowTop + rowHeight > virtualTop + viewportHeight) next = rowTop + rowHeight - viewportHeight;
  if (next === virtualTop) return scrollTop;
  return clamp(next, 0, g.maxVirtualTop) / g.ratio;
}

/** Rows one PageUp/PageDown moves: a screenful, keeping one row of context. */
export function pageStep(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight) - 1);
}

export type NavKey = 'ArrowUp' | 'ArrowDown' | 'PageUp' | 'PageDown' | 'Home' | 'End';

/** The selection after a navigation key; -1 (nothing selected) moves to the first row. */
export function nextSelection(key: NavKey, current: number, total: number, page: number): number {
  if (total <= 0) return -1;
  const from = current < 0 ? -1 : current;
  const target = {
    ArrowUp: from - 1,
    ArrowDown: from + 1,
    PageUp: from - page,
    PageDown: from + page,
    Home: 0,
    End: total - 1,
  }[key];
  return clamp(target, 0, total - 1);
}

/** Rows per block of stable positions (see rowLayout); small enough to keep offsets far below layout limits. */
export const ROW_BLOCK = 1000;

export interface RowLayout {
  /** The row window's translateY, in px. */
  windowTop: number;
  /** Where row `index` sits inside the window, in px. */
  rowTop(index: number): number;
}

/**
 * Where the window and each row are drawn, so that scrolling moves no row that stays on screen.
 * Row positions are relative to the start of the window's block of ROW_BLOCK rows, not to its
 * first row: a row keeps its position inside the window while the window slides, and the window
 * itself only moves when the block changes (every ROW_BLOCK rows, or every frame when the scroll
 * range is compressed, and then only as a composited transform). Positioning rows relative to
 * `first` instead moved every rendered row at each step of the window, which made Chromium
 * invalidate, repaint and re-raster all of them on every scrolled frame (bench/ui-scale.ts).
 * Row i is drawn at the same place either way: windowTop + rowTop(i) = offsetTop + (i - first) * rowHeight.
 */
export function rowLayout(w: VirtualWindow, rowHeight: number, block = ROW_BLOCK): RowLayout {
  const base = Math.floor(w.first / block) * block;
  return {
    windowTop: w.offsetTop - (w.first - base) * rowHeight,
    rowTop: (index) => (index - base) * rowHeight,
  };
}
