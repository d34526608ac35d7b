import { describe, expect, it } from 'vitest';
import { trainLaunch } from '../../../src/main/core/training/launch';

const base = { python: '/venv/bin/python', paramsFile: '/run/train-params.json' };

describe('training launch command', () => {
  it.each([0, 1])('keeps training in the worker process with %i GPU(s)', (gpuCount) => {
    expect(trainLaunch({ ...base, gpuCount })).toEqual({ mode: 'in-process' });
  });

  it('launches DDP through accelerate, one process per GPU, when more than one GPU is present', () => {
    expect(trainLaunch({ ...base, gpuCount: 4 })).toEqual({
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
    const bf16 = trainLaunch({ ...base, gpuCount: 2, mixedPrecision: 'bf16' });
    expect(bf16.mode === 'accelerate' && bf16.args.join(' ')).toContain('--multi_gpu --mixed_precision bf16 -m');
  });

  it('adds the multi-node flags; --num_processes counts every GPU on every machine', () => {
    const l = trainLaunch({
      ...base,
      gpuCount: 8,
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
      gpuCount: 1,
      multiNode: { numMachines: 2, machineRank: 0, mainProcessIp: 'head', mainProcessPort: 1234 },
    });
    expect(oneGpuEach.mode === 'accelerate' && oneGpuEach.args).toContain('1234');
  });

  it('rejects inconsistent multi-node settings', () => {
    const mn = { numMachines: 2, machineRank: 0, mainProcessIp: '10.0.0.1' };
    expect(() => trainLaunch({ ...base, gpuCount: 2, multiNode: { ...mn, machineRank: 2 } })).toThrow(/machineRank/);
    expect(() => trainLaunch({ ...base, gpuCount: 2, multiNode: { ...mn, numMachines: 1 } })).toThrow(/numMachines/);
    expect(() => trainLaunch({ ...base, gpuCount: 2, multiNode: { ...mn, mainProcessIp: ' ' } })).toThrow(
      /mainProcessIp/,
    );
    expect(() => trainLaunch({ ...base, gpuCount: 0, multiNode: mn })).toThrow(/GPU/);
  });
});
