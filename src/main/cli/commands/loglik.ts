import fs from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { ApiError } from '../../../shared/contract';
import { type GlobalOptions, printJson, withCore } from '../context';
import { type LoadFlags, loadOptions, withLoadFlags } from './models';

interface Options extends GlobalOptions, LoadFlags {
  model: string;
  text?: string[];
  file?: string;
  prefix: string;
  adapter?: string;
  adapterScale: number;
  parallel?: number;
}

export const loglikCommand: CommandModule<GlobalOptions, Options> = {
  command: 'loglik',
  describe: 'Total and per-token log-probabilities of texts (natural log; first token given BOS + prefix)',
  builder: (y) =>
    withLoadFlags(
      y
        .option('model', { type: 'string', demandOption: true })
        .option('text', { type: 'string', array: true, describe: 'a text to score (repeatable: scored as one batch)' })
        .option('file', { type: 'string', describe: 'or a file with one text per line' })
        .option('prefix', {
          type: 'string',
          default: '',
          describe: 'context the texts are conditioned on (not scored)',
        })
        .option('adapter', { type: 'string', describe: 'a LoRA adapter GGUF applied on top of the model' })
        .option('adapter-scale', { type: 'number', default: 1 })
        .option('parallel', {
          type: 'number',
          describe:
            'context sequences to allocate (default 1; scoring uses one: more gave wrong numbers with node-llama-cpp 3.21.1)',
        }),
    ) as unknown as Argv<Options>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const texts = [...(argv.text ?? [])];
      if (argv.file) {
        let content: string;
        try {
          content = fs.readFileSync(argv.file, 'utf8');
        } catch {
          throw new ApiError('not-found', `cannot read ${argv.file}`);
        }
        texts.push(...content.split(/\r?\n/).filter((l) => l.trim() !== ''));
      }
      if (texts.length === 0 || texts.some((t) => t === ''))
        throw new ApiError('invalid-input', 'give at least one non-empty --text "…" (or --file)');
      const out = await core.invoke('llm.loglik', {
        model: argv.model,
        ...(argv.adapter ? { adapter: argv.adapter } : {}),
        adapterScale: argv.adapterScale,
        items: texts.map((text) => ({ text, prefix: argv.prefix })),
        load: { ...loadOptions(argv), ...(argv.parallel !== undefined ? { sequences: argv.parallel } : {}) },
      });
      if (argv.json) return printJson(out);
      for (const r of out.results) {
        console.log(
          `${JSON.stringify(r.text)}: total ${r.total.toFixed(4)}, mean ${r.mean.toFixed(4)} over ${r.tokens.length} tokens`,
        );
        for (const t of r.tokens)
          console.log(`  ${t.logprob.toFixed(4).padStart(10)}  ${JSON.stringify(t.piece)} (${t.token})`);
      }
    }),
};
