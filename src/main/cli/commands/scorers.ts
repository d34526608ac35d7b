// `srlab scorers`: srlab's embedded classifiers (train on a dataset's label, list, remove) and
// scoring texts with any scorer spec (embedded, hf, judge, moderation, style).
import fs from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { ApiError } from '../../../shared/contract';
import {
  EMBEDDED_LABELS,
  EMBEDDED_TARGETS,
  EmbeddedClassifier,
  SCORER_KINDS,
  type EmbeddedClassifier as Classifier,
  type ScorerSpecInput,
} from '../../../shared/contracts/scorers';
import { type GlobalOptions, printJson, withCore } from '../context';
import { jobResult } from '../follow';
import { printTable } from './datasets';

const fmt = (n: number | null | undefined, digits = 3) => (n === null || n === undefined ? '–' : n.toFixed(digits));

function printClassifier(c: Classifier): void {
  const t = EMBEDDED_TARGETS[c.label];
  console.log(`${c.name}: embedded classifier, score = P(${c.positive}) → ${t.measure} (version ${c.version})`);
  console.log(
    `  trained on  ${c.dataset} (${c.label}): ${c.counts.train} train, ${c.counts.dev} dev, ${c.counts.test} test texts in ${(c.durationMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `  features    word 1–2-grams${c.options.charNgrams ? ' + char 3–5-grams' : ''}, ${c.options.buckets} buckets; L2 ${c.options.l2}${c.options.benignVariations ? '; benign variations as negatives' : ''}`,
  );
  console.log(`  calibration ${c.calibration.detail}`);
  const v = c.validation;
  console.log(
    v
      ? `  validation  test (n=${v.n}, ${(100 * v.positiveRate).toFixed(1)}% ${c.positive}): accuracy ${fmt(v.accuracy)}, macro-F1 ${fmt(v.macroF1)}, ROC-AUC ${fmt(v.rocAuc)}`
      : '  validation  none (no test split)',
  );
}

interface TrainOptions extends GlobalOptions {
  dataset: string;
  label: (typeof EMBEDDED_LABELS)[number];
  name?: string;
  buckets?: number;
  l2?: number;
  charNgrams?: boolean;
  calibration?: 'platt' | 'isotonic' | 'none';
  benignVariations?: boolean;
  maxIterations?: number;
}

const trainCommand: CommandModule<GlobalOptions, TrainOptions> = {
  command: 'train',
  describe:
    "Train an embedded classifier on a dataset's label (hashed n-grams + logistic regression: train split; dev calibrates; test validates)",
  builder: (y) =>
    y
      .option('dataset', { type: 'string', demandOption: true })
      .option('label', {
        choices: EMBEDDED_LABELS,
        default: 'annotation' as const,
        describe: 'annotation: P(Unsafe); bias: P(Yes); toxicity: P(not No); sentiment: P(Negative); harm: P(not Low)',
      })
      .option('name', {
        type: 'string',
        describe: 'classifier name (default DATASET-LABEL; an existing one is replaced)',
      })
      .option('buckets', { type: 'number', describe: 'hash buckets, a power of two (default 262144)' })
      .option('l2', { type: 'number', describe: 'L2 penalty (default 1e-4)' })
      .option('char-ngrams', {
        type: 'boolean',
        describe: 'char 3–5-grams besides words (default on; --no-char-ngrams)',
      })
      .option('calibration', {
        choices: ['platt', 'isotonic', 'none'] as const,
        describe: 'on the dev split (default platt)',
      })
      .option('benign-variations', {
        type: 'boolean',
        describe: "also learn each record's benign variation as a negative example (e.g. the srllm CSV, all biased)",
      })
      .option('max-iterations', {
        type: 'number',
        describe: 'L-BFGS iterations at most (default 300)',
      }) as unknown as Argv<TrainOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const options = {
        ...(argv.buckets !== undefined ? { buckets: argv.buckets } : {}),
        ...(argv.l2 !== undefined ? { l2: argv.l2 } : {}),
        ...(argv.charNgrams !== undefined ? { charNgrams: argv.charNgrams } : {}),
        ...(argv.calibration !== undefined ? { calibration: argv.calibration } : {}),
        ...(argv.benignVariations !== undefined ? { benignVariations: argv.benignVariations } : {}),
        ...(argv.maxIterations !== undefined ? { maxIterations: argv.maxIterations } : {}),
      };
      const { job } = await core.invoke('scorers.trainEmbedded', {
        dataset: argv.dataset,
        label: argv.label,
        ...(argv.name !== undefined ? { name: argv.name } : {}),
        options,
      });
      const classifier = await jobResult(core, job, EmbeddedClassifier, { log: !argv.json });
      if (argv.json) return printJson({ classifier });
      printClassifier(classifier);
    }),
};

/**
 * A spec from the command line: JSON (`{"kind":"embedded","classifier":"cmd-demo-annotation"}`) or
 * the short form KIND:NAME for the kinds named by one classifier (embedded:NAME, hf:NAME).
 */
export function parseSpec(text: string): ScorerSpecInput {
  const t = text.trim();
  if (t.startsWith('{')) {
    try {
      return JSON.parse(t) as ScorerSpecInput;
    } catch (err) {
      throw new ApiError(
        'invalid-input',
        `--spec is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  const m = /^(embedded|hf):(.+)$/.exec(t);
  if (m) return { kind: m[1] as 'embedded' | 'hf', classifier: m[2]! };
  throw new ApiError(
    'invalid-input',
    `--spec "${text}": give JSON such as {"kind":"embedded","classifier":"NAME"}, or embedded:NAME / hf:NAME (kinds: ${SCORER_KINDS.join(', ')})`,
  );
}

interface ScoreOptions extends GlobalOptions {
  spec: string;
  text?: string[];
  file?: string;
}

const scoreCommand: CommandModule<GlobalOptions, ScoreOptions> = {
  command: 'score',
  describe: 'Score texts with a scorer (cached: a text already scored by the same scorer version is not scored again)',
  builder: (y) =>
    y
      .option('spec', {
        type: 'string',
        demandOption: true,
        describe: 'a ScorerSpec as JSON, or embedded:NAME / hf:NAME',
      })
      .option('text', { type: 'string', array: true, describe: 'a text to score (repeat for more)' })
      .option('file', { type: 'string', describe: 'a file with one text per line' }) as unknown as Argv<ScoreOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const texts = [...(argv.text ?? []).map(String)];
      if (argv.file !== undefined) {
        let content: string;
        try {
          content = fs.readFileSync(argv.file, 'utf8');
        } catch (err) {
          throw new ApiError('invalid-input', `${argv.file}: ${err instanceof Error ? err.message : String(err)}`);
        }
        texts.push(...content.split(/\r?\n/).filter((l) => l.trim() !== ''));
      }
      if (texts.length === 0)
        throw new ApiError('invalid-input', 'no texts: give --text T (repeatable) or --file FILE');
      const out = await core.invoke('scorers.score', { spec: parseSpec(argv.spec), texts });
      if (argv.json) return printJson(out);
      console.log(`${out.scorer.id} (version ${out.scorer.version}): ${out.scorer.description}`);
      console.log(`${out.results.length} texts, ${out.cached} from the cache`);
      printTable(
        ['#', 'score', 'verdict', 'text'],
        out.results.map((r, i) => [
          String(i + 1),
          r.score === null ? 'error' : r.score.toFixed(4),
          r.error ?? r.label ?? '–',
          // Shown as plain text, one line, shortened.
          JSON.stringify(texts[i]!.length > 70 ? `${texts[i]!.slice(0, 67)}…` : texts[i]!),
        ]),
      );
    }),
};

