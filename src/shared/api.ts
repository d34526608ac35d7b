// The srlab contract: every call with its zod input schema and result type, and every event.
// Desktop (IPC), serve mode (HTTP + SSE) and the CLI all serve exactly this.
import { z } from 'zod';
import type { Contract, ContractInput, ContractOutput } from './contract';
import { datasets } from './contracts/datasets';
import { JobInfo, JobLogLine, jobs } from './contracts/jobs';
import { chat, llm, models } from './contracts/llm';
import { endpoints, RunItem, runs, RunSummary } from './contracts/runs';
import { system } from './contracts/system';
import { hf, TrainMetric, TrainRun, train, worker } from './contracts/training';

export const contracts = { datasets, jobs, system, models, llm, chat, runs, endpoints, worker, train, hf } as const;

type Contracts = typeof contracts;
type Flatten<T> = {
  [G in keyof T & string]: { [V in keyof T[G] & string as `${G}.${V}`]: T[G][V] };
}[keyof T & string];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Channel name → contract, e.g. `'datasets.list'`. */
export type ContractMap = UnionToIntersection<Flatten<Contracts>>;
export type Method = keyof ContractMap & string;
export type Input<M extends Method> = ContractInput<ContractMap[M]>;
export type Output<M extends Method> = ContractOutput<ContractMap[M]>;
/** The input after its schema ran: defaults filled in. What core handlers receive. */
export type ParsedInput<M extends Method> = ContractMap[M] extends Contract<infer I, z.ZodType> ? z.output<I> : never;

export const contractByChannel: ReadonlyMap<string, Contract> = new Map(
  Object.values(contracts).flatMap((group) =>
    Object.values(group as Record<string, Contract>).map((c) => [c.channel, c] as const),
  ),
);
export const METHODS = [...contractByChannel.keys()] as Method[];

/** Events pushed to every face (SSE in serve mode, IPC in the desktop app). */
export const ApiEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job'), job: JobInfo }),
  /** Lines a job logged, batched (a few times a second at most), in sequence order. */
  z.object({ type: z.literal('job-log'), jobId: z.number().int(), lines: z.array(JobLogLine) }),
  z.object({ type: z.literal('datasets-changed'), dataset: z.string().nullable() }),
  z.object({ type: z.literal('models-changed'), model: z.string().nullable() }),
  /** A generation run changed state or counts (throttled while running). */
  z.object({ type: z.literal('run'), run: RunSummary }),
  /** One item of a run finished (with its output or error). */
  z.object({ type: z.literal('run-item'), runId: z.number().int(), item: RunItem }),
  /** Streamed playground text for a chat.complete call that gave `streamId`. */
  z.object({ type: z.literal('chat-token'), streamId: z.string(), text: z.string() }),
  /** A training run changed state, step, checkpoints or artefacts (throttled while running). */
  z.object({ type: z.literal('train-run'), run: TrainRun }),
  /** One live training metric (train loss/LR every logging step, eval loss at each checkpoint). */
  z.object({ type: z.literal('train-metric'), runId: z.number().int(), metric: TrainMetric }),
]);
export type ApiEvent = z.infer<typeof ApiEvent>;

/** The typed client every face presents to the renderer and to tests. */
export interface SrlabApi {
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  /** Subscribe to events; returns the unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

export * from './contract';
export * from './contracts/datasets';
export * from './contracts/jobs';
export * from './contracts/llm';
export * from './contracts/runs';
export * from './contracts/training';
export * from './domain';
