import { useMemo, useState } from 'react';
import { GUIDELINE_TARGET_GROUPS, LABEL_VALUES, ANNOTATION_VALUES, type LabelName } from '../../../../shared/domain';
import { ErrorBanner } from '../../components/ErrorBanner';
import { LabelPill } from '../../components/LabelPill';
import { draftOf, explainAnnotation, recordChanges, type RecordDraft, type RecordRow } from './recordEdit';
import { selectAcknowledged, useContentWarningStore } from '../../stores/contentWarning';
import { selectEditorName, selectSetEditorName, useEditorStore } from './editor';
import { useRecordViewStore } from './recordView';
import { selectTargets, useTargetsStore } from './targets';
import { HiddenTextNotice } from './ContentWarning';
import { WordsEditor } from './WordsEditor';

export function RecordEditor({ record }: { record: RecordRow }) {
  const [draft, setDraft] = useState<RecordDraft>(() => draftOf(record));
  const [note, setNote] = useState('');
  const showText = useContentWarningStore(selectAcknowledged);
  const changes = useMemo(() => recordChanges(record, draft), [record, draft]);
  const changed = Object.keys(changes).length;
  const set = <K extends keyof RecordDraft>(k: K, v: RecordDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  return (
    <>
      <section className="panel-section">
        <h3>Text</h3>
        {showText ? <p className="full-text">{record.text}</p> : <HiddenTextNotice />}
      </section>

      <section className="panel-section">
        <h3>Labels</h3>
        <div className="label-grid">
          {(Object.keys(LABEL_VALUES) as LabelName[]).map((k) => (
            <LabelSelect key={k} label={k} values={LABEL_VALUES[k]} value={draft[k]} onChange={(v) => set(k, v)} />
          ))}
          <LabelSelect
            label="gold annotation"
            values={ANNOTATION_VALUES}
            value={draft.annotationGold}
            onChange={(v) => set('annotationGold', v)}
          />
        </div>
      </section>

      <AnnotationRule record={record} />

      <section className="panel-section">
        <h3>Target and rewrite</h3>
        <label className="field">
          <span>Target demographic</span>
          <TargetInput value={draft.targetDemographic} onChange={(v) => set('targetDemographic', v)} />
        </label>
        {showText ? (
          <>
            <div className="field">
              <span id="biased-words-label">Biased words</span>
              <WordsEditor
                words={draft.biasedWords}
                onChange={(w) => set('biasedWords', w)}
                labelledBy="biased-words-label"
              />
            </div>
            <label className="field">
              <span>Benign variation</span>
              <textarea
                className="input"
                rows={4}
                value={draft.benignVariation}
                placeholder="A rewrite free of bias, toxicity, stereotyping and harm"
                onChange={(e) => set('benignVariation', e.target.value)}
              />
            </label>
          </>
        ) : (
          <p className="muted small">Biased words and the benign variation are hidden with the text.</p>
        )}
      </section>

      <ExtraColumns extra={record.extra} hash={record.contentHash} />

      <SaveBar
        changed={changed}
        note={note}
        onNote={setNote}
        onDiscard={() => setDraft(draftOf(record))}
        onSave={(editor) => useRecordViewStore.getState().save(changes, editor, note)}
      />
    </>
  );
}

function LabelSelect({
  label,
  values,
  value,
  onChange,
}: {
  label: string;
  values: readonly string[];
  value: string | null;
  onChange: (v: string | null) => void;
}) {
  return (
    <label className="field">
      <span className="field-name">{label}</span>
      <select
        className="input"
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
      >
        <option value="">— (missing)</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
        {value !== null && !values.includes(value) && <option value={value}>{value} (outside the value set)</option>}
      </select>
    </label>
  );
}

function AnnotationRule({ record }: { record: RecordRow }) {
  const why = explainAnnotation(record.labels, record.annotationDerived, record.annotationStrict);
  return (
    <section className={record.annotationDisagrees ? 'panel-section rule disagrees' : 'panel-section rule'}>
      <h3>Annotation</h3>
      {record.annotationDisagrees && (
        <p className="warn-text">
          ⚠ The gold annotation ({record.annotationGold}) disagrees with the paper’s rule ({record.annotationDerived}).
        </p>
      )}
      <dl className="rule-list">
        <dt>Gold</dt>
        <dd>
          <LabelPill value={record.annotationGold} />{' '}
          <span className="muted small">
            {record.annotationGold ? 'as stated by the source' : 'not stated by the source'}
          </span>
        </dd>
        <dt>Paper’s rule</dt>
        <dd>
          <LabelPill value={record.annotationDerived} /> <span className="small">{why.derived}</span>
        </dd>
        <dt>Strict</dt>
        <dd>
          <LabelPill value={record.annotationStrict} /> <span className="small">{why.strict}</span>
        </dd>
      </dl>
      <p className="muted small">
        Rule: Unsafe ⇔ (bias ≠ No ∨ toxicity ≠ No ∨ harm ≠ Low) ∧ sentiment = Negative. The strict variant drops the
        sentiment term, so a highly toxic neutral text counts as Unsafe. Values shown are for the saved labels.
      </p>
    </section>
  );
}

function TargetInput({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const targets = useTargetsStore(selectTargets);
  const suggestions = useMemo(
    () => [...new Set([...targets.map((t) => t.value), ...GUIDELINE_TARGET_GROUPS])],
    [targets],
  );
  return (
    <>
      <input
        className="input"
        list="target-suggestions"
        value={value}
        maxLength={200}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id="target-suggestions">
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </>
  );
}

function ExtraColumns({ extra, hash }: { extra: Record<string, unknown>; hash: string }) {
  const showText = useContentWarningStore(selectAcknowledged);
  const entries = Object.entries(extra);
  return (
    <section className="panel-section">
      <h3>Source columns</h3>
      {entries.length === 0 ? (
        <p className="muted small">No extra columns in the source.</p>
      ) : !showText ? (
        <p className="muted small">{entries.length} extra columns, hidden with the text.</p>
      ) : (
        <table className="kv">
          <tbody>
            {entries.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td>{typeof v === 'string' ? v : JSON.stringify(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small" data-testid="content-hash">
        Content hash (finds duplicates on import):{' '}
        <code className="mono" title={hash}>
          {hash.slice(0, 16)}…
        </code>
      </p>
    </section>
  );
}

function SaveBar({
  changed,
  note,
  onNote,
  onDiscard,
  onSave,
}: {
  changed: number;
  note: string;
  onNote: (n: string) => void;
  onDiscard: () => void;
  onSave: (editor: string) => Promise<boolean>;
}) {
  const editor = useEditorStore(selectEditorName);
  const setEditor = useEditorStore(selectSetEditorName);
  const [nameDraft, setNameDraft] = useState('');
  const [renaming, setRenaming] = useState(false);
  const saving = useRecordViewStore((s) => s.saving);
  const error = useRecordViewStore((s) => s.error);
  const issues = useRecordViewStore((s) => s.issues);
  const savedAt = useRecordViewStore((s) => s.savedAt);
  const askName = !editor || renaming;
  const name = askName ? nameDraft.trim() : editor;

  const save = async () => {
    if (askName) {
      setEditor(nameDraft);
      setRenaming(false);
    }
    await onSave(name);
  };

  return (
    <section className="panel-section save-bar">
      {askName ? (
        <label className="field">
          <span>Your name (recorded with each edit, remembered on this computer)</span>
          <input className="input" value={nameDraft} maxLength={120} onChange={(e) => setNameDraft(e.target.value)} />
        </label>
      ) : (
        <p className="muted small">
          Editing as <strong>{editor}</strong>{' '}
          <button
            type="button"
            className="link"
            onClick={() => {
              setNameDraft(editor);
              setRenaming(true);
            }}
          >
            change
          </button>
        </p>
      )}
      <label className="field">
        <span>Note (optional): why the change</span>
        <input className="input" value={note} maxLength={2000} onChange={(e) => onNote(e.target.value)} />
      </label>
      <ErrorBanner message={error} issues={issues} />
      <div className="row gap">
        <button
          type="button"
          className="btn primary"
          disabled={changed === 0 || !name || saving}
          onClick={() => void save()}
        >
          {saving ? 'Saving…' : changed ? `Save ${changed} change${changed > 1 ? 's' : ''}` : 'Save'}
        </button>
        <button type="button" className="btn ghost" disabled={changed === 0 || saving} onClick={onDiscard}>
          Discard
        </button>
        {savedAt && changed === 0 && (
          <span className="ok-text" role="status">
            Saved
          </span>
        )}
      </div>
    </section>
  );
}
