// `srlab jobs`: the persisted jobs of every srlab process (desktop, serve, CLI), and their logs.
import type { CommandModule } from 'yargs';
import type { JobInfo, JobLogLine } from '../../../shared/contracts/jobs';
import { type Door, type GlobalOptions, printJson, withCore } from '../context';
import { printTable } from './datasets';

const FOLLOW_POLL_MS = 500;
const FINAL = new Set<JobInfo['state']>(['succeeded', 'failed', 'cancelled']);

/** "hh:mm:ss [WARN|ERROR ]text"; no level tag when the text already starts with it (pip's "ERROR: …"). */
function formatLine(l: JobLogLine): string {
  const tag = l.level.toUpperCase();
  const prefix = l.level === 'info' || l.text.trimStart().toUpperCase().startsWith(tag) ? '' : `${tag} `;
  return `${l.at.slice(11, 19)} ${prefix}${l.text}`;
}

interface LogOptions extends GlobalOptions {
  job: number;
  follow: boolean;
  after?: number;
}

/** Poll the database (the job may run in another process) until the job ends, printing new lines. */
async function follow(core: Door, id: number, after: number, onLines: (lines: JobLogLine[]) => void): Promise<JobInfo> {
  let seen = after;
  for (;;) {
    // Read the state first: a job that ended before this read has its whole log written.
    const { job } = await core.invoke('jobs.get', { id });
    const { lines } = await core.invoke('jobs.log', { id, after: seen });
    if (lines.length) {
      seen = lines.at(-1)!.seq;
      onLines(lines);
    }
    if (FINAL.has(job.state)) return job;
    await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
  }
}

const logCommand: CommandModule<GlobalOptions, LogOptions> = {
  command: 'log <job>',
  describe: "A job's log (its last 500 lines), e.g. pip's output during `srlab worker setup`",
  builder: (y) =>
    y
      .positional('job', { type: 'number', demandOption: true })
      .option('follow', {
        alias: 'f',
        type: 'boolean',
        default: false,
        describe: 'keep printing new lines until the job ends (with --json: one object at the end)',
      })
      .option('after', { type: 'number', describe: 'only lines after this sequence number' }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const id = argv.job;
      const first = await core.invoke('jobs.log', { id, ...(argv.after !== undefined ? { after: argv.after } : {}) });
      if (!argv.follow) {
        if (argv.json) return printJson(first);
        if (first.truncatedBefore) console.log('… (earlier lines dropped)');
        for (const l of first.lines) console.log(formatLine(l));
        return;
      }
      const all = [...first.lines];
      if (!argv.json) {
        if (first.truncatedBefore) console.log('… (earlier lines dropped)');
        for (const l of first.lines) console.log(formatLine(l));
      }
      const job = await follow(core, id, first.lines.at(-1)?.seq ?? argv.after ?? 0, (lines) => {
        all.push(...lines);
        if (!argv.json) for (const l of lines) console.log(formatLine(l));
      });
      if (argv.json) return printJson({ lines: all, ...(first.truncatedBefore ? { truncatedBefore: true } : {}), job });
      console.log(`job ${job.id} ${job.state}${job.error ? `: ${job.error}` : ''}`);
    }),
};

export const jobsCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'jobs',
  describe: 'Jobs (imports, downloads, generation, training, worker setup): list (default), log',
  builder: (y) => y.command(logCommand as never),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const { jobs } = await core.invoke('jobs.list', { limit: 50 });
      if (argv.json) return printJson({ jobs });
      if (jobs.length === 0) return console.log('No jobs yet.');
      printTable(
        ['job', 'kind', 'state', 'title', 'created'],
        jobs.map((j) => [String(j.id), j.kind, j.state, j.title, j.createdAt.slice(0, 19).replace('T', ' ')]),
      );
    }),
};
