// How a training run is launched. One process: the `train` job runs in the supervised stdio
// worker. More (one per CUDA GPU, or `num_processes`): `accelerate launch` (DDP, torchrun
// underneath) starts srlab_worker.train_entry on every rank — an existing engine, not a
// scheduler of ours; rank 0 speaks the worker protocol on stdout. Multi-node adds accelerate's
// own --num_machines/--machine_rank/--main_process_ip/--main_process_port; every node runs the
// same command with its own rank (see README, "Training on several GPUs or machines").

export interface MultiNode {
  /** Machines taking part (≥ 2). */
  numMachines: number;
  /** This machine's rank, 0 .. numMachines-1; rank 0 hosts the rendezvous. */
  machineRank: number;
  /** Address of the rank-0 machine, reachable from every node. */
  mainProcessIp: string;
  /** Rendezvous port on the rank-0 machine (accelerate's default 29500). */
  mainProcessPort?: number;
}

export interface LaunchInput {
  /** The managed venv's python (accelerate is run as `python -m accelerate.commands.launch`, so it is the venv's). */
  python: string;
  /** Training processes on this machine: one per GPU (on CPU, gloo processes for testing). */
  processes: number;
  /** JSON file with the `train` job's params (base, train_file, config, run_dir, resume_from). */
  paramsFile: string;
  /** fp16 / bf16 autocast under accelerate; omitted: accelerate's default ("no"). */
  mixedPrecision?: 'no' | 'fp16' | 'bf16';
  multiNode?: MultiNode;
}

export type Launch =
  { mode: 'in-process' } | { mode: 'accelerate'; command: string; args: string[]; processes: number };

/** The worker module accelerate starts on every process (rank 0 speaks the JSON-lines protocol). */
export const TRAIN_ENTRY_MODULE = 'srlab_worker.train_entry';

export function trainLaunch(input: LaunchInput): Launch {
  const perMachine = Math.floor(input.processes);
  const mn = input.multiNode;
  if (!mn && perMachine <= 1) return { mode: 'in-process' };
  if (perMachine < 1) throw new Error('multi-node training needs at least one process (GPU) on each machine');
  const machines = mn ? Math.floor(mn.numMachines) : 1;
  if (mn) {
    if (machines < 2) throw new Error('numMachines must be at least 2 for multi-node training');
    if (!Number.isInteger(mn.machineRank) || mn.machineRank < 0 || mn.machineRank >= machines)
      throw new Error(`machineRank must be an integer in 0..${machines - 1}`);
    if (!mn.mainProcessIp.trim()) throw new Error('mainProcessIp (the rank-0 machine) is required');
  }
  // accelerate's --num_processes is the total over all machines.
  const processes = perMachine * machines;
  const args = ['-m', 'accelerate.commands.launch', '--num_processes', String(processes)];
  args.push('--multi_gpu');
  if (input.mixedPrecision) args.push('--mixed_precision', input.mixedPrecision);
  if (mn) {
    args.push('--num_machines', String(machines), '--machine_rank', String(mn.machineRank));
    args.push('--main_process_ip', mn.mainProcessIp, '--main_process_port', String(mn.mainProcessPort ?? 29500));
  }
  args.push('-m', TRAIN_ENTRY_MODULE, '--params', input.paramsFile);
  return { mode: 'accelerate', command: input.python, args, processes };
}

/** Processes per machine: the config's `num_processes`, or 0 = one per CUDA GPU (1 without). */
export function resolveProcesses(numProcesses: number, gpuCount: number): number {
  return numProcesses > 0 ? numProcesses : Math.max(1, gpuCount);
}

/**
 * Multi-node settings from the environment of the srlab that starts the run (rank 0's machine
 * runs srlab; the others run the command srlab writes to the run folder's `join-node.sh`):
 * SRLAB_NUM_MACHINES, SRLAB_MAIN_PROCESS_IP, optional SRLAB_MAIN_PROCESS_PORT.
 */
export function multiNodeFromEnv(env: NodeJS.ProcessEnv): MultiNode | undefined {
  const machines = Number(env.SRLAB_NUM_MACHINES ?? '1');
  if (!(machines > 1)) return undefined;
  const ip = env.SRLAB_MAIN_PROCESS_IP?.trim();
  if (!ip)
    throw new Error('SRLAB_NUM_MACHINES > 1 needs SRLAB_MAIN_PROCESS_IP (the address of this, the rank-0 machine)');
  const port = env.SRLAB_MAIN_PROCESS_PORT ? Number(env.SRLAB_MAIN_PROCESS_PORT) : undefined;
  return { numMachines: machines, machineRank: 0, mainProcessIp: ip, ...(port ? { mainProcessPort: port } : {}) };
}

/** The script the other machines run to join a multi-node run: `sh join-node.sh RANK`. */
export function joinScript(launch: Extract<Launch, { mode: 'accelerate' }>, workerRoot: string): string {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const args = launch.args.map((a, i) => (launch.args[i - 1] === '--machine_rank' ? '"$1"' : quote(a)));
  return [
    '#!/bin/sh',
    '# Run on every other machine of this multi-node run with its rank (1..N-1): sh join-node.sh RANK',
    '# Needs the same paths on every machine (a shared filesystem for the run folder and the base model).',
    'set -e',
    `[ -n "$1" ] || { echo "usage: sh join-node.sh MACHINE_RANK" >&2; exit 2; }`,
    `PYTHONPATH=${quote(workerRoot)} exec ${quote(launch.command)} ${args.join(' ')}`,
    '',
  ].join('\n');
}
