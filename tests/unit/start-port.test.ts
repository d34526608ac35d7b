// `npm start` where no window can open (no display, as on this machine): it says why, starts
// serve mode, and its SSH tunnel hint names the port the server really bound — not 7860 when
// --port says otherwise. Runs the real scripts/start.js (and the built CLI under it).
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { sshHint } from '../../src/main/cli/commands/serve';
import { REPO_ROOT, tempDir } from '../helpers';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Run `node scripts/start.js ARGS` without a display until serve mode prints its ssh line; then stop it. */
function startWithoutDisplay(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = { ...process.env, SRLAB_HOME: '' };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.SRLAB_SERVE;
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'start.js'), ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`no ssh line in 50 s\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 50_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!/ssh -L .*\n/.test(stdout)) return;
      clearTimeout(timer);
      child.once('exit', () => resolve({ stdout, stderr }));
      child.kill('SIGTERM');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!/ssh -L/.test(stdout)) reject(new Error(`start.js exited with ${code}\n${stdout}\n${stderr}`));
    });
  });
}

function tunnelPorts(text: string): string[][] {
  return [...text.matchAll(/ssh -L (\d+):[^:\s]+:(\d+)/g)].map((m) => [m[1]!, m[2]!]);
}

describe('npm start without a display', () => {
  test('says why, starts serve mode, and the ssh hint names the real port (--port 0)', async () => {
    const { stdout, stderr } = await startWithoutDisplay(['--port', '0', '--home', tempDir('srlab-start-')]);
    expect(stderr).toContain('the desktop window cannot open: no display');
    expect(stderr).toContain('starting serve mode instead');
    const port = /Open: http:\/\/127\.0\.0\.1:(\d+)\/\?token=/.exec(stdout)?.[1];
    expect(port).toBeDefined();
    expect(port).not.toBe('7860');
    // Every tunnel line, from start.js or from serve, names the port that was bound.
    const lines = tunnelPorts(stdout + stderr);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const [local, remote] of lines) expect([local, remote]).toEqual([port, port]);
  }, 60_000);

  test('an explicit --port shows in the URL and in the ssh hint', async () => {
    const wanted = String(await freePort());
    const { stdout, stderr } = await startWithoutDisplay(['--port', wanted, '--home', tempDir('srlab-start-')]);
    expect(stdout).toContain(`Open: http://127.0.0.1:${wanted}/?token=`);
    for (const [local, remote] of tunnelPorts(stdout + stderr)) expect([local, remote]).toEqual([wanted, wanted]);
  }, 60_000);
});

describe('sshHint', () => {
  test('loopback hosts get a tunnel line with the bound port; other hosts none', () => {
    expect(sshHint('127.0.0.1', 41234)).toContain('ssh -L 41234:127.0.0.1:41234 <this host>');
    expect(sshHint('localhost', 8000)).toContain('ssh -L 8000:localhost:8000');
    expect(sshHint('::1', 8000)).toContain('ssh -L 8000:[::1]:8000');
    expect(sshHint('0.0.0.0', 8000)).toBeNull();
    expect(sshHint('10.1.2.3', 8000)).toBeNull();
  });
});
