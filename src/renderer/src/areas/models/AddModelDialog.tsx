// Register a GGUF file already on the server's disk. The desktop app takes any path ("Check"
// reads the header first; "Add" also hashes the file). A browser (serve mode) may not name server
// paths: it chooses among the files lying in the data home's models/ folder, by file name.
import { useEffect, useState } from 'react';
import { api, errorIssues, errorMessage } from '../../api';
import type { GgufSummary, ModelFolderFile } from '../../../../shared/contracts/llm';
import { Dialog } from '../../components/Dialog';
import { DialogForm, DialogFormButtons } from '../../components/DialogForm';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatBytes, formatCount } from '../../lib/format';
import { formatParameters } from '../../lib/llmFormat';
import { useModelsStore } from './models';

interface AddModelProps {
  onClose: () => void;
  onDone: () => void;
}

export function AddModelDialog(props: AddModelProps) {
  return api.face === 'browser' ? <AddFromFolderDialog {...props} /> : <AddByPathDialog {...props} />;
}

/** What a GGUF header says, in one line. */
function GgufLine({ gguf, sizeBytes }: { gguf: GgufSummary; sizeBytes: number }) {
  return (
    <>
      <strong>{gguf.title ?? 'GGUF model'}:</strong> {gguf.architecture} · {formatParameters(gguf.parameters)}{' '}
      parameters · {gguf.quantization ?? 'unknown type'} · context {formatCount(gguf.contextLength)} ·{' '}
      {formatBytes(sizeBytes)}
      {gguf.chatTemplate ? ' · has a chat template' : ''}
    </>
  );
}

/** Serve mode: a file of the models/ folder, chosen by name (models.folder, models.addFromFolder). */
function AddFromFolderDialog({ onClose, onDone }: AddModelProps) {
  const [listing, setListing] = useState<{ folder: string; files: ModelFolderFile[] } | null>(null);
  const [file, setFile] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState<'list' | 'add' | null>('list');
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<{ path: string; message: string }[]>([]);

  const list = async () => {
    setBusy('list');
    setError(null);
    try {
      const r = await api.call('models.folder', {});
      setListing(r);
      // Keep the choice when it is still there, else the first model file.
      setFile((f) =>
        r.files.some((x) => x.file === f) ? f : (r.files.find((x) => x.gguf?.fileKind === 'model')?.file ?? ''),
      );
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  useEffect(() => void list(), []);

  const chosen = listing?.files.find((f) => f.file === file) ?? null;
  const addable = chosen !== null && chosen.gguf?.fileKind === 'model';
  const add = async () => {
    if (!addable) return setError('Choose a model file of the folder.');
    setBusy('add');
    setError(null);
    setIssues([]);
    try {
      const { model } = await api.call('models.addFromFolder', {
        file: chosen.file,
        ...(name.trim() ? { name: name.trim() } : {}),
      });
      await useModelsStore.getState().load();
      useModelsStore.getState().select(model.name);
      onDone();
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setIssues(errorIssues(err));
      setBusy(null);
    }
  };
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
          disabled={busy !== null || !addable}
        >
          <button type="button" className="btn" disabled={busy !== null} onClick={() => void list()}>
            {busy === 'list' ? 'Looking…' : 'Look again'}
          </button>
        </DialogFormButtons>
      }
    >
      <DialogForm id="add-model-form" onSubmit={() => void add()}>
        <p className="small" data-testid="models-folder">
          Put <code>.gguf</code> files in{' '}
          <code className="path">{listing?.folder ?? 'the data home’s models folder'}</code> on the server (links that
          lead out of it are not followed), then choose one here. The file stays where it is; srlab reads its header and
          stores its SHA-256. To fetch one instead, use Download….
        </p>
        {listing && listing.files.length === 0 ? (
          <p className="muted" role="status">
            No GGUF file there that is not in the library yet.
          </p>
        ) : (
          <label className="field">
            <span>File in the models folder</span>
            <select className="input mono" name="file" value={file} onChange={(e) => setFile(e.target.value)}>
              {!file && <option value="">choose a file…</option>}
              {listing?.files.map((f) => (
                <option key={f.file} value={f.file}>
                  {f.file} ({formatBytes(f.sizeBytes)}
                  {f.gguf?.fileKind === 'adapter' ? ', a LoRA adapter' : f.gguf ? '' : ', unreadable'})
                </option>
              ))}
            </select>
          </label>
        )}
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
        {chosen && (
          <div className={chosen.gguf?.fileKind === 'model' ? 'banner ok' : 'banner info'} role="status">
            <div className="banner-body">
              {!chosen.gguf ? (
                <>
                  <strong>Not a usable GGUF file:</strong> {chosen.problem}
                </>
              ) : chosen.gguf.fileKind === 'adapter' ? (
                <>
                  <strong>A LoRA adapter,</strong> not a model ({chosen.gguf.architecture}). A training run’s adapter is
                  offered in the playground and in New run.
                </>
              ) : (
                <GgufLine gguf={chosen.gguf} sizeBytes={chosen.sizeBytes} />
              )}
            </div>
          </div>
        )}
        <ErrorBanner message={error} issues={issues} />
      </DialogForm>
    </Dialog>
  );
}

/** Desktop: any .gguf file on this machine, by path (a local call). */
function AddByPathDialog({ onClose, onDone }: AddModelProps) {
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
                <GgufLine gguf={checked.gguf} sizeBytes={checked.sizeBytes} />
              )}
            </div>
          </div>
        )}
        <ErrorBanner message={error} issues={issues} />
      </DialogForm>
    </Dialog>
  );
}
