// The People area's calls, typed from the humaneval and rounds contracts themselves: the area
// stays correct whether or not those capabilities are in the shared registry yet, and the
// evaluator page (shared with serve mode's evaluator bundle) gets the same door as a plain
// `(method, input)` function.
import type { z } from 'zod';
import type { Contract } from '../../../../shared/contract';
import { api } from '../../api';

type AnyCall = (method: string, input: unknown) => Promise<unknown>;

/** One lab call through the renderer's api client (IPC on the desktop, HTTP in serve mode). */
export function callContract<C extends Contract>(
  contract: C,
  input: z.input<C['input']>,
): Promise<z.output<C['output']>> {
  return (api.call as unknown as AnyCall)(contract.channel, input) as Promise<z.output<C['output']>>;
}

/** The generic call the evaluator page expects: the lab's own client, so `as` is honoured. */
export function labCall<T>(method: string, input: unknown): Promise<T> {
  return (api.call as unknown as AnyCall)(method, input) as Promise<T>;
}
