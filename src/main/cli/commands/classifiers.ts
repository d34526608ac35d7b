// `srlab classifiers`: Hugging Face sequence classifiers as scorers — fine-tune one on a dataset's
// label through the worker (the paper's classifier route), register any other one by Hugging
// Face id or folder, list/show/remove them, and import the style-trait lists style scorers use.
import type { Argv, CommandModule } from 'yargs';
import { ApiError } from '../../../shared/contract';
import {
  CLASSIFIER_LABELS,
  CLASSIFIER_MEASURES,
  type ClassifierInfo as Info,
} from '../../../shared/contracts/classifiers';
import type { JobInfo } from '../../../shared/contracts/jobs';
import { type Door, ExitCode, type GlobalOptions, note, printJson, withCore } from '../context';
import { followJob } from '../follow';
import { printTable } from './datasets';

const fmt = (n: number | null | undefined, digits = 4) => (n === null || n === undefined ? '–' : n.toFixed(digits));

function printClassifier(c: Info): void {
  console.log(`${c.name}: ${c.state}${c.error ? ` — ${c.error}` : ''}`);
  console.log(`  model       ${c.model} (${c.source}, ${c.version})`);
  console.log(
    `  classes     ${c.labels?.join(', ') ?? 'read when first used'}; score = P(${c.positive}) → ${c.measure}`,
  );
  const t = c.training;
  if (t) {
    console.log(
      `  trained on  ${t.dataset} (${t.label}): ${t.examples.train} train, ${t.examples.dev} dev, ${t.examples.test} test texts; base ${c.base}`,
    );
    console.log(
      `  steps       ${t.step}/${t.totalSteps ?? '?'} on ${t.device ?? '?'}; loss ${fmt(t.initialLoss)} → ${fmt(t.finalLoss)}${t.bestEvalLoss !== null ? `, best eval ${fmt(t.bestEvalLoss)}` : ''}`,
    );
    console.log(`  checkpoints ${t.checkpoints.map((k) => k.step).join(', ') || '–'}`);
  }
  const v = c.validation;
  if (v)
    console.log(
      `  validation  ${v.split} (n=${v.n}): accuracy ${fmt(v.accuracy, 3)}, macro-F1 ${fmt(v.macroF1, 3)}, ROC-AUC ${fmt(v.rocAuc, 3)}`,
    );
}

/** Follow a training job to its end (Ctrl-C or SIGTERM cancels; checkpoints stay for resume). */
async function followTraining(core: Door, started: { classifier: Info; job: JobInfo }, json: boolean): Promise<void> {
  await followJob(core, started.job, {
    sigterm: true,
    detail: (e) =>
      e.type === 'classifier' && e.name === started.classifier.name && e.classifier?.training?.finalLoss != null
        ? `  loss ${e.classifier.training.finalLoss.toFixed(4)}`
        : undefined,
  });
  const { classifier } = await core.invoke('classifiers.get', { name: started.classifier.name });
  if (json)
    printJson(
      classifier.state === 'ready'
        ? { classifier }
        : {
            classifier,
            error: { kind: classifier.state === 'cancelled' ? 'cancelled' : 'failed', message: classifier.error },
          },
    );
  else printClassifier(classifier);
  if (classifier.state !== 'ready') throw new ExitCode(1);
}

interface TrainOptions extends GlobalOptions {
  base: string;
  dataset: string;
  label: (typeof CLASSIFIER_LABELS)[number];
  name?: string;
  epochs: number;
  batchSize: number;
  lr: number;
  maxLength: number;
  seed: number;
  saveSteps: number;
}

