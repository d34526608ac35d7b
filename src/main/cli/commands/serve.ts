import type { CommandModule } from 'yargs';
import { rendererDir } from '../../transports/renderer-dir';
import { type GlobalOptions, note, printJson, withCoreForTransport } from '../context';

interface Options extends GlobalOptions {
  host: string;
  port: number;
}

export const DEFAULT_PORT = 7860;

/**
 * The SSH tunnel line for a server bound to a loopback address, naming the port it really bound
 * (with `--port 0` or another --port that is not 7860), or null when the host is reachable
 * without a tunnel.
 */
export function sshHint(host: string, port: number): string | null {
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  if (!loopback) return null;
  const target = host.includes(':') ? `[${host}]` : host;
  return `From another machine: ssh -L ${port}:${target}:${port} <this host>, then open the URL above.`;
}

/**
 * The warning for a server reachable from other machines (any --host that is not loopback): the
 * token, the cookie and every dataset travel unencrypted, readable by anyone on the path.
 */
export function plainHttpWarning(host: string, port: number): string | null {
  if (sshHint(host, port) !== null) return null;
  return (
    `srlab: warning: serving on ${host} over plain HTTP; the access token and all data travel unencrypted ` +
    `to anyone on the network. Prefer the default --host 127.0.0.1 and an SSH tunnel: ` +
    `ssh -L ${port}:127.0.0.1:${port} <this host>.`
  );
}

export const serveCommand: CommandModule<GlobalOptions, Options> = {
  command: 'serve',
  describe: 'Serve the workbench to a browser (loopback by default; token required)',
  builder: (y) =>
    y
      .option('host', {
        type: 'string',
        default: '127.0.0.1',
        describe: 'address to bind; other than loopback only behind SSH tunnels or a trusted network',
      })
      .option('port', { type: 'number', default: DEFAULT_PORT, describe: '0 picks a free port' }),
  handler: (argv) =>
    withCoreForTransport(argv, async (core) => {
      const dir = rendererDir();
      // The HTTP transport (hono, @hono/node-server) loads only here: every other command would
      // otherwise pay for it at startup (tests/integration/cli-startup.test.ts).
      const { startServer } = await import('../../transports/http');
      const server = await startServer(core, {
        host: argv.host,
        port: argv.port,
        ...(dir ? { rendererDir: dir } : {}),
      });
      // Listening for the stop signals before saying it is ready: a script that stops the server
      // as soon as it reads the URL gets a clean close, not death by the signal's default action.
      const stopped = new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      if (argv.json) printJson({ url: server.url, token: server.token });
      else {
        console.log(`srlab is serving ${(await core.invoke('system.info', {})).home}`);
        console.log(`Open: ${server.url}`);
        const hint = sshHint(argv.host, server.port);
        if (hint) console.log(hint);
      }
      const warning = plainHttpWarning(argv.host, server.port);
      if (warning) note(warning);
      if (!dir) note('srlab: the UI is not built (npm run build); serving the API only');
      await stopped;
      await server.close();
    }),
};
