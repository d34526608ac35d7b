// Register a GGUF file already on the server's disk (the path is read where srlab runs, in both
// the desktop app and serve mode). "Check" reads the header first; "Add" also hashes the file.
import { useState } from 'react';
import { api, errorIssues, errorMessage } from '../../api';
import type { GgufSummary } from '../../../../shared/contracts/llm';
import { Dialog } from '../../components/Dialog';
import { DialogForm, DialogFormButtons } from '../../components/DialogForm';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatBytes, formatCount } from '../../lib/format';
import { formatParameters } from '../../lib/llmFormat';
import { useModelsStore } from '../../stores/models';

export function AddModelDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState<'check' | 'add' | null>(null);
  const [checked, setChecked] = useState<{ path: string; sizeBytes: number; gguf: GgufSummary } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<{ path: string; message: string }[]>([]);

  const fail = (err: unknown) => {
    setError(errorMessage(err));
    setIssues(errorIssues(err));
  };
  const check = async () => {
    if (!path.trim()) return setError('Give the path of a .gguf file on the machine srlab runs on.');
    setBusy('check');
    setError(null);
    setIssues([]);
    try {
      setChecked(await api.call('models.inspect', { path: path.trim() }));
    } catch (err) {
      setChecked(null);
      fail(err);
    } finally {
      setBusy(null);
    }
  };
  const add = async () => {
    if (!path.trim()) return setError('Give the path of a .gguf file on the machine srlab runs on.');
    setBusy('add');
    setError(null);
    setIssues([]);
    try {
      const { model } = await api.call('models.add', {
        path: path.trim(),
        ...(name.trim() ? { name: name.trim() } : {}),
      });
      await useModelsStore.getState().load();
      useModelsStore.getState().select(model.name);
      onDone();
      onClose();
    } catch (err) {
      fail(err);
      setBusy(null);
    }
  };
  const adapter = checked?.gguf.fileKind === 'adapter';
  return (
    <Dialog
      title="Add a model"
      onClose={onClose}
      footer={
        <DialogFormButtons
          formId="add-model-form"
          onCancel={onClose}
          submitLabel="Add model"
          busyLabel="Adding (hashing the file)…"
          busy={busy === 'add'}
          disabled={busy !== null || adapter}
        >
          <button type="button" className="btn" disabled={busy !== null} onClick={() => void check()}>
            {busy === 'check' ? 'Checking…' : 'Check file'}
          </button>
        </DialogFormButtons>
      }
    >
      <DialogForm id="add-model-form" onSubmit={() => void add()}>
        <label className="field">
          <span>Path of a .gguf file (on the machine srlab runs on)</span>
          <input
            className="input mono"
            name="path"
            autoFocus
            placeholder="/home/me/models/llama-2-7b-chat.Q4_K_M.gguf"
            value={path}
            onChange={(e) => {
              setPath(e.target.value);
              setChecked(null);
            }}
          />
          <small className="muted">
            The file stays where it is; srlab reads its header and stores its SHA-256. To fetch one instead, use
            Download….
          </small>
        </label>
        <label className="field">
          <span>Name (optional)</span>
          <input
            className="input"
            name="name"
            maxLength={120}
            placeholder="from the file name"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        {checked && (
          <div className={adapter ? 'banner info' : 'banner ok'} role="status">
            <div className="banner-body">
              {adapter ? (
                <>
                  <strong>A LoRA adapter,</strong> not a model ({checked.gguf.architecture}). Give its path as a run’s
                  or the playground’s adapter instead.
                </>
              ) : (
                <>
                  <strong>{checked.gguf.title ?? 'GGUF model'}:</strong> {checked.gguf.architecture} ·{' '}
                  {formatParameters(checked.gguf.parameters)} parameters · {checked.gguf.quantization ?? 'unknown type'}{' '}
                  · context {formatCount(checked.gguf.contextLength)} · {formatBytes(checked.sizeBytes)}
                  {checked.gguf.chatTemplate ? ' · has a chat template' : ''}
                </>
              )}
            </div>
          </div>
        )}
        <ErrorBanner message={error} issues={issues} />
      </DialogForm>
    </Dialog>
  );
}
