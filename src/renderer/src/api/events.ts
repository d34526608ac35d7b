import { ApiEvent } from '../../../shared/api';

/** An event payload from the wire, or null (logged) when it does not match the contract. */
export function parseEvent(raw: unknown): ApiEvent | null {
  const parsed = ApiEvent.safeParse(raw);
  if (parsed.success) return parsed.data;
  console.warn('srlab: ignored an event that does not match the contract', parsed.error.issues);
  return null;
}

/** Fan-out to listeners, isolating them from each other's exceptions. */
export function createListenerSet<T>() {
  const listeners = new Set<(value: T) => void>();
  return {
    add(listener: (value: T) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(value: T) {
      for (const l of [...listeners]) {
        try {
          l(value);
        } catch (err) {
          console.error('srlab: event listener failed', err);
        }
      }
    },
    get size() {
      return listeners.size;
    },
  };
}