const trainCommand: CommandModule<GlobalOptions, TrainOptions> = {
  command: 'train',
  describe:
    "Fine-tune a sequence classifier on a dataset's label (train split; dev for eval loss; test for validation)",
  builder: (y) =>
    y
      .option('base', {
        type: 'string',
        demandOption: true,
        describe: 'Hugging Face id (e.g. FacebookAI/roberta-large, the paper), bases:NAME, or a model folder',
      })
      .option('dataset', { type: 'string', demandOption: true })
      .option('label', {
        choices: CLASSIFIER_LABELS,
        default: 'annotation' as const,
        describe: 'annotation: Unsafe vs Benign; bias/toxicity/harm: not the benign value; sentiment: Negative',
      })
      .option('name', { type: 'string', describe: 'classifier name (default DATASET-LABEL)' })
      .option('epochs', { type: 'number', default: 3 })
      .option('batch-size', { type: 'number', default: 16 })
      .option('lr', { type: 'number', default: 2e-5, describe: 'learning rate (AdamW, linear decay)' })
      .option('max-length', { type: 'number', default: 256, describe: 'tokens per text (longer ones are cut)' })
      .option('seed', { type: 'number', default: 42 })
      .option('save-steps', {
        type: 'number',
        default: 0,
        describe: 'checkpoint every N steps (0: each epoch)',
      }) as unknown as Argv<TrainOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const started = await core.invoke('classifiers.train', {
        base: argv.base,
        dataset: argv.dataset,
        label: argv.label,
        ...(argv.name !== undefined ? { name: argv.name } : {}),
        epochs: argv.epochs,
        batchSize: argv.batchSize,
        learningRate: argv.lr,
        maxLength: argv.maxLength,
        seed: argv.seed,
        saveSteps: argv.saveSteps,
      });
      await followTraining(core, started, argv.json);
    }),
};

interface NameOptions extends GlobalOptions {
  name: string;
}

const resumeCommand: CommandModule<GlobalOptions, NameOptions> = {
  command: 'resume <name>',
  describe: 'Continue a cancelled or failed training from its last checkpoint',
  builder: (y) => y.positional('name', { type: 'string', demandOption: true }) as unknown as Argv<NameOptions>,
  handler: (argv) =>
    withCore(argv, async (core) =>
      followTraining(core, await core.invoke('classifiers.resume', { name: argv.name }), argv.json),
    ),
};

const cancelCommand: CommandModule<GlobalOptions, NameOptions> = {
  command: 'cancel <name>',
  describe: 'Stop a training at its next step (also one running in another srlab process)',
  builder: (y) => y.positional('name', { type: 'string', demandOption: true }) as unknown as Argv<NameOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const { classifier } = await core.invoke('classifiers.cancel', { name: argv.name });
      if (argv.json) return printJson({ classifier: classifier.name, state: 'cancel-requested' });
      console.log(`cancel requested for ${classifier.name}; it stops at the next step (checkpoints stay for resume)`);
    }),
};

interface AddOptions extends GlobalOptions {
  name: string;
  hf?: string;
  folder?: string;
  positive: string;
  measure: (typeof CLASSIFIER_MEASURES)[number];
}

const addCommand: CommandModule<GlobalOptions, AddOptions> = {
  command: 'add',
  describe:
    'Register a Hugging Face sequence classifier as a scorer (e.g. --hf tomh/toxigen_roberta --positive LABEL_1)',
  builder: (y) =>
    y
      .option('name', { type: 'string', demandOption: true })
      .option('hf', { type: 'string', describe: 'Hugging Face model id (org/name)' })
      .option('folder', { type: 'string', describe: 'a local model folder (config.json, weights, tokenizer)' })
      .option('positive', {
        type: 'string',
        demandOption: true,
        describe: 'the class whose probability is the score (ToxiGen-RoBERTa: LABEL_1 = toxic)',
      })
      .option('measure', {
        choices: CLASSIFIER_MEASURES,
        default: 'toxicity' as const,
      }) as unknown as Argv<AddOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      if ((argv.hf === undefined) === (argv.folder === undefined))
        throw new ApiError('invalid-input', 'give one of --hf ID or --folder PATH');
      const { classifier } = await core.invoke('classifiers.add', {
        name: argv.name,
        source: argv.hf !== undefined ? { kind: 'hf', id: argv.hf } : { kind: 'folder', path: argv.folder! },
        positive: argv.positive,
        measure: argv.measure,
      });
      if (argv.json) return printJson({ classifier });
      printClassifier(classifier);
    }),
};

