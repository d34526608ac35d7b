// `srlab humaneval`: blind human evaluation (the paper's section 5.5 and Figure 4) from the lab's
// side — build a session from generation runs, hand out the evaluators' links, follow progress,
// read results, and move sessions and answers through files for offline scoring. Scoring itself
// happens on the evaluator page (serve mode or the desktop's evaluator mode), never here.
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { HumanEvalResults, HumanEvalSession } from '../../../shared/contracts/humaneval';
import { type GlobalOptions, printJson, withCore } from '../context';
import {
  commaList,
  expiresInDays,
  inviteCommand,
  linksExpireOption,
  personState,
  printInvites,
  printLinks,
} from '../invites';

/** Ids from a comma list; a non-number stays NaN so the contract refuses it naming the field. */
export function commaIds(text: string | undefined): number[] {
  return commaList(text).map(Number);
}

function describeSession(s: HumanEvalSession): string {
  // An offline copy knows no models (blind): say so rather than print an empty list.
  const models = s.models.map((m) => m.label).join(', ') || '(not known here)';
  return (
    `${String(s.id).padStart(4)}  "${s.title}"  ${s.mode}  ${s.origin}  ${s.prompts} prompts → ${s.items} items  ` +
    `${s.perItem} per item  evaluators ${s.evaluators.join(', ')}  models ${models}  ${s.createdAt}`
  );
}

const fmt = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? '—' : v.toFixed(digits));
const ciText = (ci: readonly [number, number] | null) => (ci ? `[${fmt(ci[0])}, ${fmt(ci[1])}]` : '[—]');

/**
 * The CLI's `results --json`: the contract's result with `alpha` as the issue's fixed shape
 * (`{s: number|null, l: number|null}`) and the contract's detail (band, units) in `alphaDetail`.
 */
export function resultsJson(r: HumanEvalResults) {
  return { ...r, alpha: { s: r.alpha.s.alpha, l: r.alpha.l.alpha }, alphaDetail: r.alpha };
}

