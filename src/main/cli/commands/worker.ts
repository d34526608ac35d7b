import type { CommandModule } from 'yargs';
import type { WorkerDoctor } from '../../../shared/contracts/training';
import { type GlobalOptions, note, printJson, withCore } from '../context';
import { createProgressPrinter } from '../progress';

interface SetupOptions extends GlobalOptions {
  python?: string;
  cpu: boolean;
}

const setupCommand: CommandModule<GlobalOptions, SetupOptions> = {
  command: 'setup',
  describe: "Create srlab's Python environment and install the training stack (pip output on stderr)",
  builder: (y) =>
    y
      .option('python', { type: 'string', describe: 'Python 3.10+ to build the venv from (default python3)' })
      .option('cpu', { type: 'boolean', default: false, describe: 'the CPU stack (no CUDA, no bitsandbytes)' }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const progress = createProgressPrinter();
      const started = core.worker.startSetup({ python: argv.python, cpu: argv.cpu }, (line) => note(`  ${line}`));
      const stop = core.events.subscribe((e) => {
        if (e.type === 'job' && e.job.id === started.job.id && e.job.state === 'running') progress.update(e.job);
      });
      try {
        const out = await started.done;
        progress.end();
        const doctor = await core.worker.doctor();
        if (argv.json) return printJson({ ...out, doctor });
        console.log(`worker environment ready: ${out.venv} (${out.requirements})`);
        printDoctor(doctor);
      } finally {
        stop();
      }
    }),
};

function printDoctor(d: WorkerDoctor): void {
  const row = (label: string, value: string) => console.log(`${label.padEnd(15)}${value}`);
  row('venv', `${d.venv}${d.installed ? '' : ' (absent)'}`);
  row('python', `${d.python ?? '–'} ${d.pythonVersion ?? ''}`);
  for (const [name, version] of Object.entries(d.packages)) row(name, version ?? 'absent');
  row('CUDA', d.cuda.available ? `yes (${d.cuda.version})` : 'no');
  for (const g of d.gpus)
    row(`GPU ${g.index}`, `${g.name}: ${(g.freeMiB / 1024).toFixed(1)} of ${(g.totalMiB / 1024).toFixed(1)} GiB free`);
  if (d.canRun.length) row('can run', d.canRun.join('; '));
  for (const p of d.problems) row('note', p);
}

const doctorCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'doctor',
  describe:
    'What the worker environment has: python, torch, transformers, peft, bitsandbytes, CUDA, GPUs and free VRAM',
  handler: (argv) =>
    withCore(argv, async (core) => {
      const d = await core.invoke('worker.doctor', {});
      if (argv.json) return printJson(d);
      printDoctor(d);
    }),
};

export const workerCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'worker',
  describe: 'The Python training worker: set it up, check it',
  builder: (y) =>
    y
      .command(setupCommand as never)
      .command(doctorCommand as never)
      .demandCommand(1, 'Name a worker command: setup or doctor'),
  handler: () => undefined,
};
