// Capabilities register themselves: the centre (shared/api.ts, core/index.ts, the migrations)
// loops over the registries, so a capability is a folder plus one registry line. (i) the real
// registries: every method has exactly one handler, channels, event types and job kinds are
// unique; (ii) a dummy capability defined here, in a registry built here, is callable, has its
// table and its event — nothing central names it.
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import * as sharedCapabilities from '../../../src/shared/capabilities';
import {
  ApiEvent,
  contractByChannel,
  describeApi,
  JOB_KINDS,
  METHODS,
  type CapabilityContracts,
  type JobKind,
  type Output,
} from '../../../src/shared/api';
import { defineContract } from '../../../src/shared/contract';
import { createCore, type CoreBase } from '../../../src/main/core';
import {
  defineCapability,
  inOrder,
  type AnyCapability,
  type CapabilityContext,
} from '../../../src/main/core/capability';
import { capabilities } from '../../../src/main/core/capabilities';
import { capability as jobsCapability } from '../../../src/main/core/jobs/capability';
import { tempDir } from '../../helpers';

const sharedModules: CapabilityContracts[] = Object.values(sharedCapabilities);

const channelsOf = (c: AnyCapability) =>
  Object.values(c.contracts).flatMap((group) => Object.values(group).map((contract) => contract.channel));

let open: CoreBase[] = [];
afterEach(async () => {
  for (const core of open) await core.close();
  open = [];
});

describe('the registries', () => {
  it('serve every contract method exactly once, and nothing the contract lacks', () => {
    const served = capabilities().flatMap(channelsOf);
    expect(new Set(served).size).toBe(served.length);
    expect([...served].sort()).toEqual([...METHODS].sort());
    expect(METHODS.length).toBeGreaterThan(50);
  });

  it('build a core whose every capability has a handler for each of its methods', async () => {
    // createCore refuses a capability with a missing or extra handler (see the next test), so
    // building the whole registry's core proves the handlers match the contracts one to one.
    const core = await createCore({ home: tempDir(), loadDemo: false, secretTool: null, checkOutputs: true });
    open.push(core);
    expect(await core.call('system.info', {})).toMatchObject({ ok: true });
    expect(await core.call('no.such', {})).toMatchObject({ ok: false, error: { kind: 'not-found' } });
  });

  it('refuse a capability without a handler for one of its methods, and a channel served twice', async () => {
    const lame = {
      ...jobsCapability,
      create: async (ctx: Parameters<typeof jobsCapability.create>[0]) => {
        const built = await jobsCapability.create(ctx);
        const { 'jobs.wait': _dropped, ...handlers } = built.handlers;
        return { ...built, handlers };
      },
    } as AnyCapability;
    const [system, jobs] = capabilities();
    await expect(createCore({ home: tempDir(), loadDemo: false, capabilities: [system, lame] })).rejects.toThrow(
      /jobs capability has no handler for jobs\.wait/,
    );
    const again = { ...jobs, name: 'jobs-again', migrations: [] };
    await expect(createCore({ home: tempDir(), loadDemo: false, capabilities: [system, jobs, again] })).rejects.toThrow(
      /jobs\.list is served twice/,
    );
  });

  it('have unique event types and job kinds, and describeApi refuses duplicates', () => {
    const types = sharedModules.flatMap((m) => m.events.map(eventType));
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual(expect.arrayContaining(['job', 'job-log', 'datasets-changed', 'run', 'train-metric']));
    expect(new Set(JOB_KINDS).size).toBe(JOB_KINDS.length);
    expect([...JOB_KINDS].sort()).toEqual(sharedModules.flatMap((m) => [...m.JOB_KINDS]).sort());
    expect(JOB_KINDS).toEqual(expect.arrayContaining(['import', 'generate', 'train', 'model-download']));

    const copy = (over: Partial<CapabilityContracts>): CapabilityContracts => ({
      contracts: {},
      events: [],
      JOB_KINDS: [],
      ...over,
    });
    const jobsModule = sharedCapabilities.jobs;
    expect(() => describeApi([...sharedModules, copy({ JOB_KINDS: ['import'] })])).toThrow(/job kind "import"/);
    expect(() => describeApi([...sharedModules, copy({ events: [jobsModule.events[0]] })])).toThrow(/event type "job"/);
    expect(() =>
      describeApi([...sharedModules, copy({ contracts: { other: { list: jobsModule.contracts.jobs.list } } })]),
    ).toThrow(/channel "jobs.list"/);
  });

  it('keep the derived types exact', () => {
    expectTypeOf<Output<'jobs.get'>['job']['kind']>().toEqualTypeOf<JobKind>();
    expectTypeOf<'import' | 'generate' | 'train'>().toMatchTypeOf<JobKind>();
    expectTypeOf<Extract<ApiEvent, { type: 'run-item' }>['runId']>().toEqualTypeOf<number>();
    // @ts-expect-error a kind no capability declares
    expectTypeOf<'no-such-kind'>().toMatchTypeOf<JobKind>();
    expect(contractByChannel.get('runs.start')?.scope).toBe('lab');
  });
});

function eventType(e: CapabilityContracts['events'][number]): string {
  return String([...(e._zod.propValues.type ?? [])][0]);
}

