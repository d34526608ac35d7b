// The annotation guidelines beside the form (src/shared/annotation-guidelines.ts), one
// collapsible section per topic, so annotators can check a definition without leaving the record.
import { ANNOTATION_GUIDELINES } from '../../shared/annotation-guidelines';

export function Guidelines() {
  const g = ANNOTATION_GUIDELINES;
  return (
    <aside className="ev-guidelines" aria-labelledby="ev-guidelines-title">
      <h2 id="ev-guidelines-title">Annotation guidelines</h2>
      <p className="ev-muted">Version {g.version}</p>
      <p>{g.intro}</p>
      {g.sections.map((s) => (
        <details key={s.id} className="ev-guide">
          <summary>{s.title}</summary>
          <p>{s.summary}</p>
          {s.values.length > 0 && (
            <dl className="ev-guide-values">
              {s.values.map((v) => (
                <div key={v.value}>
                  <dt>{v.value}</dt>
                  <dd>{v.meaning}</dd>
                </div>
              ))}
            </dl>
          )}
          {s.examples.length > 0 && (
            <ul className="ev-guide-examples">
              {s.examples.map((ex, i) => (
                <li key={i}>
                  <q>{ex.text}</q> → <strong>{ex.label}</strong>
                  <div className="ev-muted">{ex.why}</div>
                </li>
              ))}
            </ul>
          )}
        </details>
      ))}
    </aside>
  );
}
