// Table values read the same in exports, the Evaluation area and figures: at the column's
// decimals, except a nonzero value that would round to zero there (the paper's p of ~1e-170).
import { describe, expect, it } from 'vitest';
import { formatTableValue } from '../../src/shared/format';

describe('formatTableValue', () => {
  it('writes a value at its column’s decimals', () => {
    expect(formatTableValue(0.5, 6)).toBe('0.500000');
    expect(formatTableValue(72.98, 2)).toBe('72.98');
    expect(formatTableValue(0, 6)).toBe('0.000000'); // a true zero stays a zero
    expect(formatTableValue(0.0000006, 6)).toBe('0.000001'); // rounds up to a visible digit
  });

  it('writes a nonzero value that would read as zero in scientific notation, with its sign', () => {
    expect(formatTableValue(1.3694857616860457e-170, 6)).toBe('1.37e-170');
    expect(formatTableValue(4e-7, 6)).toBe('4.00e-7');
    expect(formatTableValue(-0.001, 2)).toBe('-1.00e-3');
    expect(formatTableValue(0.004, 2)).toBe('4.00e-3');
    expect(formatTableValue(0.005, 2)).toBe('0.01'); // shows as nonzero already (toFixed rounds it up)
  });
});
