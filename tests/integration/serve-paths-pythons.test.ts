// worker.setup from a browser names a Python by its index in worker doctor's list, never by
// path: the list (found on PATH, deduplicated, the managed venv's own left out) and the setup
// job that uses the chosen one, with fake interpreters on a private PATH.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { findPythons, pythonByIndex } from '../../src/main/core/worker/pythons';
import { tempDir } from '../helpers';

/** A shell script standing in for a Python: answers the version, makes a "venv", accepts pip. */
function fakePython(file: string, version: string, exit = 0): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    [
      '#!/bin/sh',
      `[ ${exit} -ne 0 ] && exit ${exit}`,
      'if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then /bin/mkdir -p "$3/bin"; /bin/cp "$0" "$3/bin/python"; exit 0; fi',
      'if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then echo "fake pip: installed"; exit 0; fi',
      `echo ${version}`,
    ].join('\n'),
    { mode: 0o755 },
  );
}

describe.skipIf(process.platform === 'win32')('the Pythons worker doctor offers', () => {
  const root = tempDir('srlab-pythons-');
  const a = path.join(root, 'a');
  const b = path.join(root, 'b');
  const venv = path.join(root, 'venv');
  const env = { PATH: [path.join(venv, 'bin'), a, b].join(path.delimiter) };

  beforeAll(() => {
    fakePython(path.join(a, 'python3'), '3.11.4');
    fs.symlinkSync(path.join(a, 'python3'), path.join(a, 'python3.11')); // the same interpreter twice
    fakePython(path.join(b, 'python'), '3.8.10'); // too old
    fakePython(path.join(b, 'python3.12'), '3.12.0', 1); // does not run
    fakePython(path.join(venv, 'bin', 'python3'), '3.11.4'); // the managed venv's own
  });

  it('lists each working interpreter once, in a fixed order, with whether it is new enough', async () => {
    const found = await findPythons({ env, venv });
    expect(found).toEqual([
      { index: 0, path: path.join(a, 'python3.11'), version: '3.11.4', usable: true },
      { index: 1, path: path.join(b, 'python'), version: '3.8.10', usable: false },
    ]);
    // Without the venv to leave out, its interpreter is listed too: the control.
    expect((await findPythons({ env })).map((p) => p.path)).toContain(path.join(venv, 'bin', 'python3'));
  });

  it('picks by index, refusing an old one and an index out of range', async () => {
    expect(await pythonByIndex(0, { env, venv })).toBe(path.join(a, 'python3.11'));
    await expect(pythonByIndex(1, { env, venv })).rejects.toThrow(/Python 3.8.10; the worker needs 3.10/);
    await expect(pythonByIndex(2, { env, venv })).rejects.toThrow(/no Python 2 on this machine \(found 2/);
  });

  describe('worker.setup with pythonIndex (a lab call)', () => {
    let core: Core;
    const saved = { PATH: process.env.PATH, SRLAB_WORKER_VENV: process.env.SRLAB_WORKER_VENV };
    beforeAll(async () => {
      process.env.PATH = env.PATH;
      process.env.SRLAB_WORKER_VENV = path.join(root, 'managed');
      core = await createCore({ home: tempDir(), loadDemo: false, checkOutputs: true });
    });
    afterAll(async () => {
      await core.close();
      process.env.PATH = saved.PATH;
      if (saved.SRLAB_WORKER_VENV === undefined) delete process.env.SRLAB_WORKER_VENV;
      else process.env.SRLAB_WORKER_VENV = saved.SRLAB_WORKER_VENV;
    });

    it('makes the venv from the chosen interpreter', async () => {
      const doctor = await core.call('worker.doctor', {}, { scope: 'lab' });
      expect(doctor.ok).toBe(true);
      const pythons = (doctor as { result: { pythons: { index: number; path: string }[] } }).result.pythons;
      expect(pythons[0]!.path).toBe(path.join(a, 'python3.11'));

      const started = await core.call('worker.setup', { pythonIndex: 0, cpu: true }, { scope: 'lab' });
      expect(started.ok).toBe(true);
      const id = (started as { result: { job: { id: number } } }).result.job.id;
      const { job, error } = await core.invoke('jobs.wait', { id });
      expect(job.state, error?.message).toBe('succeeded');
      const log = (await core.invoke('jobs.log', { id })).lines.map((l) => l.text).join('\n');
      expect(log).toContain(`$ ${path.join(a, 'python3.11')} -m venv ${path.join(root, 'managed')}`);
      expect(fs.existsSync(path.join(root, 'managed', 'bin', 'python'))).toBe(true);

      // The same choice by path is a program named by the caller: local callers only.
      const byPath = await core.call('worker.setup', { python: pythons[0]!.path, cpu: true }, { scope: 'lab' });
      expect(byPath.ok || byPath.error.kind).toBe('forbidden');
    });
  });
});
