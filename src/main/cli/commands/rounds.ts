// `srlab rounds`: CMD annotation rounds from the lab's side (how the CMD was made) — give records
// of a dataset to several annotators, follow their progress and agreement (Fleiss' kappa per
// category and overall), adjudicate ties and flags as the expert, and write the gold labels back
// to the dataset. Annotating happens on the annotator's page, never here.
import type { Argv, CommandModule } from 'yargs';
import { LABEL_VALUES, SPLITS } from '../../../shared/domain';
import { ROUND_LABELS, type QueueItem, type RoundInfo } from '../../../shared/contracts/rounds';
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

interface CreateOptions extends GlobalOptions {
  dataset: string;
  records: number;
  annotators: string;
  perRecord?: number;
  seed?: number;
  split?: string;
  title?: string;
  expires?: number;
}
interface RoundOptions extends GlobalOptions {
  round: number;
}
interface AdjudicateOptions extends RoundOptions {
  record?: number;
  bias?: string;
  toxicity?: string;
  sentiment?: string;
  harm?: string;
  benign?: string;
  by?: string;
  note?: string;
  apply: boolean;
  all: boolean;
}

function describeRound(r: RoundInfo): string {
  return (
    `${String(r.id).padStart(4)}  "${r.title}"  ${r.dataset}/${r.split}  ${r.records} records  ${r.perRecord} per record  ` +
    `annotators ${r.annotators.join(', ')}  ${r.createdAt}${r.appliedAt ? `  applied ${r.appliedAt}` : ''}`
  );
}

const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(3));

function describeQueueItem(q: QueueItem): string[] {
  const votes = (label: (typeof ROUND_LABELS)[number]) =>
    Object.entries(q.votes[label])
      .map(([value, n]) => `${value} ${n}`)
      .join(', ');
  const lines = [
    `record ${q.record}  (${q.reasons.join(', ')})  ${JSON.stringify(q.text.length > 80 ? `${q.text.slice(0, 77)}...` : q.text)}`,
  ];
  for (const label of q.tied) lines.push(`  tied ${label}: ${votes(label)}`);
  for (const n of q.notes.filter((x) => x.flagged || x.note))
    lines.push(`  ${n.flagged ? 'flagged' : 'note'} by ${n.annotator}${n.note ? `: ${JSON.stringify(n.note)}` : ''}`);
  if (q.adjudication) {
    const set = ROUND_LABELS.map((l) => `${l} ${q.adjudication!.labels[l] ?? '(majority)'}`).join(', ');
    lines.push(`  adjudicated by ${q.adjudication.by} ${q.adjudication.at}: ${set}`);
  }
  return lines;
}

const create: CommandModule<GlobalOptions, CreateOptions> = {
  command: 'create',
  describe: 'Give records of a dataset to annotators (links printed once)',
  builder: (y) =>
    y
      .option('dataset', { type: 'string', demandOption: true, describe: 'the dataset whose records to label' })
      .option('records', { type: 'number', demandOption: true, describe: 'how many records to draw (seeded)' })
      .option('annotators', { type: 'string', demandOption: true, describe: 'annotator names: a,b,c' })
      .option('per-record', { type: 'number', describe: 'annotators per record (default 3, as the CMD)' })
      .option('seed', { type: 'number', describe: 'drawing seed (default 1)' })
      .option('split', { type: 'string', describe: `draw from ${[...SPLITS, 'all'].join(', ')} (default all)` })
      .option('title', { type: 'string', describe: 'a title the annotators see' })
      .option('expires', linksExpireOption) as Argv<CreateOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('rounds.create', {
        dataset: argv.dataset,
        records: argv.records,
        annotators: commaList(argv.annotators),
        ...(argv.perRecord !== undefined ? { perRecord: argv.perRecord } : {}),
        ...(argv.seed !== undefined ? { seed: argv.seed } : {}),
        ...(argv.split !== undefined ? { split: argv.split as never } : {}),
        ...(argv.title !== undefined ? { title: argv.title } : {}),
        ...expiresInDays(argv.expires),
      });
      if (argv.json) return printJson(out);
      console.log(`round ${out.round.id} "${out.round.title}": ${out.records} records`);
      console.log(describeRound(out.round));
      printInvites(out.invites, 'annotator');
    }),
};

const list: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'list',
  describe: 'List annotation rounds',
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('rounds.list', {});
      if (argv.json) return printJson(out);
      if (out.rounds.length === 0)
        console.log('No rounds yet: srlab rounds create --dataset NAME --records N --annotators a,b,c');
      for (const r of out.rounds) console.log(describeRound(r));
    }),
};

const roundArg = (y: Argv<GlobalOptions>) => y.positional('round', { type: 'number', demandOption: true });

