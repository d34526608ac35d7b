// The Python worker: the doctor report and "Set up worker" (CPU or GPU stack) with the job's
// progress and its live log (pip's output), which stays after a failure beside the error.
// The setup buttons show wherever the worker cannot train (not set up, or incomplete), in the
// compact panel of the Training page too. They start setup with the default Python, or one the
// doctor found, chosen by its index: no path field, since a program to run never crosses HTTP in
// serve mode (the CLI takes --python).
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorBanner } from '../../components/ErrorBanner';
import { JobLog } from '../../components/JobLog';
import { JobProgressView } from '../../components/ProgressBar';
import { formatBytes } from '../../lib/format';
import { isFinal, useJobsStore } from '../../stores/jobs';
import {
  selectDoctor,
  selectDoctorStatus,
  selectLatestSetupJobId,
  selectSetupJobId,
  useWorkerStore,
  WORKER_STATE_LABEL,
  workerState,
} from './worker';

const KEY_PACKAGES = ['torch', 'transformers', 'peft', 'accelerate', 'bitsandbytes'];

export function WorkerPanel({ compact = false }: { compact?: boolean }) {
  const doctor = useWorkerStore(selectDoctor);
  const { loading, error } = useWorkerStore(useShallow(selectDoctorStatus));
  const startedJobId = useWorkerStore(selectSetupJobId);
  const latestJobId = useJobsStore(selectLatestSetupJobId);
  const setupJobId = startedJobId ?? latestJobId;
  const setupError = useWorkerStore((s) => s.setupError);
  /** '' : the default Python; else the index of one the doctor found. */
  const [pythonChoice, setPythonChoice] = useState('');
  const pythonIndex = pythonChoice === '' ? undefined : Number(pythonChoice);
  const latest = useJobsStore((s) => (setupJobId === null ? undefined : s.byId[setupJobId]));
  // An earlier setup (before a restart, or from the CLI) shows when it failed or is running; a
  // long-past success only in the full panel.
  const job = startedJobId !== null || !compact || latest?.state !== 'succeeded' ? latest : undefined;
  const running = job !== undefined && !isFinal(job);
  const state = doctor ? workerState(doctor) : null;
  const packages = doctor
    ? [
        ...KEY_PACKAGES,
        ...Object.keys(doctor.packages)
          .filter((p) => !KEY_PACKAGES.includes(p))
          .sort(),
      ]
    : [];
  return (
    <section className="card worker-panel" aria-labelledby="worker-title" data-testid="worker-panel">
      <div className="row gap">
        <h3 id="worker-title">Python worker</h3>
        {state && (
          <span className={state === 'ready' ? 'pill state-good' : 'pill state-mild'}>{WORKER_STATE_LABEL[state]}</span>
        )}
        <span className="spacer" />
        <button
          type="button"
          className="btn small ghost"
          disabled={loading}
          onClick={() => void useWorkerStore.getState().load()}
        >
          {loading ? 'Checking…' : 'Check again'}
        </button>
      </div>
      <ErrorBanner message={error} onRetry={() => void useWorkerStore.getState().load()} />
      {!doctor && loading && <p className="muted">Asking the worker what this machine has…</p>}
      {doctor && !doctor.installed && !running && (
        <div className="banner info" data-testid="worker-setup-cta">
          <div className="banner-body">
            <strong>No worker environment yet.</strong> srlab creates its own Python environment in{' '}
            <code className="path">{doctor.venv}</code> and installs the training stack (a few GB for the GPU stack).
          </div>
        </div>
      )}
      {state === 'incomplete' && !running && (
        <div className="banner info" data-testid="worker-incomplete">
          <div className="banner-body">
            <strong>The worker environment is incomplete:</strong> it cannot train yet (see the problems below). Set it
            up again with a button below.
          </div>
        </div>
      )}
      {doctor && (state !== 'ready' || !compact) && doctor.pythons.length > 0 && (
        <label className="field" data-testid="worker-python-choice">
          <span>Make the environment from</span>
          <select
            className="input mono"
            name="python"
            value={pythonChoice}
            disabled={running}
            onChange={(e) => setPythonChoice(e.target.value)}
          >
            <option value="">the default Python (python3 on PATH)</option>
            {doctor.pythons.map((p) => (
              <option key={p.index} value={String(p.index)} disabled={!p.usable}>
                {p.path} — Python {p.version}
                {p.usable ? '' : ' (too old: 3.10+ needed)'}
              </option>
            ))}
          </select>
        </label>
      )}
      {doctor && (state !== 'ready' || !compact) && (
        <div className="row gap wrap" data-testid="worker-setup-buttons">
          <button
            type="button"
            className={state === 'ready' ? 'btn small' : 'btn primary'}
            disabled={running}
            onClick={() => void useWorkerStore.getState().setup(false, pythonIndex)}
          >
            {state === 'ready' ? 'Reinstall GPU stack' : 'Set up worker (GPU stack)'}
          </button>
          <button
            type="button"
            className="btn small"
            disabled={running}
            onClick={() => void useWorkerStore.getState().setup(true, pythonIndex)}
          >
            {state === 'ready' ? 'Reinstall CPU stack' : 'Set up worker (CPU only)'}
          </button>
        </div>
      )}
      <ErrorBanner message={setupError} onDismiss={() => useWorkerStore.setState({ setupError: null })} />
      {job && (
        <div className="worker-setup-job" aria-live="polite">
          <p className="small">
            {job.title} — <strong>{job.state}</strong>
          </p>
          {running && <JobProgressView progress={job.progress} label="Worker setup progress" />}
          {job.error && <pre className="run-error bad log-tail">{job.error}</pre>}
          {job.state === 'succeeded' && <p className="small good-text">Worker ready.</p>}
          <JobLog jobId={job.id} label="Setup log" testId="worker-setup-log" />
        </div>
      )}
      {!latest && (!compact || (doctor && !doctor.installed)) && (
        <p className="small muted" data-testid="worker-setup-log-empty">
          No worker setup has run yet. When one runs, pip&apos;s output shows here live.
        </p>
      )}
      {doctor && (
        <div className="card-grid tight">
          <table className="kv" data-testid="doctor-report">
            <tbody>
              <tr>
                <th scope="row">Python</th>
                <td>
                  {doctor.python ? <code className="path">{doctor.python}</code> : 'not found'}
                  {doctor.pythonVersion ? ` (${doctor.pythonVersion})` : ''}
                </td>
              </tr>
              {packages.map((p) => (
                <tr key={p}>
                  <th scope="row">{p}</th>
                  <td className={doctor.packages[p] ? 'mono' : 'muted'}>{doctor.packages[p] ?? 'not installed'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="kv">
            <tbody>
              <tr>
                <th scope="row">CUDA</th>
                <td>
                  {doctor.cuda.available
                    ? `available${doctor.cuda.version ? ` (${doctor.cuda.version})` : ''}`
                    : 'not available'}
                </td>
              </tr>
              {doctor.gpus.length === 0 && (
                <tr>
                  <th scope="row">GPUs</th>
                  <td className="muted">none found</td>
                </tr>
              )}
              {doctor.gpus.map((g) => (
                <tr key={g.index}>
                  <th scope="row">GPU {g.index}</th>
                  <td>
                    {g.name} · {formatBytes(g.freeMiB * 2 ** 20)} free of {formatBytes(g.totalMiB * 2 ** 20)}
                  </td>
                </tr>
              ))}
              <tr>
                <th scope="row">Can run</th>
                <td data-testid="doctor-can-run">
                  {doctor.canRun.length ? doctor.canRun.join(' · ') : <span className="muted">nothing yet</span>}
                </td>
              </tr>
            </tbody>
          </table>
        </div>
      )}
      {doctor && doctor.problems.length > 0 && (
        <ul className="issues warn-list">
          {doctor.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
