import { describe, expect, test } from 'vitest';
import {
  activeFilterCount,
  EMPTY_FILTER,
  filterToQuery,
  toggleValue,
} from '../../../src/renderer/src/areas/datasets/filterQuery';
import { RecordFilter } from '../../../src/shared/contracts/datasets';

describe('filterToQuery', () => {
  test('an empty filter bar asks for everything', () => {
    expect(filterToQuery(EMPTY_FILTER)).toEqual({});
  });

  test('chips become value lists in canonical order, whatever order they were clicked in', () => {
    const q = filterToQuery({ ...EMPTY_FILTER, toxicity: ['High', 'No'], split: ['none', 'train'] });
    expect(q).toEqual({ toxicity: ['No', 'High'], split: ['train', 'none'] });
  });

  test('search text and target are trimmed; blank ones are dropped', () => {
    expect(filterToQuery({ ...EMPTY_FILTER, q: '  women ', target: ' ' })).toEqual({ q: 'women' });
    expect(filterToQuery({ ...EMPTY_FILTER, target: 'religion' })).toEqual({ target: 'religion' });
  });

  test('"disagreements only" is sent only when on', () => {
    expect(filterToQuery({ ...EMPTY_FILTER, disagreesOnly: true })).toEqual({ disagreesOnly: true });
    expect(filterToQuery({ ...EMPTY_FILTER, disagreesOnly: false })).not.toHaveProperty('disagreesOnly');
  });

  test('values outside a label set are dropped rather than sent', () => {
    expect(filterToQuery({ ...EMPTY_FILTER, bias: ['Maybe', 'Yes'] })).toEqual({ bias: ['Yes'] });
  });

  test('every query it produces passes the API schema', () => {
    const q = filterToQuery({
      bias: ['Yes'],
      toxicity: ['Mild'],
      sentiment: ['Negative'],
      harm: ['High'],
      annotation: ['Unsafe'],
      split: ['test', 'none'],
      target: 'gender',
      q: 'x'.repeat(600),
      disagreesOnly: true,
      extra: { dimension: ['ageism'] },
    });
    expect(RecordFilter.safeParse(q).success).toBe(true);
    expect(activeFilterCount({ ...EMPTY_FILTER, bias: ['Yes'], q: 'a' })).toBe(2);
  });
});

test('toggleValue adds a missing value and removes a present one', () => {
  expect(toggleValue(['a'], 'b')).toEqual(['a', 'b']);
  expect(toggleValue(['a', 'b'], 'a')).toEqual(['b']);
});