// ---- (ii) a dummy capability: what a new folder holds, and the one line per registry ----

/** src/shared/contracts/dummy.ts would export these three. */
const dummyContracts = {
  contracts: {
    dummy: {
      ping: defineContract({
        channel: 'dummy.ping',
        scope: 'lab',
        input: z.object({ text: z.string().trim().min(1).default('hello') }),
        output: z.object({ pings: z.number().int(), jobId: z.number().int() }),
      }),
    },
  },
  events: [z.object({ type: z.literal('dummy-pinged'), text: z.string() })] as const,
  JOB_KINDS: ['dummy-work'] as const,
} satisfies CapabilityContracts;

/** src/main/core/dummy/capability.ts would export this. */
const dummyCapability = defineCapability({
  name: 'dummy',
  contracts: dummyContracts.contracts,
  migrations: [{ id: 'pings', sql: 'CREATE TABLE dummy_pings (id INTEGER PRIMARY KEY, text TEXT NOT NULL)' }],
  create({ db, events, jobs }) {
    const insert = db.prepare<[string]>('INSERT INTO dummy_pings (text) VALUES (?)');
    const count = () => db.prepare<[], number>('SELECT COUNT(*) FROM dummy_pings').pluck().get()!;
    return {
      service: { count },
      handlers: {
        'dummy.ping': (input) => {
          insert.run(input.text);
          // The registry's ApiEvent and JobKind types do not know this test's capability; a real
          // one's module is in src/shared/capabilities.ts, so no cast is needed there.
          events.emit({ type: 'dummy-pinged', text: input.text } as unknown as ApiEvent);
          const { job } = jobs.start({
            kind: 'dummy-work' as JobKind,
            title: 'dummy',
            params: null,
            unit: 'pings',
            run: async () => null,
          });
          return { pings: count(), jobId: job.id };
        },
      },
    };
  },
});

describe('a capability in its own folder, registered by one line', () => {
  it('is callable through call, has its table, and its event and job kind join the derived union', async () => {
    // The one line in each registry: src/shared/capabilities.ts and src/main/core/capabilities.ts.
    const api = describeApi([...sharedModules, dummyContracts]);
    const registry = inOrder([...capabilities(), dummyCapability]);

    const core = await createCore({
      home: tempDir(),
      loadDemo: false,
      secretTool: null,
      checkOutputs: true,
      capabilities: registry,
    });
    open.push(core);
    const seen: unknown[] = [];
    core.onEvent((e) => seen.push(e));

    const r = await core.call('dummy.ping', { text: ' hi ' });
    expect(r).toEqual({ ok: true, result: { pings: 1, jobId: expect.any(Number) } });
    expect(core.dummy.count()).toBe(1);
    expect(core.db.prepare('SELECT text FROM dummy_pings').all()).toEqual([{ text: 'hi' }]);
    expect(core.db.prepare("SELECT id FROM schema_migrations WHERE id = 'dummy/pings'").get()).toBeTruthy();
    // Its contract is enforced at the door like any other: defaults, validation, scope.
    expect(await core.call('dummy.ping', { text: '   ' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid-input' },
    });
    expect(
      await core.call('dummy.ping', {}, { scope: 'evaluator', tokenId: 1, evaluator: 'e', session: 's' }),
    ).toMatchObject({ ok: false, error: { kind: 'forbidden' } });

    // Its event parses in the union derived with it — and not in the registry's (the negative control).
    const pinged = seen.find((e) => (e as { type: string }).type === 'dummy-pinged');
    expect(api.ApiEvent.safeParse(pinged).success).toBe(true);
    expect(ApiEvent.safeParse(pinged).success).toBe(false);
    expect(api.ApiEvent.safeParse({ type: 'job-log', jobId: 1, lines: [] }).success).toBe(true);
    expect(api.JOB_KINDS).toContain('dummy-work');
    expect(api.contractByChannel.get('dummy.ping')).toBe(dummyContracts.contracts.dummy.ping);

    // Its job is a job like any other, read back through the jobs capability's contract.
    if (!r.ok) throw new Error('unreachable');
    const { jobId } = r.result as { jobId: number };
    await core.jobs.idle();
    expect(await core.call('jobs.get', { id: jobId })).toMatchObject({
      ok: true,
      result: { job: { kind: 'dummy-work', state: 'succeeded' } },
    });
  });

  it('is checked by the compiler: a missing handler or a capability before what it needs does not compile', () => {
    defineCapability({
      name: 'lame',
      contracts: dummyContracts.contracts,
      migrations: [],
      // @ts-expect-error the handler of dummy.ping is missing
      create: () => ({ service: null, handlers: {} }),
    });
    const needsLlm = defineCapability({
      name: 'needy',
      contracts: {},
      migrations: [],
      create: ({ services }: CapabilityContext<{ llm: unknown }>) => ({
        service: services.llm,
        handlers: {},
      }),
    });
    const [system, jobs, , , llm] = capabilities();
    inOrder([system, jobs, llm, needsLlm]);
    // @ts-expect-error needs llm, which is listed after it
    inOrder([system, jobs, needsLlm, llm]);
  });
});
