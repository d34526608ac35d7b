// Job logs: every line gets a sequence number and a time, the last 500 are kept, written to
// SQLite at most every 250 ms and at the end (so another process or a restart reads them), sent
// as batched job-log events, and paged with `after`.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../src/shared/api';
import { latestSchemaVersion, migrate, schemaVersion } from '../../../src/main/core/db';
import { LEGACY_MIGRATIONS as MIGRATIONS } from './migrations-legacy';
import { sliceLog, type JobContext } from '../../../src/main/core/jobs';
import { createWorkerService } from '../../../src/main/core/worker';
import { pipLineLevel, redactUrls } from '../../../src/main/core/worker/setup';
import { tempDir } from '../../helpers';
import { jobsFixture } from './jobs-fixture';

const setup = jobsFixture;

/** A job that runs `body` and then waits until `release` is called. */
function holdingJob(jobs: ReturnType<typeof setup>['jobs'], body: (ctx: JobContext) => void) {
  let release!: () => void;
  let fail!: (err: Error) => void;
  const gate = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  const started = jobs.start({
    kind: 'worker-setup',
    title: 't',
    params: null,
    unit: 'steps',
    run: async (ctx) => {
      body(ctx);
      await gate;
      return null;
    },
  });
  return { started, release, fail };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logEvents = (seen: ApiEvent[]) => seen.filter((e) => e.type === 'job-log');

describe('job logs', () => {
  it('number lines from 1, stamp them, split on newlines, skip blank ones and default to info', async () => {
    const { jobs } = setup();
    const { started, release } = holdingJob(jobs, (ctx) => {
      ctx.log('Collecting torch');
      ctx.log('WARNING: a warning\r\n\nsecond line', 'warn');
      ctx.log('   ');
    });
    await sleep(10);
    const { lines, truncatedBefore } = jobs.log(started.job.id);
    expect(lines.map((l) => [l.seq, l.level, l.text])).toEqual([
      [1, 'info', 'Collecting torch'],
      [2, 'warn', 'WARNING: a warning'],
      [3, 'warn', 'second line'],
    ]);
    expect(truncatedBefore).toBeUndefined();
    expect(Date.parse(lines[0]!.at)).not.toBeNaN();
    release();
    await started.done;
  });

  it('keep the last 500 lines and say that older ones were dropped', async () => {
    const { jobs } = setup();
    const { started, release } = holdingJob(jobs, (ctx) => {
      for (let i = 1; i <= 620; i++) ctx.log(`line ${i}`);
    });
    await sleep(10);
    const all = jobs.log(started.job.id);
    expect(all.lines).toHaveLength(500);
    expect(all.lines[0]!.seq).toBe(121);
    expect(all.lines.at(-1)!.text).toBe('line 620');
    expect(all.truncatedBefore).toBe(true);
    release();
    await started.done;
  });

  it.each([
    { after: undefined, first: 121, count: 500, truncated: true },
    { after: 0, first: 121, count: 500, truncated: true },
    { after: 119, first: 121, count: 500, truncated: true },
    { after: 120, first: 121, count: 500, truncated: false },
    { after: 600, first: 601, count: 20, truncated: false },
    { after: 620, first: undefined, count: 0, truncated: false },
  ])(
    'page with after=$after: $count lines from seq $first, truncatedBefore $truncated',
    ({ after, first, count, truncated }) => {
      const lines = Array.from({ length: 500 }, (_, i) => ({
        seq: 121 + i,
        at: '2026-01-01T00:00:00.000Z',
        level: 'info' as const,
        text: `line ${121 + i}`,
      }));
      const page = sliceLog(lines, after);
      expect(page.lines).toHaveLength(count);
      expect(page.lines[0]?.seq).toBe(first);
      expect(page.truncatedBefore ?? false).toBe(truncated);
    },
  );

  it('send lines as batched job-log events, not one event per line', async () => {
    const { jobs, seen } = setup();
    const { started, release } = holdingJob(jobs, (ctx) => {
      for (let i = 1; i <= 50; i++) ctx.log(`line ${i}`);
    });
    await sleep(400);
    const batches = logEvents(seen);
    expect(batches).toHaveLength(1);
    const batch = batches[0]!;
    expect(batch.type === 'job-log' && batch.jobId === started.job.id && batch.lines.map((l) => l.seq)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    release();
    await started.done;
  });

  it('write the tail to the database at most every 250 ms, so another connection reads it while the job runs', async () => {
    const { jobs, file } = setup();
    const other = new Database(file, { readonly: true });
    const tail = (id: number) =>
      (other.prepare('SELECT log_tail FROM jobs WHERE id = ?').get(id) as { log_tail: string | null }).log_tail;
    const { started, release } = holdingJob(jobs, (ctx) => {
      for (let i = 1; i <= 1000; i++) ctx.log(`line ${i}`);
    });
    await sleep(10);
    expect(tail(started.job.id)).toBeNull(); // not yet: the write is throttled
    await sleep(400);
    const stored = JSON.parse(tail(started.job.id)!) as { seq: number }[];
    expect(stored).toHaveLength(500);
    expect(stored.at(-1)!.seq).toBe(1000);
    release();
    await started.done;
    other.close();
  });

  it('survive a restart: a reopened database serves the final log, with the failure as the last line', async () => {
    const { jobs, db, file } = setup();
    const started = jobs.start({
      kind: 'worker-setup',
      title: 't',
      params: null,
      unit: 'steps',
      run: async (ctx) => {
        ctx.log('ERROR: No matching distribution found for torch', 'error');
        throw new Error('pip install failed (exit 1)');
      },
    });
    await expect(started.done).rejects.toThrow('pip install failed');
    await jobs.idle();
    db.close();
    const reopened = setup(file);
    const { lines } = reopened.jobs.log(started.job.id);
    expect(lines.map((l) => [l.level, l.text])).toEqual([
      ['error', 'ERROR: No matching distribution found for torch'],
      ['error', 'failed: pip install failed (exit 1)'],
    ]);
    expect(reopened.jobs.log(started.job.id, 1).lines.map((l) => l.seq)).toEqual([2]);
  });

  it('flush the last lines at the end even when the job finishes within the throttle window', async () => {
    const { jobs, seen, file, db } = setup();
    const started = jobs.start({
      kind: 'import',
      title: 't',
      params: null,
      unit: 'rows',
      run: async (ctx) => {
        ctx.log('only line');
        return 1;
      },
    });
    await started.done;
    await jobs.idle();
    const types = seen.filter((e) => e.type === 'job-log' || e.type === 'job').map((e) => e.type);
    // The log batch goes out before the final state, so a reader of the final state has every line.
    expect(types.lastIndexOf('job-log')).toBeLessThan(types.lastIndexOf('job'));
    db.close();
    expect(
      setup(file)
        .jobs.log(started.job.id)
        .lines.map((l) => l.text),
    ).toEqual(['only line']);
  });

  it('answer not-found for an unknown job and an empty log for a job that logged nothing', async () => {
    const { jobs } = setup();
    expect(() => jobs.log(999)).toThrow(/no job 999/);
    const started = jobs.start({ kind: 'import', title: 't', params: null, unit: 'rows', run: async () => null });
    await started.done;
    await jobs.idle();
    expect(jobs.log(started.job.id)).toEqual({ lines: [] });
  });
});

describe('migration 4', () => {
  it('adds log_tail to a version-3 database and keeps its jobs readable', () => {
    const file = path.join(tempDir(), 'v3.sqlite');
    const raw = new Database(file);
    for (const m of MIGRATIONS.filter((x) => x.version <= 3)) raw.exec(m.sql);
    raw.pragma('user_version = 3');
    raw
      .prepare(
        `INSERT INTO jobs (kind, title, state, params, progress, created_at) VALUES ('import', 'old', 'succeeded', 'null', '{"done":1,"total":1,"unit":"rows","rate":null,"etaSeconds":null}', '2026-01-01T00:00:00.000Z')`,
      )
      .run();
    migrate(raw);
    expect(schemaVersion(raw)).toBe(latestSchemaVersion());
    const cols = (raw.prepare('PRAGMA table_info(jobs)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).toContain('log_tail');
    raw.close();
    const { jobs } = setup(file);
    expect(jobs.get(1).title).toBe('old');
    expect(jobs.log(1)).toEqual({ lines: [] });
  });
});

describe('worker setup logs', () => {
  it.each([
    ['ERROR: No matching distribution found for torch', 'error'],
    ['WARNING: The script torchrun is installed in a directory not on PATH', 'warn'],
    ['DEPRECATION: a legacy install', 'warn'],
    ['  Downloading torch-2.5.1-cp311-none.whl (190.5 MB)', 'info'],
    ['Successfully installed peft-0.13.2', 'info'],
  ] as const)('%s → %s', (line, level) => {
    expect(pipLineLevel(line)).toBe(level);
  });

  it('hide credentials in URLs', () => {
    expect(redactUrls('pip install --index-url https://user:s3cret@pypi.example/simple -r r.txt')).toBe(
      'pip install --index-url https://****@pypi.example/simple -r r.txt',
    );
    expect(redactUrls('Looking in indexes: https://tok@host/simple, https://pypi.org/simple')).toBe(
      'Looking in indexes: https://****@host/simple, https://pypi.org/simple',
    );
  });

  it('log the command and the failure when the interpreter cannot run', async () => {
    const dir = tempDir();
    const { jobs } = setup(path.join(dir, 'db.sqlite'));
    const worker = createWorkerService({ home: dir, jobs, venv: path.join(dir, 'venv') });
    const missing = path.join(dir, 'no', 'python3');
    const started = worker.startSetup({ python: missing, cpu: true });
    await expect(started.done).rejects.toThrow(/cannot run/);
    await jobs.idle();
    const { lines } = jobs.log(started.job.id);
    expect(lines[0]!.text).toMatch(new RegExp(`^\\$ ${missing.replace(/[/.]/g, '\\$&')} -c `));
    expect(lines.at(-1)).toMatchObject({ level: 'error' });
    expect(lines.at(-1)!.text).toContain(`failed: cannot run ${missing}`);
    await worker.close();
  });
});
