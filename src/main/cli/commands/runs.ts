import type { CommandModule } from 'yargs';
import type { RunItem, RunSummary } from '../../../shared/contracts/runs';
import { type GlobalOptions, printJson, withCore } from '../context';
import { printTable } from './datasets';
import { allItems, followRun, reportRun } from './generate';

function describeTarget(run: RunSummary): string {
  const t = run.settings.target;
  return t.kind === 'local'
    ? `${t.model}${t.adapter ? ` + adapter ${t.adapter} (×${t.adapterScale})` : t.adapterRun !== undefined ? ` + adapter of training run ${t.adapterRun} (×${t.adapterScale})` : ''}`
    : `endpoint ${t.endpoint}`;
}

function printRun(run: RunSummary): void {
  const s = run.settings;
  const src =
    s.source.kind === 'dataset'
      ? `${s.source.dataset}/${s.source.split}${s.source.limit ? ` (first ${s.source.limit})` : ''}`
      : `test set ${s.source.name}`;
  const d = s.decoding;
  console.log(`run ${run.id}: ${run.name}`);
  console.log(`  state      ${run.state}${run.error ? ` (${run.error})` : ''}`);
  console.log(`  target     ${describeTarget(run)}`);
  console.log(`  input      ${src}, ${run.total} items`);
  console.log(
    `  template   ${s.template.name ? `${s.template.name} v${s.template.version}` : 'inline'} (${s.template.format})`,
  );
  console.log(
    `  decoding   ${d.temperature === 0 ? 'greedy' : `temperature ${d.temperature}, seed ${d.seed}`}, max ${d.maxTokens} tokens${d.stop.length ? `, stop ${JSON.stringify(d.stop)}` : ''}, parallel ${s.parallel}`,
  );
  console.log(
    `  progress   ${run.done}/${run.total} done, ${run.errors} errors, ${run.generatedTokens} tokens, ${run.tokensPerSecond?.toFixed(1) ?? '–'} tokens/s`,
  );
  console.log(
    `  provenance model sha256 ${run.provenance.modelSha256 ?? '–'}${run.provenance.adapterSha256 ? `, adapter sha256 ${run.provenance.adapterSha256}` : ''}${run.provenance.endpoint ? `, ${run.provenance.endpoint}` : ''}, srlab ${run.provenance.srlabVersion}`,
  );
}

function printItem(item: RunItem): void {
  console.log(`\n── item ${item.index}${item.recordId !== null ? ` (record ${item.recordId})` : ''} ──`);
  console.log(`input:\n${item.input}`);
  console.log(`prompt sent:\n${item.prompt}`);
  if (item.error) console.log(`ERROR: ${item.error}`);
  else if (item.output === null) console.log('(not generated yet)');
  else {
    console.log(`output:\n${item.output}`);
    const ms = item.generateMs === null ? '–' : `${item.generateMs.toFixed(0)} ms`;
    console.log(
      `tokens: prompt ${item.promptTokens ?? '–'}, output ${item.completionTokens ?? '–'} (${item.finishReason}), ${ms}${item.cached ? ', from the response cache' : ''}`,
    );
  }
  if (item.reference) console.log(`dataset's benign variation:\n${item.reference}`);
}

interface ShowOptions extends GlobalOptions {
  run: number;
}
const showCommand: CommandModule<GlobalOptions, ShowOptions> = {
  command: 'show <run>',
  describe: "A run's settings and every item: input, exact prompt sent, output, token counts, timing",
  builder: (y) => y.positional('run', { type: 'number', demandOption: true }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const { run } = await core.invoke('runs.get', { id: argv.run });
      const items = await allItems(core, run.id);
      if (argv.json) return printJson({ run, items });
      printRun(run);
      console.log('\nContent warning: inputs may contain biased, toxic or harmful text.');
      for (const item of items) printItem(item);
    }),
};

const resumeCommand: CommandModule<GlobalOptions, ShowOptions> = {
  command: 'resume <run>',
  describe: 'Finish an interrupted or cancelled run: finished items are kept, failed and missing ones generated',
  builder: (y) => y.positional('run', { type: 'number', demandOption: true }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const started = await core.invoke('runs.resume', { id: argv.run });
      const run = await followRun(core, started);
      await reportRun(core, run, argv.json, { resumedFrom: started.run.done });
    }),
};

const removeCommand: CommandModule<GlobalOptions, ShowOptions> = {
  command: 'remove <run>',
  describe: 'Delete a run and its items',
  builder: (y) => y.positional('run', { type: 'number', demandOption: true }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('runs.remove', { id: argv.run });
      if (argv.json) return printJson(out);
      console.log(`removed run ${out.removed}`);
    }),
};

const templatesCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'templates',
  describe: 'Prompt templates (name, version, format)',
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('llm.templates', { allVersions: true });
      if (argv.json) return printJson(out);
      printTable(
        ['template', 'version', 'format', 'builtin'],
        out.templates.map((t) => [t.name, String(t.version), t.format, t.builtin ? 'yes' : '']),
      );
    }),
};

export const runsCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'runs',
  describe: 'Generation runs: list (default), show, resume, remove, templates',
  builder: (y) =>
    y
      .command(showCommand as never)
      .command(resumeCommand as never)
      .command(removeCommand as never)
      .command(templatesCommand as never),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const { runs } = await core.invoke('runs.list', { limit: 100 });
      if (argv.json) return printJson({ runs });
      if (runs.length === 0) return console.log('No runs yet: srlab generate --model NAME --dataset NAME --split test');
      printTable(
        ['run', 'name', 'state', 'done', 'errors', 'tokens/s', 'created'],
        runs.map((r) => [
          String(r.id),
          r.name,
          r.state,
          `${r.done}/${r.total}`,
          String(r.errors),
          r.tokensPerSecond?.toFixed(1) ?? '–',
          r.createdAt.slice(0, 19),
        ]),
      );
    }),
};
