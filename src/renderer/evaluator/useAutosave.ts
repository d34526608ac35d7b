// The autosave queue as a React hook: its status for the save-state element, and a warning when
// the page is closed with changes not yet on the server.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { AutosaveQueue, type SaveStatus } from './autosave';
import { explainError, isRetryable } from './api';

export function useAutosave<A>(send: (key: string, answer: A) => Promise<unknown>): {
  queue: AutosaveQueue<A>;
  status: SaveStatus;
} {
  // The latest `send` (it closes over props), without rebuilding the queue and losing its state.
  const sendRef = useRef(send);
  useEffect(() => {
    sendRef.current = send;
  }, [send]);
  const [queue] = useState(
    () =>
      new AutosaveQueue<A>({
        send: (key, answer) => sendRef.current(key, answer),
        retryable: isRetryable,
        describe: explainError,
      }),
  );
  const status = useSyncExternalStore(
    (l) => queue.subscribe(l),
    () => queue.status(),
    () => queue.status(),
  );

  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent) => {
      if (!queue.hasUnsaved()) return;
      e.preventDefault();
      // Older browsers show their prompt only when returnValue is set.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [queue]);

  return { queue, status };
}