const showCommand: CommandModule<GlobalOptions, NameOptions> = {
  command: 'show <name>',
  describe: 'A classifier: model, classes, training and validation',
  builder: (y) => y.positional('name', { type: 'string', demandOption: true }) as unknown as Argv<NameOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const { classifier } = await core.invoke('classifiers.get', { name: argv.name });
      if (argv.json) return printJson({ classifier });
      printClassifier(classifier);
    }),
};

interface RemoveOptions extends NameOptions {
  deleteFiles: boolean;
}

const removeCommand: CommandModule<GlobalOptions, RemoveOptions> = {
  command: 'remove <name>',
  describe: 'Unregister a classifier (--delete-files also deletes a trained one’s weights and checkpoints)',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true })
      .option('delete-files', { type: 'boolean', default: false }) as unknown as Argv<RemoveOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('classifiers.remove', { name: argv.name, deleteFiles: argv.deleteFiles });
      if (argv.json) return printJson(out);
      console.log(`removed ${out.removed}${out.deletedFiles ? ' and its files' : ''}`);
    }),
};

interface TraitsOptions extends NameOptions {
  file?: string;
}

const traitsCommand: CommandModule<GlobalOptions, TraitsOptions> = {
  command: 'traits <name>',
  describe: 'Import a style-trait list (--file: one trait per line, "Trait (gloss, gloss)"), or show one',
  builder: (y) =>
    y.positional('name', { type: 'string', demandOption: true }).option('file', {
      type: 'string',
      describe: 'e.g. image_chat_personalities.txt (ParlAI, 215 traits)',
    }) as unknown as Argv<TraitsOptions>,
  handler: (argv) =>
    withCore(argv, async (core) => {
      if (argv.file === undefined) {
        const { traitList } = await core.invoke('classifiers.traits', { name: argv.name });
        if (argv.json) return printJson({ traitList });
        console.log(
          `${traitList.name}: ${traitList.traits.length} traits${traitList.sourceFile ? ` from ${traitList.sourceFile}` : ''}`,
        );
        console.log(traitList.traits.map((t) => t.name).join(', '));
        return;
      }
      const out = await core.invoke('classifiers.addTraits', {
        name: argv.name,
        source: { kind: 'path', path: argv.file },
      });
      if (argv.json)
        return printJson({
          traitList: out.traitList.name,
          traits: out.traitList.traits.length,
          rejected: out.rejected,
        });
      console.log(`${out.traitList.name}: ${out.traitList.traits.length} traits from ${out.traitList.sourceFile}`);
      for (const r of out.rejected) note(`  ${argv.file}:${r.line}: ${r.message} (skipped)`);
    }),
};

export const classifiersCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'classifiers',
  describe: 'Hugging Face classifiers as scorers: list (default), train, resume, cancel, add, show, remove, traits',
  builder: (y) =>
    y
      .command(trainCommand as never)
      .command(resumeCommand as never)
      .command(cancelCommand as never)
      .command(addCommand as never)
      .command(showCommand as never)
      .command(removeCommand as never)
      .command(traitsCommand as never),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const out = await core.invoke('classifiers.list', {});
      if (argv.json) return printJson(out);
      if (out.classifiers.length === 0 && out.traitLists.length === 0) {
        console.log(
          'no classifiers yet: srlab classifiers add --name N --hf ID --positive LABEL, or srlab classifiers train',
        );
        return;
      }
      if (out.classifiers.length)
        printTable(
          ['classifier', 'source', 'state', 'score', 'measure', 'accuracy', 'macro-F1', 'ROC-AUC'],
          out.classifiers.map((c) => [
            c.name,
            c.source,
            c.state,
            `P(${c.positive})`,
            c.measure,
            fmt(c.validation?.accuracy, 3),
            fmt(c.validation?.macroF1, 3),
            fmt(c.validation?.rocAuc, 3),
          ]),
        );
      if (out.traitLists.length) {
        console.log('');
        printTable(
          ['trait list', 'traits', 'from'],
          out.traitLists.map((t) => [t.name, String(t.traits), t.sourceFile ?? '–']),
        );
      }
    }),
};
