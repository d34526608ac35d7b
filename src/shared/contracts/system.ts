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
