import { describe, expect, it } from 'vitest';
import { joinScript, multiNodeFromEnv, resolveProcesses, trainLaunch } from '../../../src/main/core/training/launch';

const base = { python: '/venv/bin/python', paramsFile: '/run/train-params.json' };

describe('training launch command', () => {
  it.each([0, 1])('keeps training in the worker process with %i GPU(s)', (processes) => {
    expect(trainLaunch({ ...base, processes })).toEqual({ mode: 'in-process' });
  });

  it('launches DDP through accelerate, one process per GPU, when more than one GPU is present', () => {
    expect(trainLaunch({ ...base, processes: 4 })).toEqual({
      mode: 'accelerate',
      command: '/venv/bin/python',
      processes: 4,
      args: [
        '-m',
        'accelerate.commands.launch',
        '--num_processes',
        '4',
        '--multi_gpu',
        '-m',
        'srlab_worker.train_entry',
        '--params',
        '/run/train-params.json',
      ],
    });
    const bf16 = trainLaunch({ ...base, processes: 2, mixedPrecision: 'bf16' });
    expect(bf16.mode === 'accelerate' && bf16.args.join(' ')).toContain('--multi_gpu --mixed_precision bf16 -m');
  });

  it('adds the multi-node flags; --num_processes counts every GPU on every machine', () => {
    const l = trainLaunch({
      ...base,
      processes: 8,
      multiNode: { numMachines: 2, machineRank: 1, mainProcessIp: '10.0.0.1' },
    });
    if (l.mode !== 'accelerate') throw new Error('expected accelerate');
    expect(l.processes).toBe(16);
    expect(l.args.join(' ')).toBe(
      '-m accelerate.commands.launch --num_processes 16 --multi_gpu --num_machines 2 --machine_rank 1 ' +
        '--main_process_ip 10.0.0.1 --main_process_port 29500 -m srlab_worker.train_entry --params /run/train-params.json',
    );
    const oneGpuEach = trainLaunch({
      ...base,
      processes: 1,
      multiNode: { numMachines: 2, machineRank: 0, mainProcessIp: 'head', mainProcessPort: 1234 },
    });
    expect(oneGpuEach.mode === 'accelerate' && oneGpuEach.args).toContain('1234');
  });

  it('rejects inconsistent multi-node settings', () => {
    const mn = { numMachines: 2, machineRank: 0, mainProcessIp: '10.0.0.1' };
    expect(() => trainLaunch({ ...base, processes: 2, multiNode: { ...mn, machineRank: 2 } })).toThrow(/machineRank/);
    expect(() => trainLaunch({ ...base, processes: 2, multiNode: { ...mn, numMachines: 1 } })).toThrow(/numMachines/);
    expect(() => trainLaunch({ ...base, processes: 2, multiNode: { ...mn, mainProcessIp: ' ' } })).toThrow(
      /mainProcessIp/,
    );
    expect(() => trainLaunch({ ...base, processes: 0, multiNode: mn })).toThrow(/GPU/);
  });
});

describe('processes and multi-node settings', () => {
  it('uses one process per GPU unless num_processes says otherwise', () => {
    expect(resolveProcesses(0, 0)).toBe(1);
    expect(resolveProcesses(0, 1)).toBe(1);
    expect(resolveProcesses(0, 4)).toBe(4);
    expect(resolveProcesses(2, 0)).toBe(2);
    expect(resolveProcesses(1, 8)).toBe(1);
  });

  it('reads multi-node settings from the environment of the rank-0 machine', () => {
    expect(multiNodeFromEnv({})).toBeUndefined();
    expect(multiNodeFromEnv({ SRLAB_NUM_MACHINES: '1' })).toBeUndefined();
    expect(multiNodeFromEnv({ SRLAB_NUM_MACHINES: '3', SRLAB_MAIN_PROCESS_IP: '10.0.0.1' })).toEqual({
      numMachines: 3,
      machineRank: 0,
      mainProcessIp: '10.0.0.1',
    });
    expect(() => multiNodeFromEnv({ SRLAB_NUM_MACHINES: '2' })).toThrow(/SRLAB_MAIN_PROCESS_IP/);
  });

  it('writes a join script that takes the machine rank as its argument', () => {
    const l = trainLaunch({
      python: "/opt/it's/python",
      paramsFile: '/runs/run-1/train-params.json',
      processes: 2,
      multiNode: { numMachines: 2, machineRank: 0, mainProcessIp: '10.0.0.1' },
    });
    if (l.mode !== 'accelerate') throw new Error('expected accelerate');
    const script = joinScript(l, '/srlab/python-worker');
    expect(script).toContain(`'/opt/it'\\''s/python'`);
    expect(script).toContain(`'--machine_rank' "$1"`);
    expect(script).toContain(`PYTHONPATH='/srlab/python-worker'`);
    expect(script).not.toContain(`'--machine_rank' '0'`);
  });
});
