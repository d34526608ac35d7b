import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { coreWithTinyModel } from './tiny-model';

let core: Core;
beforeAll(async () => {
  core = await coreWithTinyModel();
});
afterAll(() => core.close());

const tiny = { kind: 'local' as const, model: 'tiny' };
const MAX = 400;
const complete = (streamId?: string) =>
  core.invoke('chat.complete', {
    target: tiny,
    text: 'Old people cannot learn new things.',
    decoding: { maxTokens: MAX },
    load: { contextSize: 1024 },
    ...(streamId ? { streamId } : {}),
  });

describe('chat.cancel', () => {
  it('stops a streaming completion promptly and returns the text generated so far as cancelled', async () => {
    const parts: string[] = [];
    let cancelled: boolean | undefined;
    const off = core.events.subscribe((e) => {
      if (e.type !== 'chat-token' || e.streamId !== 'c1') return;
      parts.push(e.text);
      if (parts.length === 3) {
        void core.invoke('chat.cancel', { streamId: 'c1' }).then((r) => (cancelled = r.cancelled));
      }
    });
    const r = await complete('c1');
    off();
    expect(cancelled).toBe(true);
    expect(r.finishReason).toBe('cancelled');
    expect(r.completionTokens).toBeGreaterThanOrEqual(3);
    expect(r.completionTokens).toBeLessThan(20);
    expect(parts.join('')).toBe(r.output);

    // Greedy decoding: what came back is the start of what the full completion says.
    const full = await complete();
    expect(full).toMatchObject({ finishReason: 'length', completionTokens: MAX });
    expect(full.output.startsWith(r.output)).toBe(true);
  });

  it('answers cancelled: false for a stream id that is not running, and the id can be reused', async () => {
    expect(await core.invoke('chat.cancel', { streamId: 'nothing-here' })).toEqual({ cancelled: false });
    const r = await complete('c1');
    expect(r.finishReason).toBe('length');
    expect(await core.invoke('chat.cancel', { streamId: 'c1' })).toEqual({ cancelled: false });
  });
});
