// A job in phases counted in different units (training: the base download in bytes, then steps).
import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../src/shared/contracts/jobs';
import { jobsFixture } from './jobs-fixture';

describe('JobContext.setUnit', () => {
  it('starts a new phase: unit and total switch, done restarts at 0, and the change is published at once', async () => {
    const { jobs, seen } = jobsFixture();
    const started = jobs.start({
      kind: 'train',
      title: 't',
      params: null,
      unit: 'steps',
      run: async (ctx) => {
        ctx.setUnit('bytes');
        ctx.progress(500, 1000);
        ctx.progress(1000, 1000);
        ctx.setUnit('steps', 16);
        ctx.progress(3);
        return null;
      },
    });
    await started.done;
    const progress = seen.flatMap((e) => (e.type === 'job' ? [e.job.progress as JobProgress] : []));
    const units = progress.map((p) => p.unit);
    expect(units.indexOf('bytes')).toBeGreaterThan(-1);
    expect(progress.find((p) => p.unit === 'bytes')).toMatchObject({ done: 0, total: null });
    expect(progress.find((p, i) => p.unit === 'steps' && i > units.indexOf('bytes'))).toMatchObject({
      done: 0,
      total: 16,
    });
    expect(jobs.get(started.job.id).progress).toMatchObject({ unit: 'steps', done: 3, total: 16 });
  });
});
