import type { LabelEdit } from '../../../../shared/contracts/datasets';
import { formatDateTime } from '../../lib/format';
import { describeValue } from './recordEdit';
import { selectAcknowledged, useContentWarningStore } from '../../stores/contentWarning';

/** Fields whose values are dataset text, hidden like the text until the warning is acknowledged. */
const TEXT_FIELDS = new Set(['biasedWords', 'benignVariation', 'text']);

export function EditHistory({ edits }: { edits: LabelEdit[] }) {
  const showText = useContentWarningStore(selectAcknowledged);
  return (
    <section className="panel-section">
      <h3>Edit history</h3>
      {edits.length === 0 ? (
        <p className="muted small">No edits yet. Saved changes are recorded here with who made them and why.</p>
      ) : (
        <ol className="history">
          {[...edits].reverse().map((e) => (
            <li key={e.id}>
              <div className="history-meta">
                <strong>{e.editor}</strong> · {formatDateTime(e.at)}
              </div>
              <div>
                <code>{e.field}</code>{' '}
                {TEXT_FIELDS.has(e.field) && !showText ? (
                  <span className="muted">(text hidden)</span>
                ) : (
                  <>
                    <span className="before">{describeValue(e.before)}</span> →{' '}
                    <span className="after">{describeValue(e.after)}</span>
                  </>
                )}
              </div>
              {e.note && <div className="history-note">“{e.note}”</div>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
