import type { ApiEvent } from '../../shared/api';

export type EventListener = (event: ApiEvent) => void;

/** The core's event stream; transports forward it (SSE, IPC, CLI progress on stderr). */
export interface EventBus {
  emit(event: ApiEvent): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(event) {
      for (const l of [...listeners]) {
        try {
          l(event);
        } catch {
          // A broken listener (e.g. a closed SSE socket) must not break the emitter.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
