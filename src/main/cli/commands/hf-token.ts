// `srlab hf-token set|clear|status`: the Hugging Face access token for gated bases (meta-llama/*),
// kept in the OS keychain like endpoint keys. The token is read from stdin, never from argv
// (visible in ps and shell history), and never printed.
import type { CommandModule } from 'yargs';
import { ApiError } from '../../../shared/contract';
import type { HfTokenStatus } from '../../../shared/contracts/training';
import { type GlobalOptions, note, printJson, withCore } from '../context';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) note('paste the Hugging Face token (https://huggingface.co/settings/tokens), then Ctrl-D');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8').trim();
}

function describe(s: HfTokenStatus): string {
  if (!s.hasToken)
    return `no Hugging Face token (gated bases such as meta-llama/* need one): run \`srlab hf-token set\` or set HF_TOKEN`;
  return s.backend === 'env'
    ? 'Hugging Face token: from the environment (HF_TOKEN)'
    : `Hugging Face token: stored in the OS keychain (${s.backend})`;
}

const setCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'set',
  describe: 'Store the token read from stdin (e.g. `srlab hf-token set < token.txt`) in the OS keychain',
  handler: (argv) =>
    withCore(argv, async (core) => {
      const token = await readStdin();
      if (!token)
        throw new ApiError('invalid-input', 'nothing on stdin: pipe the token in (it is never taken from argv)');
      const out = await core.invoke('hf.setToken', { token });
      if (argv.json) return printJson(out);
      console.log(describe(out));
    }),
};

const clearCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'clear',
  describe: 'Delete the stored token (HF_TOKEN in the environment still applies)',
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('hf.clearToken', {});
      if (argv.json) return printJson(out);
      console.log(describe(out));
    }),
};

const statusCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'status',
  describe: 'Whether a token is available and where it comes from (never the token itself)',
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('hf.tokenStatus', {});
      if (argv.json) return printJson(out);
      console.log(describe(out));
      if (!out.keychain.backend) console.log(out.keychain.message);
    }),
};

export const hfTokenCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'hf-token',
  describe: 'The Hugging Face access token for gated base models: status (default), set, clear',
  builder: (y) =>
    y
      .command(setCommand as never)
      .command(clearCommand as never)
      .command(statusCommand as never),
  handler: (argv) => statusCommand.handler(argv as never),
};
