import type { CommandModule } from 'yargs';
import { z } from 'zod';
import type { WorkerDoctor } from '../../../shared/contracts/training';
import { type GlobalOptions, printJson, withCore } from '../context';
import { jobResult } from '../follow';

interface SetupOptions extends GlobalOptions {
  python?: string;
  cpu: boolean;
}

/** What a worker-setup job stores as its result. */
const SetupResult = z.object({ venv: z.string(), python: z.string(), requirements: z.string() });

const setupCommand: CommandModule<GlobalOptions, SetupOptions> = {
  command: 'setup',
  describe: "Create srlab's Python environment and install the training stack (pip output on stderr)",
  builder: (y) =>
    y
      .option('python', { type: 'string', describe: 'Python 3.10+ to build the venv from (default python3)' })
      .option('cpu', { type: 'boolean', default: false, describe: 'the CPU stack (no CUDA, no bitsandbytes)' }),
  handler: (argv) =>
    withCore(argv, async (core) => {
      const { job } = await core.invoke('worker.setup', {
        ...(argv.python !== undefined ? { python: argv.python } : {}),
        cpu: argv.cpu,
      });
      // pip's output arrives as the job's log lines.
      const out = await jobResult(core, job, SetupResult, { log: true });
      const doctor = await core.invoke('worker.doctor', {});
      if (argv.json) return printJson({ ...out, doctor });
      console.log(`worker environment ready: ${out.venv} (${out.requirements})`);
      printDoctor(doctor);
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
