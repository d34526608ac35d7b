// `srlab worker setup`: make the managed venv and install the training stack into it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/contract';
import { venvPython, workerRoot } from './paths';

export interface SetupOptions {
  venv: string;
  python?: string | undefined;
  cpu: boolean;
  signal: AbortSignal;
  log: (line: string) => void;
  step: (done: number, total: number) => void;
}

function run(cmd: string, args: string[], opts: SetupOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onLine = (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 20) tail.shift();
        opts.log(line);
      }
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', onLine);
    const abort = () => child.kill('SIGTERM');
    opts.signal.addEventListener('abort', abort, { once: true });
    child.once('error', (err) => reject(new ApiError('failed', `cannot run ${cmd}: ${err.message}`)));
    child.once('exit', (code) => {
      opts.signal.removeEventListener('abort', abort);
      if (opts.signal.aborted) reject(new ApiError('cancelled', 'worker setup was cancelled'));
      else if (code === 0) resolve();
      else
        reject(
          new ApiError(
            'failed',
            `${path.basename(cmd)} ${args.slice(0, 3).join(' ')} failed (exit ${code}): ${tail.slice(-3).join(' | ')}`,
          ),
        );
    });
  });
}

/** Extra pip flags from SRLAB_PIP_ARGS (e.g. offline CI: "--retries 0 --timeout 5"). */
function pipExtra(): string[] {
  return (process.env.SRLAB_PIP_ARGS ?? '').split(/\s+/).filter(Boolean);
}

export async function setupVenv(opts: SetupOptions): Promise<{ venv: string; python: string; requirements: string }> {
  const base = opts.python ?? (process.platform === 'win32' ? 'python' : 'python3');
  const requirements = path.join(workerRoot(), opts.cpu ? 'requirements-cpu.txt' : 'requirements.txt');
  const python = venvPython(opts.venv);
  opts.step(0, 3);
  await run(base, ['-c', 'import sys; assert sys.version_info >= (3, 10), "Python 3.10+ is required"'], opts);
  opts.step(1, 3);
  if (!fs.existsSync(python)) {
    fs.mkdirSync(path.dirname(opts.venv), { recursive: true });
    await run(base, ['-m', 'venv', opts.venv], opts);
  }
  opts.step(2, 3);
  await run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', ...pipExtra(), '-r', requirements], opts);
  opts.step(3, 3);
  return { venv: opts.venv, python, requirements: path.basename(requirements) };
}
