// "Getting started": the SR_LLM workflow as a short checklist under the nav — import → split →
// model → generate → train → evaluate — each step a link to its area, ticked from real state
// (lib/firstRun.ts). A step whose area is not built is shown as "coming", not as a link. Dismissable;
// the dismissal is remembered.
import { useEffect } from 'react';
import { api } from '../api';
import { checklistSteps, showChecklist } from '../lib/firstRun';
import { selectGo, useAreaStore } from '../stores/area';
import { useFirstRunStore } from '../stores/firstRun';
import '../styles/first-run.css';

export function FirstRunChecklist() {
  const facts = useFirstRunStore((s) => s.facts);
  const dismissed = useFirstRunStore((s) => s.dismissed);
  const go = useAreaStore(selectGo);

  useEffect(() => {
    if (dismissed) return;
    const store = useFirstRunStore.getState();
    void store.load();
    return api.onEvent((event) => useFirstRunStore.getState().onEvent(event));
  }, [dismissed]);

  if (!facts) return null;
  const steps = checklistSteps(facts);
  if (!showChecklist(steps, dismissed)) return null;
  const done = steps.filter((s) => s.done).length;
  const built = steps.filter((s) => !s.coming).length;
  return (
    <section className="first-run" aria-labelledby="first-run-title" data-testid="first-run">
      <div className="first-run-head">
        <h2 id="first-run-title">Getting started</h2>
        <button
          type="button"
          className="first-run-dismiss"
          aria-label="Dismiss the getting-started checklist"
          title="Dismiss (it stays hidden)"
          onClick={() => useFirstRunStore.getState().dismiss()}
        >
          ✕
        </button>
      </div>
      <p className="first-run-count">
        {done} of {built} done
      </p>
      <ol className="first-run-steps">
        {steps.map((s) => (
          <li key={s.id} className={s.done ? 'done' : s.coming ? 'coming' : undefined} data-step={s.id}>
            <span className="first-run-mark" aria-hidden="true">
              {s.done ? '✓' : ''}
            </span>
            {s.area ? (
              <a
                href={`#/${s.area}`}
                onClick={(e) => {
                  e.preventDefault();
                  if (s.area) go(s.area);
                }}
              >
                {s.label}
              </a>
            ) : (
              <span className="first-run-later">{s.label}</span>
            )}
            {s.done && <span className="visually-hidden"> (done)</span>}
            {s.coming && <span className="nav-soon">coming</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
