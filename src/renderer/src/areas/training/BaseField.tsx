// The base model of a new training run. The desktop app takes a Hugging Face id or any local
// folder (a local call). A browser may not name server paths: it gives a Hugging Face id or
// chooses a folder of the data home's bases/ folder by name (`bases:NAME`, resolved by the core).
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api';
import { BASE_FOLDER_PREFIX } from '../../../../shared/contracts/training';

interface BasesListing {
  folder: string;
  bases: { name: string; hasConfig: boolean }[];
}

export function BaseField(props: { value: string; onChange: (value: string) => void; invalid: boolean }) {
  return api.face === 'browser' ? <BrowserBaseField {...props} /> : <PathBaseField {...props} />;
}

function PathBaseField({
  value,
  onChange,
  invalid,
}: {
  value: string;
  onChange: (v: string) => void;
  invalid: boolean;
}) {
  return (
    <label className="field">
      <span className="field-name">Base model</span>
      <input
        className="input"
        name="base"
        value={value}
        placeholder="meta-llama/Llama-2-7b-chat-hf or /path/to/model"
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid ? true : undefined}
      />
      <span className="muted small">A Hugging Face id or a local folder with config.json.</span>
    </label>
  );
}

function BrowserBaseField({
  value,
  onChange,
  invalid,
}: {
  value: string;
  onChange: (v: string) => void;
  invalid: boolean;
}) {
  const [listing, setListing] = useState<BasesListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Listed again on "Look again": a folder put there after the page opened.
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    let live = true;
    api.call('train.bases', {}).then(
      (r) => {
        if (!live) return;
        setListing(r);
        setError(null);
      },
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [asked]);
  const folderChosen = value.startsWith(BASE_FOLDER_PREFIX);
  return (
    <div className="field">
      <label className="field">
        <span className="field-name">Base model</span>
        <select
          className="input"
          name="baseFolder"
          value={folderChosen ? value : ''}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={invalid && folderChosen ? true : undefined}
        >
          <option value="">a Hugging Face id…</option>
          {listing?.bases.map((b) => (
            <option key={b.name} value={`${BASE_FOLDER_PREFIX}${b.name}`} disabled={!b.hasConfig}>
              {b.name} (in the bases folder{b.hasConfig ? '' : ', no config.json'})
            </option>
          ))}
        </select>
      </label>
      {!folderChosen && (
        <input
          className="input"
          name="base"
          aria-label="Hugging Face id"
          value={value}
          placeholder="meta-llama/Llama-2-7b-chat-hf"
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={invalid ? true : undefined}
        />
      )}
      <span className="muted small" data-testid="bases-folder">
        A Hugging Face id, or a model folder (with config.json) put in{' '}
        <code className="path">{listing?.folder ?? 'the data home’s bases folder'}</code> on the server.{' '}
        <button type="button" className="link" onClick={() => setAsked((n) => n + 1)}>
          Look again
        </button>
      </span>
      {error && <span className="warn-text small">{error}</span>}
    </div>
  );
}
