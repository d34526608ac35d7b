import { z } from 'zod';
import { defineContract } from '../contract';

export const system = {
  info: defineContract({
    channel: 'system.info',
    scope: 'lab',
    input: z.object({}).default({}),
    output: z.object({
      version: z.string(),
      home: z.string(),
      dbPath: z.string(),
      schemaVersion: z.number().int(),
    }),
  }),
};

// What this capability gives the registry (src/shared/capabilities.ts): its contract groups,
// its events and its job kinds.
export const contracts = { system };
export const events = [] as const;
export const JOB_KINDS = [] as const;