function printResults(r: HumanEvalResults): void {
  const { progress, bootstrap } = r;
  console.log(
    `session ${r.session.id} "${r.session.title}": ${progress.answered}/${progress.expected} scores, ` +
      `${progress.skipped} skipped, ${progress.flagged} flagged`,
  );
  const pct = Math.round(bootstrap.confidence * 100);
  const rows = [
    ['model', `S mean [${pct}% CI]`, `L mean [${pct}% CI]`, 'n'],
    ...r.models.map((m) => [
      m.label,
      `${fmt(m.s.mean)} ${ciText(m.s.ci)}`,
      `${fmt(m.l.mean)} ${ciText(m.l.ci)}`,
      String(m.n),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
  console.log(
    `(bootstrap over items: ${bootstrap.resamples} resamples, seed ${bootstrap.seed}; n: items with a score)`,
  );
  for (const c of ['s', 'l'] as const) {
    const a = r.alpha[c];
    console.log(
      `Krippendorff's alpha (ordinal), ${c === 's' ? 'safety S' : 'language L'}: ${fmt(a.alpha, 3)}` +
        `${a.band ? ` (${a.band})` : ' (too few paired ratings)'}, ${a.units} units`,
    );
  }
  // Units the raters agreed on are no disagreement, even when they fill the top list.
  const disputed = r.disagreements.filter((d) => d.range > 0);
  if (disputed.length > 0) {
    console.log('Most disagreement (range, sd, ratings):');
    for (const d of disputed)
      console.log(
        `  ${d.key}  ${d.model}  ${d.criterion.toUpperCase()}  range ${d.range}  sd ${fmt(d.sd)}  [${d.ratings.join(', ')}]  ` +
          JSON.stringify(d.prompt.length > 60 ? `${d.prompt.slice(0, 57)}...` : d.prompt),
      );
  }
  if (r.pairs) {
    console.log(`Pairs: ${r.pairs.comparisons} comparisons`);
    for (const p of r.pairs.perModel)
      console.log(
        `  ${p.label}: ${p.wins} wins, ${p.ties} ties, ${p.losses} losses (win rate ${fmt(p.winRate)}, tie ${fmt(p.tieRate)})`,
      );
    console.log('Bradley–Terry ranking (log strength, ties half a win):');
    for (const b of r.pairs.bradleyTerry) console.log(`  ${b.rank}. ${b.label}  ${fmt(b.strength)} ${ciText(b.ci)}`);
  }
}

interface CreateOptions extends GlobalOptions {
  runs: string;
  sample: number;
  evaluators: string;
  perItem?: number;
  seed?: number;
  pairs: boolean;
  stratify: boolean;
  title?: string;
  expires?: number;
}
interface SessionOptions extends GlobalOptions {
  session: number;
}
interface ResultsOptions extends SessionOptions {
  resamples?: number;
  confidence?: number;
  seed?: number;
  top?: number;
}
interface ExportOptions extends SessionOptions {
  evaluator: string;
  out?: string;
}
interface ImportOptions extends GlobalOptions {
  file: string;
}

const create: CommandModule<GlobalOptions, CreateOptions> = {
  command: 'create',
  describe: 'Build a blind session from generation runs and invite its evaluators (links printed once)',
  builder: (y) =>
    y
      .option('runs', { type: 'string', demandOption: true, describe: 'generation runs to compare: R1,R2,…' })
      .option('sample', { type: 'number', demandOption: true, describe: 'prompts to sample (the paper: 100)' })
      .option('evaluators', { type: 'string', demandOption: true, describe: 'evaluator names: e1,e2,e3' })
      .option('per-item', { type: 'number', describe: 'evaluators per item (default 3, as the paper)' })
      .option('seed', { type: 'number', describe: 'sampling and order seed (default 1)' })
      .option('pairs', { type: 'boolean', default: false, describe: 'show A/B pairs of responses to one prompt' })
      .option('stratify', { type: 'boolean', default: false, describe: "sample within the prompts' target groups" })
      .option('title', { type: 'string', describe: 'a title the evaluators see' })
      .option('expires', linksExpireOption) as Argv<CreateOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('humaneval.create', {
        runs: commaIds(argv.runs),
        sample: argv.sample,
        evaluators: commaList(argv.evaluators),
        ...(argv.perItem !== undefined ? { perItem: argv.perItem } : {}),
        ...(argv.seed !== undefined ? { seed: argv.seed } : {}),
        pairs: argv.pairs,
        stratify: argv.stratify,
        ...(argv.title !== undefined ? { title: argv.title } : {}),
        ...expiresInDays(argv.expires),
      });
      if (argv.json) return printJson(out);
      console.log(`session ${out.session.id} "${out.session.title}": ${out.items} items`);
      console.log(describeSession(out.session));
      printInvites(out.invites, 'evaluator');
    }),
};

const list: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'list',
  describe: 'List human-evaluation sessions',
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('humaneval.list', {});
      if (argv.json) return printJson(out);
      if (out.sessions.length === 0)
        console.log('No sessions yet: srlab humaneval create --runs R1,R2 --sample N --evaluators e1,e2,e3');
      for (const s of out.sessions) console.log(describeSession(s));
    }),
};

const sessionArg = (y: Argv<GlobalOptions>) => y.positional('session', { type: 'number', demandOption: true });

const invite = inviteCommand({
  method: 'humaneval.invite',
  target: 'session',
  who: 'evaluator',
  describe: 'A new link for one evaluator of a session (printed once), or --revoke their links',
});

const status: CommandModule<GlobalOptions, SessionOptions> = {
  command: 'status <session>',
  describe: "Each evaluator's progress and links",
  builder: (y) => sessionArg(y) as Argv<SessionOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('humaneval.status', { id: argv.session });
      if (argv.json) return printJson(out);
      console.log(describeSession(out.session));
      for (const e of out.evaluators) {
        console.log(
          `  ${e.evaluator}: ${e.answered}/${e.assigned} answered, ${e.skipped} skipped, ${e.flagged} flagged, ${personState(e)}`,
        );
        printLinks(e.invites);
      }
    }),
};

