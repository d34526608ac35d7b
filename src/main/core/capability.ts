// What a capability gives the core: its contract groups, its migrations and a factory for its
// service and handlers. The core loops over the registry (capabilities.ts); nothing in the centre
// names a capability's methods. See docs/adding-a-capability.md.
import type { ContractMapOf, ContractParsedInput } from '../../shared/api';
import type { Caller, Contract, ContractOutput } from '../../shared/contract';
import type { Db } from './db';
import type { Migration } from './db/migrations';
import type { EventBus } from './events';
import type { CoreOptions } from './index';
import type { JobService } from './jobs';
import type { HomePaths } from './paths';

/** Contract groups: group name → verb → contract (what a shared contract module's `contracts` is). */
export type ContractGroups = Record<string, Record<string, Contract>>;

/**
 * One handler per method of the groups — a missing one is a compile error. A handler gets the
 * input after its schema ran and the caller as the transport established it.
 */
export type Handlers<G> = {
  [M in keyof ContractMapOf<G> & string]: (
    input: ContractParsedInput<ContractMapOf<G>[M]>,
    caller: Caller,
  ) => ContractOutput<ContractMapOf<G>[M]> | Promise<ContractOutput<ContractMapOf<G>[M]>>;
};

/**
 * What a capability's factory gets. `Needs` are the services of capabilities listed before it in
 * the registry (checked when the registry compiles); `Later` those it may reach only once every
 * capability exists (e.g. models naming a training run's adapter), through `later()` at call time.
 */
export interface CapabilityContext<Needs = unknown, Later = unknown> {
  db: Db;
  paths: HomePaths;
  events: EventBus;
  jobs: JobService;
  now: () => Date;
  options: CoreOptions;
  services: Needs;
  /** Every capability's service; throws while the core is still being built. */
  later(): Later;
}

export interface Built<G, S> {
  service: S;
  handlers: Handlers<G>;
  /** On close, before the core waits for running jobs: stop what would keep them running (e.g. the worker). */
  stop?(): Promise<void>;
  /** On close, after every job ended: release what the service holds (e.g. loaded models). */
  close?(): Promise<void>;
}

export interface Capability<Name extends string, G extends ContractGroups, S, Needs, Later> {
  /** Its key among the core's services (`core.<name>`) and the owner recorded for its migrations. */
  name: Name;
  contracts: G;
  /** Its schema, in order; applied in registry order when the database opens (db/index.ts). */
  migrations: readonly Migration[];
  create(ctx: CapabilityContext<Needs, Later>): Built<G, S> | Promise<Built<G, S>>;
}

/** Any capability, for registries and loops (there the factory's context and service types do not matter). */
export interface AnyCapability {
  name: string;
  contracts: ContractGroups;
  migrations: readonly Migration[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each factory types its own context
  create(ctx: CapabilityContext<any, any>): AnyBuilt | Promise<AnyBuilt>;
}
export interface AnyBuilt {
  service: unknown;
  handlers: Record<string, (input: never, caller: Caller) => unknown>;
  stop?(): Promise<void>;
  close?(): Promise<void>;
}

/** Identity, for inference: the handlers are checked against the contract groups. */
export function defineCapability<Name extends string, G extends ContractGroups, S, Needs = unknown, Later = unknown>(
  c: Capability<Name, G, S, Needs, Later>,
): Capability<Name, G, S, Needs, Later> {
  return c;
}

export type ServiceOf<C extends AnyCapability> = Awaited<ReturnType<C['create']>>['service'];
type NeedsOf<C extends AnyCapability> =
  Parameters<C['create']>[0] extends CapabilityContext<infer N, unknown> ? N : never;

/** The services of a registry by capability name (those that have one), e.g. `{ jobs: JobService; datasets: DatasetService }`. */
export type ServicesOf<R extends readonly AnyCapability[]> = {
  [C in R[number] as ServiceOf<C> extends null ? never : C['name']]: ServiceOf<C>;
};

/**
 * A registry whose every capability's `Needs` are met by those before it; otherwise the entry's
 * type says which capability is out of order.
 */
export type Ordered<R extends readonly AnyCapability[], Have = unknown> = R extends readonly [
  infer C extends AnyCapability,
  ...infer Rest extends readonly AnyCapability[],
]
  ? readonly [
      Have extends NeedsOf<C> ? C : `${C['name']} needs a service of a capability listed after it`,
      ...Ordered<Rest, Have & { [K in C['name']]: ServiceOf<C> }>,
    ]
  : readonly [];

/** A registry, checked to be in order (see Ordered): `inOrder([jobs, datasets, …])`. */
export function inOrder<const R extends readonly AnyCapability[]>(caps: R & Ordered<R>): R {
  return caps;
}
