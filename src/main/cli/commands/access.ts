// `srlab access`: the lab hands blind scorers browser links. Each evaluator token reaches one
// evaluator's page for one scoring session (never the lab's methods or data); the server keeps
// only its sha256, so the link is printed once, here.
import type { Argv, CommandModule } from 'yargs';
import type { EvaluatorToken } from '../../../shared/contracts/access';
import { type GlobalOptions, printJson, withCore } from '../context';
import { linkState } from '../invites';

interface CreateOptions extends GlobalOptions {
  evaluator: string;
  session: string;
  expires?: number;
}
interface RevokeOptions extends GlobalOptions {
  id: number;
}
interface ListOptions extends GlobalOptions {
  all: boolean;
}

function describeToken(t: EvaluatorToken): string {
  return `${String(t.id).padStart(4)}  ${t.evaluator}  session "${t.session}"  created ${t.createdAt}  ${linkState(t)}`;
}

const create: CommandModule<GlobalOptions, CreateOptions> = {
  command: 'create',
  describe: 'Create an evaluator link for one evaluator and one session (printed once)',
  builder: (y) =>
    y
      .option('evaluator', { type: 'string', demandOption: true, describe: 'who will score (a name or pseudonym)' })
      .option('session', {
        type: 'string',
        demandOption: true,
        describe: 'the scoring session it opens',
      })
      .option('expires', {
        type: 'number',
        describe: 'days until the link stops working (default: never)',
      }) as Argv<CreateOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('access.createEvaluatorToken', {
        evaluator: argv.evaluator,
        session: argv.session,
        ...(argv.expires !== undefined ? { expiresInDays: argv.expires } : {}),
      });
      if (argv.json) return printJson(out);
      console.log(`evaluator token ${out.id} for ${out.info.evaluator}, session "${out.info.session}"`);
      console.log(`Give the evaluator this link (on the serve URL's origin): ${out.path}`);
      console.log('It is shown only now: srlab keeps a hash. Revoke it with: srlab access revoke ' + out.id);
    }),
};

const list: CommandModule<GlobalOptions, ListOptions> = {
  command: 'list',
  describe: 'List evaluator tokens (never the tokens themselves)',
  builder: (y) =>
    y.option('all', { type: 'boolean', default: true, describe: 'include revoked tokens (--no-all: active only)' }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('access.listEvaluatorTokens', { includeRevoked: argv.all });
      if (argv.json) return printJson(out);
      if (out.tokens.length === 0)
        console.log('No evaluator tokens yet: srlab access create --evaluator NAME --session NAME');
      for (const t of out.tokens) console.log(describeToken(t));
    }),
};

const revoke: CommandModule<GlobalOptions, RevokeOptions> = {
  command: 'revoke <id>',
  describe: 'Revoke an evaluator token: its link answers 401 from now on',
  builder: (y) => y.positional('id', { type: 'number', demandOption: true }) as Argv<RevokeOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('access.revokeEvaluatorToken', { id: argv.id });
      if (argv.json) return printJson(out);
      console.log(`revoked: ${describeToken(out.token)}`);
    }),
};

export const accessCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'access <command>',
  describe: 'Evaluator links for blind scoring in serve mode (create, list, revoke)',
  builder: (y) =>
    y
      .command(create as never)
      .command(list as never)
      .command(revoke as never)
      .demandCommand(1),
  handler: () => undefined,
};
