import { useState } from 'react';
import { api, errorMessage } from '../../api';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount } from '../../lib/format';
import { selectSelectedDataset, useDatasetsStore } from './datasets';
import { selectCloseDialog, useUiStore } from '../../stores/ui';

export function RemoveDialog({ dataset }: { dataset: string }) {
  const close = useUiStore(selectCloseDialog);
  const summary = useDatasetsStore(selectSelectedDataset);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const remove = async () => {
    setRunning(true);
    try {
      await api.call('datasets.remove', { dataset });
      useDatasetsStore.getState().select(null);
      await useDatasetsStore.getState().load();
      close();
    } catch (err) {
      setError(errorMessage(err));
      setRunning(false);
    }
  };
  return (
    <Dialog
      title={`Remove “${dataset}”?`}
      onClose={close}
      footer={
        <>
          <button type="button" className="btn ghost" onClick={close}>
            Keep it
          </button>
          <button type="button" className="btn danger" disabled={running} onClick={() => void remove()}>
            {running ? 'Removing…' : 'Remove dataset'}
          </button>
        </>
      }
    >
      <p>
        This deletes the dataset{summary ? ` and its ${formatCount(summary.records)} records` : ''}, with their edit
        history, from this srlab library. The source file is not touched.
      </p>
      <ErrorBanner message={error} />
    </Dialog>
  );
}
