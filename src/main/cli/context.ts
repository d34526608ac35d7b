import { ApiError, EXIT_CODE } from '../../shared/contract';
import { createCore, defaultHome, type Core } from '../core';

export interface GlobalOptions {
  home?: string;
  json: boolean;
}

/**
 * What a command may use of the core: the contract's door (`call`/`invoke`, which validate every
 * input) and the event stream every face follows — nothing that goes around them, so the CLI
 * accepts exactly what desktop and serve mode accept.
 */
export type Door = Pick<Core, 'call' | 'invoke' | 'onEvent'>;

/** Thrown by a command to end with an exit code after it has printed its own output. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Progress and diagnostics go to stderr, so `--json` stdout stays one parseable object. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * Open the core, run `run`, and map failures to exit codes: 0 ok, 1 failure, 2 bad input or
 * usage. With --json a failure is also one JSON object on stdout.
 */
async function withOpenCore(argv: GlobalOptions, run: (core: Core) => Promise<void>): Promise<void> {
  let core: Core | undefined;
  try {
    core = await createCore({ home: argv.home ?? defaultHome() });
    await run(core);
  } catch (err) {
    if (err instanceof ExitCode) {
      process.exitCode = err.code;
    } else {
      const apiError =
        err instanceof ApiError ? err : new ApiError('failed', err instanceof Error ? err.message : String(err));
      if (argv.json) printJson({ error: apiError.toBody() });
      note(`srlab: ${apiError.message}`);
      for (const issue of apiError.issues ?? []) note(`  ${issue.path}: ${issue.message}`);
      process.exitCode = EXIT_CODE[apiError.kind];
    }
  } finally {
    await core?.close();
  }
}

/** Run one command against the core's door (see Door). */
export function withCore(argv: GlobalOptions, run: (core: Door) => Promise<void>): Promise<void> {
  return withOpenCore(argv, run);
}

/**
 * Only for `srlab serve`: it hands the whole core to the HTTP transport, which itself serves
 * nothing but core.call and the event stream.
 */
export function withCoreForTransport(argv: GlobalOptions, run: (core: Core) => Promise<void>): Promise<void> {
  return withOpenCore(argv, run);
}
