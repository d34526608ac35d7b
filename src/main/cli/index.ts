// The `srlab` command: one module per verb, each a thin caller of the core.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { datasetsCommand } from './commands/datasets';
import { endpointsCommand } from './commands/endpoints';
import { exportCommand } from './commands/export';
import { generateCommand } from './commands/generate';
import { hfTokenCommand } from './commands/hf-token';
import { importCommand } from './commands/import';
import { jobsCommand } from './commands/jobs';
import { loglikCommand } from './commands/loglik';
import { modelsCommand } from './commands/models';
import { removeCommand } from './commands/remove';
import { runsCommand } from './commands/runs';
import { serveCommand } from './commands/serve';
import { splitCommand } from './commands/split';
import { statsCommand } from './commands/stats';
import { trainCommand } from './commands/train';
import { workerCommand } from './commands/worker';
import type { GlobalOptions } from './context';

export async function main(args: string[]): Promise<void> {
  await yargs(args)
    .scriptName('srlab')
    .usage('$0 <command> [options]\n\nA lab workbench for safe & responsible LLM research (SR_LLM).')
    .option('home', {
      type: 'string',
      describe: 'data home (default: $SRLAB_HOME or the OS data dir for srlab)',
      global: true,
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'print one JSON object on stdout; progress goes to stderr',
      global: true,
    })
    .command(importCommand as never)
    .command(datasetsCommand as never)
    .command(statsCommand as never)
    .command(splitCommand as never)
    .command(exportCommand as never)
    .command(removeCommand as never)
    .command(modelsCommand as never)
    .command(generateCommand as never)
    .command(runsCommand as never)
    .command(loglikCommand as never)
    .command(endpointsCommand as never)
    .command(serveCommand as never)
    .command(workerCommand as never)
    .command(jobsCommand as never)
    .command(trainCommand as never)
    .command(hfTokenCommand as never)
    .demandCommand(1, 'Name a command; see srlab --help')
    .strict()
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`srlab: ${msg}\nRun srlab --help for usage.\n`);
      process.exit(2);
    })
    .help()
    .version()
    .parseAsync();
}

export type { GlobalOptions };

void main(hideBin(process.argv));
