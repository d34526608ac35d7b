// Serve mode's edge: every number a caller may send is finite and bounded, so no input can ask
// for absurd work or skew a computation (split ratios [1e308, 1e308, 1e308] once moved every
// record to test). Walks each contract's input JSON Schema; an integer whose only bound is
// JavaScript's safe-integer range (what zod gives every .int()) counts as unbounded.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contractByChannel } from '../../../src/shared/api';
import { TrainConfig } from '../../../src/shared/contracts/training';
import { createCore } from '../../../src/main/core';
import { tempDir } from '../../helpers';

type Schema = Record<string, unknown>;

/**
 * Numbers that may stay unbounded, and why. Ids (of records, jobs, runs, log lines) only select
 * rows: any value is one lookup, and a miss is not-found.
 */
const ID_KEY = /^(id|after|adapterRun)$|Id$/;

/** Every number schema in `s`, with its dotted path. */
function numbers(s: unknown, at: string, out: { path: string; schema: Schema }[] = []) {
  if (Array.isArray(s)) {
    s.forEach((x, i) => numbers(x, `${at}[${i}]`, out));
    return out;
  }
  if (typeof s !== 'object' || s === null) return out;
  const o = s as Schema;
  if (o.type === 'number' || o.type === 'integer') out.push({ path: at, schema: o });
  for (const [k, v] of Object.entries(o)) {
    if (k === 'properties' && typeof v === 'object' && v)
      for (const [p, sub] of Object.entries(v)) numbers(sub, at ? `${at}.${p}` : p, out);
    else if (k !== 'properties') numbers(v, at, out);
  }
  return out;
}

const SAFE = Number.MAX_SAFE_INTEGER;
function unbounded({ path, schema }: { path: string; schema: Schema }): string | null {
  const key = path
    .split('.')
    .pop()!
    .replace(/\[\d+\]$/, '');
  if (ID_KEY.test(key)) return null;
  const min = (schema.minimum ?? schema.exclusiveMinimum) as number | undefined;
  const max = (schema.maximum ?? schema.exclusiveMaximum) as number | undefined;
  if (min === undefined || !Number.isFinite(min) || min <= -SAFE) return `${path}: no minimum`;
  if (max === undefined || !Number.isFinite(max) || max >= SAFE) return `${path}: no maximum`;
  return null;
}

describe('contract inputs: every number is finite and bounded', () => {
  const contracts = [...contractByChannel.values()];

  it('walks every contract', () => {
    expect(contracts.length).toBeGreaterThan(50);
  });

  for (const c of contracts)
    it(c.channel, () => {
      const schema = z.toJSONSchema(c.input, { io: 'input', unrepresentable: 'any' });
      const problems = numbers(schema, '').map(unbounded).filter(Boolean);
      expect(problems).toEqual([]);
    });

  it('TrainConfig (what train.start overrides are validated against)', () => {
    const problems = numbers(z.toJSONSchema(TrainConfig, { io: 'input' }), '')
      .map(unbounded)
      .filter(Boolean);
    expect(problems).toEqual([]);
  });

  it('the walker itself finds an unbounded number (negative control)', () => {
    const s = z.toJSONSchema(z.object({ ratio: z.number(), n: z.number().int().min(0), ok: z.number().min(0).max(1) }));
    expect(numbers(s, '').map(unbounded).filter(Boolean)).toEqual(['ratio: no minimum', 'n: no maximum']);
  });
});

describe('huge numbers through core.call', () => {
  it('refuses ratios of 1e308 (they once moved every record to test)', async () => {
    const core = await createCore({ home: tempDir(), checkOutputs: true });
    try {
      const before = await core.invoke('datasets.stats', { dataset: 'cmd-demo' });
      const r = await core.call('datasets.split', { dataset: 'cmd-demo', ratios: [1e308, 1e308, 1e308] });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.kind).toBe('invalid-input');
        expect(r.error.issues?.some((i) => i.path.startsWith('ratios'))).toBe(true);
      }
      expect(await core.invoke('datasets.stats', { dataset: 'cmd-demo' })).toEqual(before);
      // train.start's overrides are a free-form record, checked against TrainConfig (bounded above).
      const huge = await core.call(
        'train.start',
        { dataset: 'cmd-demo', base: 'owner/model', overrides: { learning_rate: 1e308, max_grad_norm: 1e308 } },
        { scope: 'lab' },
      );
      expect(huge.ok || huge.error.issues?.map((i) => i.path)).toEqual(['learning_rate', 'max_grad_norm']);
      expect(core.training.list(10)).toEqual([]);
      // Sensible ratios still split: the same door works for a real request.
      const ok = await core.call('datasets.split', { dataset: 'cmd-demo', ratios: [80, 10, 10] });
      expect(ok.ok).toBe(true);
    } finally {
      await core.close();
    }
  });
});
