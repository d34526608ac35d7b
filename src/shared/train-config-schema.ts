// The training config's JSON Schema, generated from the contract's zod TrainConfig: the one
// source of its keys, limits and defaults. The worker validates every config against the
// committed copy (python-worker/srlab_worker/train_config.schema.json, written by
// `npm run gen:worker-schema`; a test fails when it is stale) and the preset form reads its
// input limits from it. Shared: zod only, no Node.
import { z } from 'zod';
import { TrainConfig } from './contracts/training';

export interface JsonSchemaField {
  type?: 'boolean' | 'integer' | 'number' | 'string' | 'array';
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
  items?: JsonSchemaField & { minLength?: number };
}

export interface TrainConfigJsonSchema {
  $schema: string;
  $comment: string;
  type: 'object';
  properties: Record<string, JsonSchemaField>;
  additionalProperties: false;
}

/** Where the committed schema lives, relative to the repository root. */
export const TRAIN_CONFIG_SCHEMA_PATH = 'python-worker/srlab_worker/train_config.schema.json';

export function trainConfigJsonSchema(): TrainConfigJsonSchema {
  // `input`: what a caller may send, so every key (all defaulted) is optional and carries its default.
  const generated = z.toJSONSchema(TrainConfig, { io: 'input' }) as Record<string, unknown>;
  return {
    $schema: String(generated.$schema),
    $comment: `generated from TrainConfig in src/shared/contracts/training.ts by npm run gen:worker-schema; do not edit`,
    type: 'object',
    properties: generated.properties as Record<string, JsonSchemaField>,
    // A misspelt key must fail, not train silently with the default (zod's object strips it; the
    // core's resolveConfig reports it, and so does the worker).
    additionalProperties: false,
  };
}

/** The schema as the committed file holds it (2-space JSON, trailing newline). */
export function trainConfigSchemaText(): string {
  return `${JSON.stringify(trainConfigJsonSchema(), null, 2)}\n`;
}

let cached: Record<string, JsonSchemaField> | undefined;

/** One key's limits, choices and default, as the schema states them (for form inputs and hints). */
export function trainFieldSchema(key: keyof TrainConfig): JsonSchemaField {
  cached ??= trainConfigJsonSchema().properties;
  const field = cached[key];
  if (!field) throw new Error(`TrainConfig has no key ${key}`);
  return field;
}

/** Every key at its default: the contract's own defaults, which the worker's dataclass shares. */
export function trainConfigDefaults(): TrainConfig {
  return TrainConfig.parse({});
}
