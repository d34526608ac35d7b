// Every `srlab` command, in the order `srlab --help` lists them. A new capability's command is
// one module in this folder and one line here.
import type { CommandModule } from 'yargs';
import type { GlobalOptions } from '../context';
import { accessCommand } from './access';
import { datasetsCommand } from './datasets';
import { endpointsCommand } from './endpoints';
import { exportCommand } from './export';
import { generateCommand } from './generate';
import { hfTokenCommand } from './hf-token';
import { importCommand } from './import';
import { jobsCommand } from './jobs';
import { loglikCommand } from './loglik';
import { modelsCommand } from './models';
import { removeCommand } from './remove';
import { runsCommand } from './runs';
import { serveCommand } from './serve';
import { splitCommand } from './split';
import { statsCommand } from './stats';
import { trainCommand } from './train';
import { workerCommand } from './worker';
import { testsetsCommand } from './testsets';
import { metricsCommand } from './metrics';
import { classifiersCommand } from './classifiers';
import { scorersCommand } from './scorers';
import { evalCommand } from './eval';
import { tablesCommand } from './tables';
import { figureCommand } from './figure';
import { humanevalCommand } from './humaneval';
import { roundsCommand } from './rounds';

// Each module types its own options; here they are all commands over the global options.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of commands with different option types
type AnyCommand = CommandModule<GlobalOptions, any>;

export const COMMANDS: readonly AnyCommand[] = [
  importCommand,
  datasetsCommand,
  statsCommand,
  splitCommand,
  exportCommand,
  removeCommand,
  modelsCommand,
  generateCommand,
  runsCommand,
  loglikCommand,
  endpointsCommand,
  serveCommand,
  workerCommand,
  jobsCommand,
  trainCommand,
  hfTokenCommand,
  accessCommand,
  testsetsCommand,
  metricsCommand,
  classifiersCommand,
  scorersCommand,
  evalCommand,
  tablesCommand,
  figureCommand,
  humanevalCommand,
  roundsCommand,
];
