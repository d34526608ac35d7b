// The people the lab hands links to — a human-evaluation session's evaluators (`srlab humaneval`)
// and an annotation round's annotators (`srlab rounds`). Both hold the same evaluator tokens,
// invited, renewed, revoked and shown the same way, so both commands print and manage them here.
import type { Argv, CommandModule } from 'yargs';
import type { EvaluatorToken } from '../../shared/contracts/access';
import type { Invite } from '../../shared/contracts/humaneval';
import { type GlobalOptions, printJson, withCore } from './context';

/** A comma list as the user typed it: items trimmed, empty ones dropped (`a, b,,c` → a, b, c). */
export function commaList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `--expires` of a create command: how long the links it prints stay good. */
export const linksExpireOption = {
  type: 'number',
  describe: 'links stop working after this many days (default 30)',
} as const;

/** `--expires` as the contracts take it: left out, the contract's default applies. */
export function expiresInDays(days: number | undefined): { expiresInDays?: number } {
  return days !== undefined ? { expiresInDays: days } : {};
}

/** What a link is now, as the lab reads it. */
export function linkState(t: EvaluatorToken): string {
  if (t.revokedAt) return `revoked ${t.revokedAt}`;
  if (t.expiresAt)
    return Date.parse(t.expiresAt) <= Date.now() ? `expired ${t.expiresAt}` : `active until ${t.expiresAt}`;
  return 'active';
}

/** The invitations, each printed once (srlab keeps only their hashes). */
export function printInvites(invites: readonly Invite[], who: string): void {
  if (invites.length === 0) return;
  console.log(`Give each ${who} their own link, opened on the serve origin (\`srlab serve\` prints it):`);
  for (const i of invites) console.log(`  ${i.evaluator}: ${i.path}`);
  console.log('The links are shown only now: srlab keeps a hash of each.');
}

/** Where one person's work stands, and each of their links (status of a session or a round). */
export function personState(p: { submittedAt: string | null; lastActivityAt: string | null }): string {
  return p.submittedAt ? `submitted ${p.submittedAt}` : p.lastActivityAt ? `last ${p.lastActivityAt}` : 'not started';
}
export function printLinks(tokens: readonly EvaluatorToken[]): void {
  for (const t of tokens) console.log(`    link ${t.id}: ${linkState(t)}`);
}

interface InviteOptions extends GlobalOptions {
  revoke: boolean;
  expires?: number;
}

/**
 * `invite <session|round> <person>`: a new link for one person (printed once), or `--revoke` their
 * active links. `who` names the positional, the method's input field and the printed word.
 */
export function inviteCommand(spec: {
  method: 'humaneval.invite' | 'rounds.invite';
  target: 'session' | 'round';
  who: 'evaluator' | 'annotator';
  describe: string;
}): CommandModule<GlobalOptions, InviteOptions> {
  return {
    command: `invite <${spec.target}> <${spec.who}>`,
    describe: spec.describe,
    builder: (y) =>
      y
        .positional(spec.target, { type: 'number', demandOption: true })
        .positional(spec.who, { type: 'string', demandOption: true })
        .option('revoke', { type: 'boolean', default: false, describe: `revoke the ${spec.who}'s active links` })
        .option('expires', {
          type: 'number',
          describe: 'the new link stops working after this many days (default 30)',
        }) as Argv<InviteOptions>,
    handler: (argv) =>
      withCore(argv, async (core) => {
        const person = argv[spec.who] as string;
        // The person's field is named after `who`; the contract checks the whole input as always.
        const input = {
          id: argv[spec.target],
          [spec.who]: person,
          revoke: argv.revoke,
          ...expiresInDays(argv.expires),
        };
        const out = await core.invoke(spec.method, input as never);
        if (argv.json) return printJson(out);
        for (const t of out.revoked) console.log(`revoked link ${t.id} of ${t.evaluator}`);
        if (argv.revoke && out.revoked.length === 0) console.log(`${person} had no active link`);
        if (out.invite) printInvites([out.invite], spec.who);
      }),
  };
}
