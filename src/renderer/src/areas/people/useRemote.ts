// One call's result for a view: loaded when its key changes, reloaded when `version` moves (a
// server event), keeping the last result on screen while the next one loads; a stale answer
// (the user moved on) is dropped.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api';

export interface Remote<T> {
  data: T | null;
  loading: boolean;
  error: string | null;
  reload(): void;
}

export function useRemote<T>(key: string | null, version: number, load: () => Promise<T>): Remote<T> {
  const [state, setState] = useState<{ key: string | null; data: T | null; loading: boolean; error: string | null }>({
    key: null,
    data: null,
    loading: false,
    error: null,
  });
  const loadRef = useRef(load);
  loadRef.current = load;
  const token = useRef(0);
  const [nudge, setNudge] = useState(0);

  useEffect(() => {
    if (key === null) return;
    const mine = ++token.current;
    setState((s) => ({ key, data: s.key === key ? s.data : null, loading: true, error: null }));
    loadRef.current().then(
      (data) => mine === token.current && setState({ key, data, loading: false, error: null }),
      (err: unknown) =>
        mine === token.current &&
        setState((s) => ({ key, data: s.key === key ? s.data : null, loading: false, error: errorMessage(err) })),
    );
  }, [key, version, nudge]);

  const reload = useCallback(() => setNudge((n) => n + 1), []);
  const current = state.key === key;
  return {
    data: current ? state.data : null,
    loading: !current || state.loading,
    error: current ? state.error : null,
    reload,
  };
}