interface NameOptions extends GlobalOptions {
  name: string;
}

const removeCommand: CommandModule<GlobalOptions, NameOptions> = {
  command: 'remove <name>',
  describe: 'Remove an embedded classifier and its cached scores',
  builder: (y) => y.positional('name', { type: 'string', demandOption: true }) as unknown as Argv<NameOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('scorers.remove', { name: argv.name });
      if (argv.json) return printJson(out);
      console.log(`removed ${out.removed}`);
    }),
};

const listCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'list',
  describe: 'The embedded classifiers and the scorer kinds',
  handler: (argv) => listHandler(argv),
};

function listHandler(argv: GlobalOptions): Promise<void> {
  return withCore(argv, async (core) => {
    const out = await core.invoke('scorers.list', {});
    if (argv.json) return printJson(out);
    if (out.embedded.length === 0)
      console.log('no embedded classifiers yet: srlab scorers train --dataset NAME --label annotation');
    else
      printTable(
        ['classifier', 'dataset', 'label', 'score', 'train', 'accuracy', 'macro-F1', 'ROC-AUC'],
        out.embedded.map((c) => [
          c.name,
          c.dataset,
          c.label,
          `P(${c.positive})`,
          String(c.counts.train),
          fmt(c.validation?.accuracy),
          fmt(c.validation?.macroF1),
          fmt(c.validation?.rocAuc),
        ]),
      );
    console.log('');
    printTable(
      ['scorer kind', 'available', 'what'],
      out.kinds.map((k) => [k.kind, k.available ? 'yes' : 'not yet', k.note]),
    );
  });
}

export const scorersCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'scorers',
  describe: 'Scorers: embedded classifiers (list (default), train, remove) and scoring texts with any scorer',
  builder: (y) =>
    y
      .command(listCommand as never)
      .command(trainCommand as never)
      .command(scoreCommand as never)
      .command(removeCommand as never),
  handler: (argv) => listHandler(argv),
};
