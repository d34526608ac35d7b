// One action at a time from a view's buttons: `busy` names the running one (its button shows it
// busy), and its failure is kept in words for the view's error banner.
import { useState } from 'react';
import { errorMessage } from '../../api';

export function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (key: string, run: () => Promise<void>) => {
    setBusy(key);
    setError(null);
    try {
      await run();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, clearError: () => setError(null), act };
}
