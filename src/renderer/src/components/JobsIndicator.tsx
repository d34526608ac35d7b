import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { selectActiveJobs, useJobsStore } from '../stores/jobs';
import { JobProgressView } from './ProgressBar';

/** Header badge with the running jobs; opens a small panel with each job's progress. */
export function JobsIndicator() {
  const active = useJobsStore(useShallow(selectActiveJobs));
  const [open, setOpen] = useState(false);
  const label = active.length === 0 ? 'No running jobs' : `${active.length} job${active.length > 1 ? 's' : ''} running`;
  return (
    <div className="jobs-indicator">
      <button
        type="button"
        className={active.length ? 'jobs-button busy' : 'jobs-button'}
        aria-expanded={open}
        aria-controls="jobs-panel"
        onClick={() => setOpen((o) => !o)}
      >
        {active.length > 0 && <span className="spinner" aria-hidden="true" />}
        {label}
      </button>
      {open && (
        <div
          id="jobs-panel"
          className="jobs-panel"
          role="region"
          aria-label="Running jobs"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
          }}
        >
          {active.length === 0 ? (
            <p className="muted">Imports and other long work show their progress here.</p>
          ) : (
            active.map((job) => (
              <div key={job.id} className="jobs-panel-item">
                <div className="jobs-panel-title">
                  {job.title} <span className="muted">· {job.state}</span>
                </div>
                <JobProgressView progress={job.progress} label={job.title} />
              </div>
            ))
          )}
        </div>
      )}
      {/* compact bar under the badge so progress is visible without opening the panel */}
      {!open && active[0] && (
        <div className="jobs-mini" aria-hidden="true">
          <div
            className="jobs-mini-fill"
            style={{
              width:
                active[0].progress.total && active[0].progress.total > 0
                  ? `${Math.min(100, (100 * active[0].progress.done) / active[0].progress.total)}%`
                  : '30%',
            }}
          />
        </div>
      )}
    </div>
  );
}
