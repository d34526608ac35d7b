import { useState } from 'react';
import { api, errorMessage } from '../../api';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatBytes } from '../../lib/format';
import { useModelsStore } from './models';

export function RemoveModelDialog({ name, onClose }: { name: string; onClose: () => void }) {
  const model = useModelsStore((s) => s.models.find((m) => m.name === name));
  const downloaded = model?.source.kind === 'hf';
  const [deleteFile, setDeleteFile] = useState(false);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setRunning(true);
    setError(null);
    try {
      await api.call('models.remove', { name, deleteFile: downloaded && deleteFile });
      useModelsStore.getState().select(null);
      await useModelsStore.getState().load();
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setRunning(false);
    }
  };
  return (
    <Dialog
      title={`Remove “${name}”?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn ghost" onClick={onClose}>
            Keep it
          </button>
          <button type="button" className="btn danger" disabled={running} onClick={() => void remove()}>
            {running ? 'Removing…' : 'Remove model'}
          </button>
        </>
      }
    >
      <div className="stack">
        <p>
          The model leaves this srlab library. Runs made with it keep their results and its file hash.
          {!downloaded && model && (
            <>
              {' '}
              The file stays on disk at <code className="path">{model.path}</code>.
            </>
          )}
        </p>
        {downloaded && model && (
          <label className="check">
            <input type="checkbox" checked={deleteFile} onChange={(e) => setDeleteFile(e.target.checked)} />
            Also delete the downloaded file ({formatBytes(model.sizeBytes)})
          </label>
        )}
        <ErrorBanner message={error} />
      </div>
    </Dialog>
  );
}
