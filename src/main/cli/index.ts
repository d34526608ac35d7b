// The `srlab` command: one module per verb (commands/), each a thin caller of the core's contract.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { COMMANDS } from './commands';
import type { GlobalOptions } from './context';

export async function main(args: string[]): Promise<void> {
  const cli = yargs(args)
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
    });
  for (const command of COMMANDS) cli.command(command);
  await cli
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
