import type { CommandModule } from 'yargs';
import { type GlobalOptions, printJson, withCore } from '../context';

interface Options extends GlobalOptions {
  name: string;
}

export const removeCommand: CommandModule<GlobalOptions, Options> = {
  command: 'remove <name>',
  describe: 'Delete a dataset and its records',
  builder: (y) => y.positional('name', { type: 'string', demandOption: true }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('datasets.remove', { dataset: argv.name });
      if (argv.json) return printJson(out);
      console.log(`removed ${out.removed} (${out.records} records)`);
    }),
};
