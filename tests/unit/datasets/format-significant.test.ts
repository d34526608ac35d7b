// `srlab stats` prints measured numbers with honest precision (issue 9): significant digits,
// no zeros that were never computed (0.915 was printed as "0.900").
import { describe, expect, it } from 'vitest';
import { formatSignificant } from '../../../src/shared/format';

describe('formatSignificant', () => {
  it.each([
    { v: 0.915, out: '0.915' },
    { v: 0.125, out: '0.125' },
    { v: 0.9, out: '0.9' },
    { v: 0.1 + 0.2, out: '0.3' },
    { v: 318.99769585253455, out: '319' },
    { v: 245.19214785780164, out: '245.2' },
    { v: 62.57834101382488, out: '62.58' },
    { v: 49.5, out: '49.5' },
    { v: 1283, out: '1283' },
    { v: 12345.6, out: '12346' },
    { v: 0.000123456, out: '0.0001235' },
    { v: -2.5, out: '-2.5' },
    { v: -0.00001, out: '-0.00001' },
    { v: 0, out: '0' },
    { v: -1e-9, out: '-0.000000001' },
    { v: null, out: '–' },
    { v: Number.NaN, out: '–' },
    { v: Number.POSITIVE_INFINITY, out: '–' },
  ])('$v → $out', ({ v, out }) => {
    expect(formatSignificant(v)).toBe(out);
  });

  it('takes the number of significant digits', () => {
    expect(formatSignificant(0.91549, 2)).toBe('0.92');
    expect(formatSignificant(0.91549, 6)).toBe('0.91549');
    expect(formatSignificant(123.456, 1)).toBe('123');
  });
});
