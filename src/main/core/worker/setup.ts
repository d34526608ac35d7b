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
  /** Each output line of python/pip, and each command run; never the environment. */
  log: (line: string, level: SetupLogLevel) => void;
  step: (done: number, total: number) => void;
}

export type SetupLogLevel = 'info' | 'warn' | 'error';

/** pip's own warnings and errors ("WARNING: …", "ERROR: …", "DEPRECATION: …") stand out in the log. */
export function pipLineLevel(line: string): SetupLogLevel {
  if (/^\s*(ERROR|FATAL)\b|^\s*error:/.test(line)) return 'error';
  if (/^\s*(WARNING|DEPRECATION)\b|^\s*warning:/i.test(line)) return 'warn';
  return 'info';
}

/** Credentials in URLs (an index URL in SRLAB_PIP_ARGS, say) never reach the log. */
export function redactUrls(line: string): string {
  return line.replace(/([a-z][\w+.-]*:\/\/)[^/\s@]+@/gi, '$1****@');
}

function run(cmd: string, args: string[], opts: SetupOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    opts.log(redactUrls(`$ ${[cmd, ...args].join(' ')}`), 'info');
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const emit = (raw: string) => {
      const line = redactUrls(raw.replace(/\r$/, ''));
      if (!line.trim()) return;
      tail.push(line);
      if (tail.length > 20) tail.shift();
      opts.log(line, pipLineLevel(line));
    };
    // A chunk can end mid-line: keep the rest of each stream until its newline (or the exit).
    const rest = { stdout: '', stderr: '' };
    const onData = (stream: keyof typeof rest) => (d: Buffer) => {
      const parts = (rest[stream] + d.toString()).split('\n');
      rest[stream] = parts.pop() ?? '';
      for (const part of parts) emit(part);
    };
    child.stdout.on('data', onData('stdout'));
    child.stderr.on('data', onData('stderr'));
    const abort = () => child.kill('SIGTERM');
    opts.signal.addEventListener('abort', abort, { once: true });
    child.once('error', (err) => reject(new ApiError('failed', `cannot run ${cmd}: ${err.message}`)));
    child.once('close', (code) => {
      emit(rest.stdout);
      emit(rest.stderr);
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