const status: CommandModule<GlobalOptions, RoundOptions> = {
  command: 'status <round>',
  describe: "Progress, gold labels and Fleiss' kappa per category and overall",
  builder: (y) => roundArg(y) as Argv<RoundOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('rounds.status', { id: argv.round });
      if (argv.json) return printJson(out);
      console.log(describeRound(out.round));
      console.log(`progress: ${out.progress.done}/${out.progress.total} labellings`);
      for (const a of out.annotators) {
        console.log(`  ${a.annotator}: ${a.done}/${a.assigned} done, ${a.flagged} flagged, ${personState(a)}`);
        printLinks(a.invites);
      }
      const g = out.gold;
      console.log(
        `gold: ${g.agreed} agreed by majority, ${g.queued} waiting for an expert, ${g.adjudicated} adjudicated, ${g.incomplete} incomplete`,
      );
      console.log(
        `Fleiss' kappa overall (srlab's pooled): ${fmt(out.kappa.overall)}${out.band.overall ? ` (${out.band.overall})` : ''}, ${out.units.overall} units`,
      );
      for (const l of ROUND_LABELS)
        console.log(
          `  ${l}: ${fmt(out.kappa.perLabel[l])}${out.band.perLabel[l] ? ` (${out.band.perLabel[l]})` : ''}, ${out.units[l]} records`,
        );
    }),
};

const labelOption = (label: (typeof ROUND_LABELS)[number]) => ({
  type: 'string' as const,
  describe: `the expert's ${label} (${LABEL_VALUES[label].join(', ')}); left out: the majority's`,
});

const adjudicate: CommandModule<GlobalOptions, AdjudicateOptions> = {
  command: 'adjudicate <round>',
  describe: 'List records waiting for an expert; --record ID … adjudicates one; --apply writes gold labels back',
  builder: (y) =>
    roundArg(y)
      .option('record', { type: 'number', describe: 'the record to adjudicate' })
      .option('bias', labelOption('bias'))
      .option('toxicity', labelOption('toxicity'))
      .option('sentiment', labelOption('sentiment'))
      .option('harm', labelOption('harm'))
      .option('benign', { type: 'string', describe: "the expert's benign variation" })
      .option('by', { type: 'string', describe: 'who adjudicates (with --record or --apply)' })
      .option('note', { type: 'string', describe: 'why' })
      .option('apply', {
        type: 'boolean',
        default: false,
        describe: 'write the gold labels back to the dataset as label edits (with --by)',
      })
      .option('all', {
        type: 'boolean',
        default: false,
        describe: 'list resolved records too',
      }) as Argv<AdjudicateOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      if (argv.apply) {
        const out = await core.invoke('rounds.apply', { id: argv.round, by: argv.by as string });
        if (argv.json) return printJson(out);
        console.log(
          `wrote gold labels of ${out.records} records back (${out.edits} label edits by ${argv.by}, ${out.appliedAt}); ` +
            `${out.pending} records still pending`,
        );
        return;
      }
      if (argv.record !== undefined) {
        const labels = Object.fromEntries(ROUND_LABELS.map((l) => [l, argv[l] ?? null]));
        const out = await core.invoke('rounds.adjudicate', {
          id: argv.round,
          record: argv.record,
          labels: labels as never,
          ...(argv.benign !== undefined ? { benign: argv.benign } : {}),
          by: argv.by as string,
          ...(argv.note !== undefined ? { note: argv.note } : {}),
        });
        if (argv.json) return printJson(out);
        for (const line of describeQueueItem(out.item)) console.log(line);
        return;
      }
      const out = await core.invoke('rounds.queue', { id: argv.round, includeResolved: argv.all });
      if (argv.json) return printJson(out);
      if (out.items.length === 0) console.log('Nothing waits for an expert.');
      for (const q of out.items) for (const line of describeQueueItem(q)) console.log(line);
    }),
};

const invite = inviteCommand({
  method: 'rounds.invite',
  target: 'round',
  who: 'annotator',
  describe: 'A new link for one annotator (printed once), or --revoke their links',
});

const remove: CommandModule<GlobalOptions, RoundOptions> = {
  command: 'remove <round>',
  describe: 'Remove a round and its annotations, and revoke its links (labels written back stay)',
  builder: (y) => roundArg(y) as Argv<RoundOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('rounds.remove', { id: argv.round });
      if (argv.json) return printJson(out);
      console.log(out.removed ? `removed round ${argv.round}` : `no round ${argv.round}`);
    }),
};

export const roundsCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'rounds <command>',
  describe: "CMD annotation rounds: majority vote, expert adjudication, Fleiss' kappa (create, status, adjudicate, …)",
  builder: (y) =>
    y
      .command(create as never)
      .command(list as never)
      .command(status as never)
      .command(adjudicate as never)
      .command(invite as never)
      .command(remove as never)
      .demandCommand(1),
  handler: () => undefined,
};
