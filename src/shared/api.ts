// The srlab contract: every call with its zod input schema and result type, and every event.
// Desktop (IPC), serve mode (HTTP + SSE) and the CLI all serve exactly this. Nothing here names a
// capability: it is all derived from the registry (capabilities.ts).
import { z } from 'zod';
import * as capabilities from './capabilities';
import type { Contract, ContractInput, ContractOutput } from './contract';

/** An event schema: a zod object whose `type` literal tells the events apart. */
export type EventSchema = z.core.$ZodTypeDiscriminable & z.ZodType<{ type: string }>;

/** What a capability's contract module exports (src/shared/contracts/<name>.ts). */
export interface CapabilityContracts {
  /** Its contract groups: group → verb → contract, e.g. `{ runs: { start, list } }`. */
  contracts: Record<string, Record<string, Contract>>;
  events: readonly EventSchema[];
  JOB_KINDS: readonly string[];
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Flatten<T> = {
  [G in keyof T & string]: { [V in keyof T[G] & string as `${G}.${V}`]: T[G][V] };
}[keyof T & string];

/** Channel name → contract for some contract groups, e.g. `'datasets.list'`. */
export type ContractMapOf<G> = UnionToIntersection<Flatten<G>>;
/** The input a contract's handler receives: after its schema ran (defaults filled in). */
export type ContractParsedInput<C> = C extends Contract<infer I, z.ZodType> ? z.output<I> : never;

/** The contract groups of some capability modules, merged. */
export type GroupsOf<C extends CapabilityContracts> = UnionToIntersection<C['contracts']>;
export type EventOf<C extends CapabilityContracts> = z.output<C['events'][number]>;
export type JobKindOf<C extends CapabilityContracts> = C['JOB_KINDS'][number];

/** Derived from capability modules: what this file exports for the registry's (tests build their own). */
export interface ApiDescription<C extends CapabilityContracts> {
  contracts: GroupsOf<C>;
  contractByChannel: ReadonlyMap<string, Contract>;
  ApiEvent: z.ZodType<EventOf<C>>;
  JOB_KINDS: readonly JobKindOf<C>[];
}

/**
 * Merge capability modules into one contract, event union and job-kind list; throws on a group,
 * channel, event type or job kind that two capabilities both claim.
 */
export function describeApi<C extends CapabilityContracts>(modules: readonly C[]): ApiDescription<C> {
  const groups: Record<string, Record<string, Contract>> = {};
  const byChannel = new Map<string, Contract>();
  const eventTypes = new Set<string>();
  const kinds = new Set<string>();
  for (const m of modules) {
    for (const [name, group] of Object.entries(m.contracts)) {
      if (name in groups) throw new Error(`contract group "${name}" is declared twice`);
      groups[name] = group;
      for (const c of Object.values(group)) {
        if (byChannel.has(c.channel)) throw new Error(`channel "${c.channel}" is declared twice`);
        byChannel.set(c.channel, c);
      }
    }
    for (const e of m.events) {
      for (const t of e._zod.propValues.type ?? []) {
        if (typeof t !== 'string' || eventTypes.has(t)) throw new Error(`event type "${String(t)}" is declared twice`);
        eventTypes.add(t);
      }
    }
    for (const k of m.JOB_KINDS) {
      if (kinds.has(k)) throw new Error(`job kind "${k}" is declared twice`);
      kinds.add(k);
    }
  }
  const events = modules.flatMap((m) => m.events);
  if (events.length === 0) throw new Error('no capability declares an event');
  return {
    contracts: groups as GroupsOf<C>,
    contractByChannel: byChannel,
    ApiEvent: z.discriminatedUnion(
      'type',
      events as unknown as [EventSchema, ...EventSchema[]],
    ) as unknown as z.ZodType<EventOf<C>>,
    JOB_KINDS: [...kinds] as JobKindOf<C>[],
  };
}

type Registered = (typeof capabilities)[keyof typeof capabilities];
const api = describeApi<Registered>(Object.values(capabilities));

/** Every contract group of every capability, e.g. `contracts.runs.start`. */
export const contracts = api.contracts;
/** Channel name → contract, e.g. `'datasets.list'`. */
export type ContractMap = ContractMapOf<GroupsOf<Registered>>;
export type Method = keyof ContractMap & string;
export type Input<M extends Method> = ContractInput<ContractMap[M]>;
export type Output<M extends Method> = ContractOutput<ContractMap[M]>;
/** The input after its schema ran: defaults filled in. What core handlers receive. */
export type ParsedInput<M extends Method> = ContractParsedInput<ContractMap[M]>;

export const contractByChannel: ReadonlyMap<string, Contract> = api.contractByChannel;
export const METHODS = [...contractByChannel.keys()] as Method[];

/** Events pushed to every face (SSE in serve mode, IPC in the desktop app): every capability's. */
export const ApiEvent = api.ApiEvent;
export type ApiEvent = z.infer<typeof ApiEvent>;
/** Every capability's event schemas (each module's own are its `events`). */
export const events: readonly EventSchema[] = Object.values(capabilities).flatMap(
  (m): readonly EventSchema[] => m.events,
);

/** Every job kind (each module's own are its `JOB_KINDS`). */
export const JOB_KINDS = api.JOB_KINDS;
export type JobKind = JobKindOf<Registered>;

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