const results: CommandModule<GlobalOptions, ResultsOptions> = {
  command: 'results <session>',
  describe: 'Mean S and L per model with bootstrap CIs, Krippendorff alpha, disagreements, pairs',
  builder: (y) =>
    sessionArg(y)
      .option('resamples', { type: 'number', describe: 'bootstrap resamples (default 2000)' })
      .option('confidence', { type: 'number', describe: 'interval level (default 0.95)' })
      .option('seed', { type: 'number', describe: 'bootstrap seed (default 1)' })
      .option('top', { type: 'number', describe: 'most disputed units to list (default 10)' }) as Argv<ResultsOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('humaneval.results', {
        id: argv.session,
        ...(argv.resamples !== undefined ? { resamples: argv.resamples } : {}),
        ...(argv.confidence !== undefined ? { confidence: argv.confidence } : {}),
        ...(argv.seed !== undefined ? { seed: argv.seed } : {}),
        ...(argv.top !== undefined ? { top: argv.top } : {}),
      });
      if (argv.json) return printJson(resultsJson(out));
      printResults(out);
    }),
};

const exportCmd: CommandModule<GlobalOptions, ExportOptions> = {
  command: 'export <session> <evaluator>',
  describe: "One evaluator's signed session file for offline scoring (or, for an offline copy, the answers)",
  builder: (y) =>
    sessionArg(y).positional('evaluator', { type: 'string', demandOption: true }).option('out', {
      type: 'string',
      describe: "the file to write (default: the data home's exports/)",
    }) as Argv<ExportOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('humaneval.export', {
        id: argv.session,
        evaluator: argv.evaluator,
        ...(argv.out !== undefined ? { out: path.resolve(argv.out) } : {}),
      });
      if (argv.json) return printJson(out);
      console.log(
        out.kind === 'session'
          ? `wrote ${out.path}: ${out.items} items for ${argv.evaluator} to score offline (srlab humaneval import FILE in their own srlab)`
          : `wrote ${out.path}: ${out.items} answers of ${argv.evaluator}, for the lab to import (srlab humaneval import FILE)`,
      );
    }),
};

const importCmd: CommandModule<GlobalOptions, ImportOptions> = {
  command: 'import <file>',
  describe: 'Open a session file to score offline here, or merge an evaluator’s answers file into its session',
  builder: (y) => y.positional('file', { type: 'string', demandOption: true }) as Argv<ImportOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('humaneval.import', { source: { kind: 'path', path: path.resolve(argv.file) } });
      if (argv.json) return printJson(out);
      if (out.kind === 'session') {
        console.log(
          `opened session ${out.session.id} "${out.session.title}" for ${out.evaluator} to score offline: ${out.items} items`,
        );
        console.log(
          "Score it with `srlab serve` and the lab UI's Score here, or in the desktop app's evaluator mode; " +
            `then send back: srlab humaneval export ${out.session.id} ${out.evaluator} --out FILE`,
        );
      } else {
        console.log(
          `merged ${out.answers} answers of ${out.evaluator} into session ${out.session}` +
            `${out.submittedAt ? ` (submitted ${out.submittedAt})` : ' (not submitted yet)'}`,
        );
      }
    }),
};

const remove: CommandModule<GlobalOptions, SessionOptions> = {
  command: 'remove <session>',
  describe: 'Remove a session and its answers, and revoke its links',
  builder: (y) => sessionArg(y) as Argv<SessionOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('humaneval.remove', { id: argv.session });
      if (argv.json) return printJson(out);
      console.log(out.removed ? `removed session ${argv.session}` : `no session ${argv.session}`);
    }),
};

export const humanevalCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'humaneval <command>',
  describe: 'Blind human evaluation of generation runs: safety and language, 1–5 (create, status, results, …)',
  builder: (y) =>
    y
      .command(create as never)
      .command(list as never)
      .command(invite as never)
      .command(status as never)
      .command(results as never)
      .command(exportCmd as never)
      .command(importCmd as never)
      .command(remove as never)
      .demandCommand(1),
  handler: () => undefined,
};
