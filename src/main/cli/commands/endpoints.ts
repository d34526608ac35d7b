import type { Argv, CommandModule } from 'yargs';
import { ApiError } from '../../../shared/contract';
import { envKeyName } from '../../core';
import { type GlobalOptions, note, printJson, withCore } from '../context';
import { printTable } from './datasets';

interface SaveOptions extends GlobalOptions {
  name: string;
  baseUrl: string;
  model: string;
  concurrency: number;
  rpm: number;
  timeoutMs: number;
  maxRetries: number;
  apiKeyStdin: boolean;
  forgetKey: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8').trim();
}

const saveCommand: CommandModule<GlobalOptions, SaveOptions> = {
  command: 'save <name>',
  describe: 'Create or update an OpenAI-compatible endpoint (OpenAI, vLLM, llama.cpp server, Ollama)',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true })
      .option('base-url', {
        type: 'string',
        demandOption: true,
        describe: 'e.g. https://api.openai.com/v1 or http://127.0.0.1:8000/v1',
      })
      .option('model', { type: 'string', demandOption: true })
      .option('concurrency', { type: 'number', default: 4 })
      .option('rpm', { type: 'number', default: 60, describe: 'requests per minute (0 = unlimited)' })
      .option('timeout-ms', { type: 'number', default: 60_000 })
      .option('max-retries', { type: 'number', default: 4 })
      .option('api-key-stdin', {
        type: 'boolean',
        default: false,
        describe: 'read the API key from stdin (kept in the OS keychain)',
      })
      .option('forget-key', {
        type: 'boolean',
        default: false,
        describe: 'delete the stored key',
      }) as unknown as Argv<SaveOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      let apiKey: string | null | undefined;
      if (argv.apiKeyStdin) {
        apiKey = await readStdin();
        if (!apiKey) throw new ApiError('invalid-input', '--api-key-stdin: nothing on stdin');
      } else if (argv.forgetKey) apiKey = null;
      const { endpoint } = await core.invoke('endpoints.save', {
        name: argv.name,
        baseUrl: argv.baseUrl,
        model: argv.model,
        concurrency: argv.concurrency,
        requestsPerMinute: argv.rpm,
        timeoutMs: argv.timeoutMs,
        maxRetries: argv.maxRetries,
        ...(apiKey !== undefined ? { apiKey } : {}),
      });
      if (argv.json) return printJson({ endpoint });
      console.log(
        `saved ${endpoint.name}: ${endpoint.baseUrl} (${endpoint.model}); key: ${endpoint.hasKey ? `yes (${endpoint.keyBackend})` : `none (set ${envKeyName(endpoint.name)} or use --api-key-stdin)`}`,
      );
    }),
};

interface NameOptions extends GlobalOptions {
  name: string;
}

const removeCommand: CommandModule<GlobalOptions, NameOptions> = {
  command: 'remove <name>',
  describe: 'Delete an endpoint and its stored key',
  builder: (y) => y.positional('name', { type: 'string', demandOption: true }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('endpoints.remove', { name: argv.name });
      if (argv.json) return printJson(out);
      console.log(`removed ${out.removed}`);
    }),
};

const testCommand: CommandModule<GlobalOptions, NameOptions> = {
  command: 'test <name>',
  describe: 'Send one tiny request to check the URL, key and model',
  builder: (y) => y.positional('name', { type: 'string', demandOption: true }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('endpoints.test', { name: argv.name });
      if (argv.json) printJson(out);
      else console.log(`${out.ok ? 'ok' : 'FAILED'}: ${out.message}`);
      if (!out.ok) process.exitCode = 1;
    }),
};

export const endpointsCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'endpoints',
  describe: 'OpenAI-compatible endpoints: list (default), save, test, remove',
  builder: (y) =>
    y
      .command(saveCommand as never)
      .command(testCommand as never)
      .command(removeCommand as never),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('endpoints.list', {});
      if (argv.json) return printJson(out);
      if (out.endpoints.length) {
        printTable(
          ['endpoint', 'base URL', 'model', 'key', 'concurrency', 'rpm'],
          out.endpoints.map((e) => [
            e.name,
            e.baseUrl,
            e.model,
            e.hasKey ? e.keyBackend! : '–',
            String(e.concurrency),
            String(e.requestsPerMinute),
          ]),
        );
      } else console.log('No endpoints yet: srlab endpoints save NAME --base-url URL --model MODEL');
      note(out.keychain.message);
    }),
};
