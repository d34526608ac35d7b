// The records table's rows as rendered: each at its own place in the row window and contained, so
// scrolling repaints only the rows it brings in (bench/ui-scale.ts measures the frame time).
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, test } from 'vitest';
import { RecordsTable, ROW_HEIGHT } from '../../../src/renderer/src/areas/datasets/RecordsTable';
import { useRecordsStore } from '../../../src/renderer/src/areas/datasets/records';

describe('RecordsTable rows', () => {
  // Server rendering reads a store's initial state (useSyncExternalStore's server snapshot), so
  // the table's query is set there, and put back after.
  const initial = { ...useRecordsStore.getInitialState() };
  afterEach(() => Object.assign(useRecordsStore.getInitialState(), initial));

  test('are absolutely placed at index × row height, contained, in order, the window not moved', () => {
    // A query with 100k rows whose pages have not arrived: rows render as pending skeletons.
    Object.assign(useRecordsStore.getInitialState(), { dataset: 'd', query: 'q-rows-test', total: 100_000 });
    const html = renderToStaticMarkup(<RecordsTable />);
    // No DOM in these tests: read the rendered rows' id and style attributes from the markup.
    const rows = [...html.matchAll(/<div id="record-row-(\d+)"[^>]*?style="([^"]*)"/g)].map((m) => ({
      index: Number(m[1]),
      style: Object.fromEntries(m[2]!.split(';').map((d) => d.split(':') as [string, string])),
    }));
    expect(rows.length).toBeGreaterThan(10);
    rows.forEach((r, i) => {
      expect(r.index).toBe(i);
      expect(r.style).toMatchObject({
        position: 'absolute',
        top: i === 0 ? '0' : `${i * ROW_HEIGHT}px`,
        height: `${ROW_HEIGHT}px`,
        contain: 'strict',
      });
    });
    expect(html).toMatch(/class="records-window" style="transform:translateY\(0px\)"/);
  });
});
