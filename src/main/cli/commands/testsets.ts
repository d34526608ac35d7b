import path from 'node:path';
import type { CommandModule } from 'yargs';
import {
  TESTSET_KINDS,
  type TestsetImportResult,
  type TestsetKind,
  type TestsetOptions,
} from '../../../shared/contracts/testsets';
import { ExitCode, type GlobalOptions, note, printJson, withCore } from '../context';
import { printTable } from './datasets';

interface ImportOptions extends GlobalOptions {
  source: string;
  kind: string;
  name: string;
  sample?: number;
  seed?: number;
  split?: string;
}

/** How many rejected records the human report lists (--json has the result's list). */
const SHOWN = 20;

function printReport(r: TestsetImportResult): void {
  const groups = Object.entries(r.groups);
  note(`${r.testset} (${r.kind}): ${r.items} items in ${groups.length} groups, rejected ${r.rejected}`);
  for (const e of r.errors.slice(0, SHOWN)) note(`  ${e.file}:${e.line}${e.field ? `: ${e.field}` : ''}: ${e.message}`);
  if (r.rejected > SHOWN) note(`  … and ${r.rejected - SHOWN} more (--json lists the first ${r.errors.length})`);
}

const importCommand: CommandModule<GlobalOptions, ImportOptions> = {
  command: 'import <source>',
  describe: 'Import a benchmark test set from its published file or folder',
  builder: (y) =>
    y
      .positional('source', { type: 'string', demandOption: true, describe: 'the file or folder to import' })
      .option('kind', {
        type: 'string',
        demandOption: true,
        // Checked by the contract (testsets.import), like every other input.
        describe: `the benchmark: ${TESTSET_KINDS.join(', ')}`,
      })
      .option('name', { type: 'string', demandOption: true, describe: 'the new test set’s name' })
      .option('sample', {
        type: 'number',
        describe:
          'holisticbias: sentences to draw (default 650, the paper’s count); bold, toxigen: a seeded sample of N',
      })
      .option('seed', { type: 'number', describe: 'the sample’s seed (default 0)' })
      .option('split', { type: 'string', describe: 'redditbias: test (default), valid or both' }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      // Flags as given; core.call checks them against the contract (a --sample for StereoSet is refused there).
      const options: Record<string, unknown> = {};
      if (argv.sample !== undefined) options.sample = argv.sample;
      if (argv.seed !== undefined) options.seed = argv.seed;
      if (argv.split !== undefined) options.split = argv.split;
      const result = await core.invoke('testsets.import', {
        source: { kind: 'path', path: path.resolve(argv.source) },
        kind: argv.kind as TestsetKind,
        name: argv.name,
        options: options as TestsetOptions,
      });
      if (argv.json) printJson(result);
      printReport(result);
      // Valid records are in; rejected ones are bad input the user has to look at.
      if (result.rejected > 0) throw new ExitCode(2);
    }),
};

const listTestsets = (argv: GlobalOptions) =>
  withCore(argv, async (core) => {
    const { testsets } = await core.invoke('testsets.list', {});
    if (argv.json) return printJson({ testsets });
    if (testsets.length === 0)
      return console.log('No test sets yet. Import one: srlab testsets import FILE --kind KIND --name NAME');
    printTable(
      ['test set', 'kind', 'items', 'groups', 'source'],
      testsets.map((t) => [t.name, t.kind, String(t.items), String(Object.keys(t.groups).length), t.sourceFile]),
    );
  });

const listCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'list',
  describe: 'List test sets with their kind and item counts (the same as srlab testsets)',
  handler: listTestsets,
};

interface RemoveOptions extends GlobalOptions {
  name: string;
}

const removeCommand: CommandModule<GlobalOptions, RemoveOptions> = {
  command: 'remove <name>',
  describe: 'Remove a test set and its items',
  builder: (y) => y.positional('name', { type: 'string', demandOption: true }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('testsets.remove', { name: argv.name });
      if (argv.json) return printJson(out);
      note(`removed test set ${out.removed} (${out.items} items)`);
    }),
};

export const testsetsCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'testsets',
  describe: 'Benchmark test sets: list (default), import, remove',
  builder: (y) =>
    y
      .command(listCommand as never)
      .command(importCommand as never)
      .command(removeCommand as never),
  handler: listTestsets,
};
