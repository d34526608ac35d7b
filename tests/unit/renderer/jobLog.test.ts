import { describe, expect, it } from 'vitest';
import type { JobLogLine } from '../../../src/shared/contracts/jobs';
import { formatLogLine, mergeLines } from '../../../src/renderer/src/lib/jobLog';

const line = (seq: number, level: JobLogLine['level'] = 'info', text = `line ${seq}`): JobLogLine => ({
  seq,
  at: '2026-11-27T23:20:33.123Z',
  level,
  text,
});
const seqs = (lines: JobLogLine[]) => lines.map((l) => l.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i));

describe('mergeLines', () => {
  it.each([
    { name: 'appends newer lines', a: range(1, 3), b: range(4, 5), want: [1, 2, 3, 4, 5] },
    { name: 'drops duplicates when a load races the events', a: range(3, 6), b: range(1, 4), want: [1, 2, 3, 4, 5, 6] },
    { name: 'keeps the held lines when nothing comes', a: range(1, 2), b: [], want: [1, 2] },
  ])('$name', ({ a, b, want }) => {
    expect(seqs(mergeLines(a, b).lines)).toEqual(want);
    expect(mergeLines(a, b).dropped).toBe(false);
  });

  it('keeps only the newest 500 and says it dropped some', () => {
    const out = mergeLines(range(1, 400), range(401, 650));
    expect(out.lines).toHaveLength(500);
    expect(out.lines[0]!.seq).toBe(151);
    expect(out.dropped).toBe(true);
  });
});

describe('formatLogLine', () => {
  it.each([
    [line(1, 'info', 'Collecting torch'), '23:20:33 Collecting torch'],
    [line(2, 'warn', 'slow mirror'), '23:20:33 WARN slow mirror'],
    [line(3, 'error', 'ERROR: No matching distribution'), '23:20:33 ERROR: No matching distribution'],
    [line(4, 'error', 'failed: pip exited 1'), '23:20:33 ERROR failed: pip exited 1'],
  ])('%o → %s', (l, want) => {
    expect(formatLogLine(l)).toBe(want);
  });
});
