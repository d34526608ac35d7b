// How a training run is launched. One GPU (or none): the `train` job runs in the supervised
// worker process. More than one CUDA GPU: `accelerate launch` (DDP) starts one process per GPU —
// an existing engine, not a scheduler of ours. Multi-node adds accelerate's own
// --num_machines/--machine_rank/--main_process_ip/--main_process_port; each node runs the same
// command with its own rank. This module only builds the command (pure, unit-tested); it has
// not been run on a multi-GPU machine.

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
  /** CUDA GPUs on this machine (from worker doctor). */
  gpuCount: number;
  /** JSON file with the `train` job's params (base, train_file, config, run_dir, resume_from). */
  paramsFile: string;
  /** fp16 / bf16 autocast under accelerate; omitted: accelerate's default ("no"). */
  mixedPrecision?: 'no' | 'fp16' | 'bf16';
  multiNode?: MultiNode;
}

export type Launch =
  { mode: 'in-process' } | { mode: 'accelerate'; command: string; args: string[]; processes: number };

/**
 * The worker module accelerate starts on every process (rank 0 speaks the JSON-lines protocol).
 * Not written yet: it needs DDP in the train job (DistributedSampler, wrapped model, rank-0
 * checkpoints and events); until then the training service keeps the in-process path.
 */
export const TRAIN_ENTRY_MODULE = 'srlab_worker.train_entry';

export function trainLaunch(input: LaunchInput): Launch {
  const gpus = Math.floor(input.gpuCount);
  const mn = input.multiNode;
  if (!mn && gpus <= 1) return { mode: 'in-process' };
  if (gpus < 1) throw new Error('multi-node training needs at least one CUDA GPU on each machine');
  const machines = mn ? Math.floor(mn.numMachines) : 1;
  if (mn) {
    if (machines < 2) throw new Error('numMachines must be at least 2 for multi-node training');
    if (!Number.isInteger(mn.machineRank) || mn.machineRank < 0 || mn.machineRank >= machines)
      throw new Error(`machineRank must be an integer in 0..${machines - 1}`);
    if (!mn.mainProcessIp.trim()) throw new Error('mainProcessIp (the rank-0 machine) is required');
  }
  // accelerate's --num_processes is the total over all machines.
  const processes = gpus * machines;
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
