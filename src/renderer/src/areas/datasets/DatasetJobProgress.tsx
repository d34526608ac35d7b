// Progress of the job behind a waiting call (statistics or a split of a large dataset), with a
// cancel button. Small datasets answer at once and never show it.
import { useMemo, useState } from 'react';
import type { JobInfo } from '../../../../shared/contracts/jobs';
import { api } from '../../api';
import { JobProgressView } from '../../components/ProgressBar';
import { selectDatasetJob, useJobsStore } from '../../stores/jobs';

export function DatasetJobProgress({
  kind,
  dataset,
  label,
  cancelLabel,
}: {
  kind: 'dataset-stats' | 'split';
  dataset: string;
  label: string;
  /** The cancel button's text, e.g. "Cancel split" (a dialog's own Cancel closes it). */
  cancelLabel: string;
}) {
  const select = useMemo(() => selectDatasetJob(kind, dataset), [kind, dataset]);
  const job = useJobsStore(select);
  return job ? <RunningDatasetJob key={job.id} job={job} label={label} cancelLabel={cancelLabel} /> : null;
}

function RunningDatasetJob({ job, label, cancelLabel }: { job: JobInfo; label: string; cancelLabel: string }) {
  const [cancelling, setCancelling] = useState(false);
  return (
    <div className="stack">
      <p className="muted small">
        {job.state === 'queued' ? 'Waiting for another write to the database (an import?) to finish…' : job.title}
      </p>
      <JobProgressView progress={job.progress} label={label} />
      <div>
        <button
          type="button"
          className="btn small"
          disabled={cancelling}
          onClick={() => {
            setCancelling(true);
            api
              .call('jobs.cancel', { id: job.id })
              .then(({ job: j }) => useJobsStore.getState().upsert(j))
              .catch(() => setCancelling(false));
          }}
        >
          {cancelling ? 'Cancelling…' : cancelLabel}
        </button>
      </div>
    </div>
  );
}
