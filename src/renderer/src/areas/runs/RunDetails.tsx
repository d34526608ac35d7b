import { useState } from 'react';
import type { RunSummary } from '../../../../shared/contracts/runs';
import { ConfirmRemoveDialog } from '../../components/ConfirmRemoveDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { JobActions } from '../../components/JobActions';
import { ProgressBar } from '../../components/ProgressBar';
import { formatCount, formatDateTime } from '../../lib/format';
import { formatStopStrings } from '../../lib/llmForms';
import { formatMs, formatTokensPerSecond, shortSha, sourceLabel, targetLabel } from '../../lib/llmFormat';
import { plural } from '../../lib/preflight';
import { runActions, runProgress } from './runProgress';
import { useJobsStore } from '../../stores/jobs';
import { useRunsStore } from './runs';
import { StatePill } from './RunList';
import { RunItemsTable } from './RunItemsTable';

export function RunDetails({ run }: { run: RunSummary }) {
  const job = useJobsStore((s) => (run.jobId === null ? undefined : s.byId[run.jobId]));
  const actionError = useRunsStore((s) => s.actionError);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const p = runProgress(run, job);
  const actions = runActions(run);
  return (
    <div className="model-details">
      <div className="dataset-header">
        <div className="dataset-title">
          <h1 title={run.name}>{run.name}</h1>
          <p className="muted">
            Run #{run.id} · {targetLabel(run.settings.target)} · {sourceLabel(run.settings.source)} · created{' '}
            {formatDateTime(run.createdAt)} ·{' '}
            <span data-testid="run-started">
              {run.startedAt ? `started ${formatDateTime(run.startedAt)}` : 'not started yet'}
            </span>
            {run.finishedAt ? ` · finished ${formatDateTime(run.finishedAt)}` : ''}
          </p>
        </div>
        <JobActions
          cancel={actions.cancel ? { label: 'Cancel run', run: () => useRunsStore.getState().cancel(run.id) } : null}
          resume={actions.resume ? { label: 'Resume', run: () => useRunsStore.getState().resume(run.id) } : null}
          onRemove={actions.remove ? () => setConfirmRemove(true) : null}
        />
      </div>
      <div className="lab-scroll">
        <ErrorBanner message={actionError} onDismiss={() => useRunsStore.setState({ actionError: null })} />
        <section className="card run-progress" aria-label="Run progress">
          <div className="row gap">
            <StatePill state={run.state} />
            <span className="run-count" data-testid="run-count">
              {p.countText}
            </span>
            <span className="spacer" />
            <span className="muted small">
              {[p.rateText, p.etaText ? `${p.etaText} left` : ''].filter(Boolean).join(' · ')}
            </span>
          </div>
          <ProgressBar done={p.processed} total={run.total} label={`Run ${run.id} progress`} />
          <dl className="stat-row">
            <div className="stat">
              <dt>Tokens/s</dt>
              <dd data-testid="run-tps">{formatTokensPerSecond(p.tokensPerSecond)}</dd>
            </div>
            <div className="stat">
              <dt>Generated tokens</dt>
              <dd>{formatCount(run.generatedTokens)}</dd>
            </div>
            <div className="stat">
              <dt>Generation time</dt>
              <dd>{formatMs(run.generationMs)}</dd>
            </div>
            <div className="stat">
              <dt>Succeeded</dt>
              <dd>{formatCount(run.done)}</dd>
            </div>
            <div className="stat">
              <dt>Errors</dt>
              <dd className={run.errors > 0 ? 'warn-text' : undefined}>{formatCount(run.errors)}</dd>
            </div>
          </dl>
          {run.error && run.state !== 'succeeded' && (
            <p className={run.state === 'failed' ? 'run-error bad' : 'run-error'} role="status">
              {run.error}
            </p>
          )}
          <p className="muted small">
            Tokens/s counts generated tokens over generation time; model loading is excluded.
          </p>
        </section>
        <RunSettingsCard run={run} />
        <RunItemsTable run={run} />
      </div>
      {confirmRemove && <RemoveRunDialog run={run} onClose={() => setConfirmRemove(false)} />}
    </div>
  );
}

function RunSettingsCard({ run }: { run: RunSummary }) {
  const s = run.settings;
  const d = s.decoding;
  const t = s.template;
  const load = [
    s.load.contextSize !== undefined ? `context ${formatCount(s.load.contextSize)}` : null,
    s.load.gpuLayers !== undefined ? `${s.load.gpuLayers} GPU layers` : null,
    s.load.threads !== undefined ? plural(s.load.threads, 'thread') : null,
  ].filter(Boolean);
  return (
    <section className="card" aria-labelledby="run-settings-title">
      <h3 id="run-settings-title">Settings (everything needed to reproduce this run)</h3>
      <div className="card-grid tight">
        <table className="kv">
          <tbody>
            <tr>
              <th scope="row">Target</th>
              <td>{targetLabel(s.target)}</td>
            </tr>
            {s.target.kind === 'local' && (s.target.adapter || s.target.adapterRun !== undefined) && (
              <tr>
                <th scope="row">Adapter</th>
                <td>
                  {s.target.adapter ? (
                    <code className="path">{s.target.adapter}</code>
                  ) : (
                    `the adapter GGUF of training run ${s.target.adapterRun}`
                  )}{' '}
                  (scale {s.target.adapterScale})
                </td>
              </tr>
            )}
            <tr>
              <th scope="row">Model SHA-256</th>
              <td>
                <code className="mono" title={run.provenance.modelSha256 ?? undefined}>
                  {run.provenance.modelSha256 ?? '–'}
                </code>
              </td>
            </tr>
            {run.provenance.adapterSha256 && (
              <tr>
                <th scope="row">Adapter SHA-256</th>
                <td>
                  <code className="mono">{shortSha(run.provenance.adapterSha256, 16)}…</code>
                </td>
              </tr>
            )}
            {run.provenance.endpoint && (
              <tr>
                <th scope="row">Endpoint</th>
                <td className="mono">{run.provenance.endpoint}</td>
              </tr>
            )}
            <tr>
              <th scope="row">Source</th>
              <td>{sourceLabel(s.source)}</td>
            </tr>
            <tr>
              <th scope="row">Versions</th>
              <td>
                srlab {run.provenance.srlabVersion}
                {run.provenance.nodeLlamaCppVersion ? ` · node-llama-cpp ${run.provenance.nodeLlamaCppVersion}` : ''}
              </td>
            </tr>
          </tbody>
        </table>
        <table className="kv">
          <tbody>
            <tr>
              <th scope="row">Decoding</th>
              <td>
                {d.temperature === 0 ? 'greedy' : `temperature ${d.temperature}`}
                {d.topK !== undefined ? ` · top-k ${d.topK}` : ''}
                {d.topP !== undefined ? ` · top-p ${d.topP}` : ''} · max {formatCount(d.maxTokens)} tokens
              </td>
            </tr>
            <tr>
              <th scope="row">Seed</th>
              <td>{d.seed} (item i uses seed + i)</td>
            </tr>
            <tr>
              <th scope="row">Stop strings</th>
              <td className="mono">{d.stop.length ? formatStopStrings(d.stop).split('\n').join(' · ') : 'none'}</td>
            </tr>
            <tr>
              <th scope="row">Parallel</th>
              <td>
                {s.parallel} sequence{s.parallel === 1 ? '' : 's'}
              </td>
            </tr>
            <tr>
              <th scope="row">Load</th>
              <td>{load.length ? load.join(' · ') : 'chosen by the preflight'}</td>
            </tr>
            <tr>
              <th scope="row">Template</th>
              <td>
                {t.name ? `${t.name} v${t.version ?? '?'}` : 'inline'} · {t.format}
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <details>
        <summary className="small">Template text</summary>
        <div className="stack">
          <div>
            <div className="muted small">System prompt</div>
            <pre className="template-text">{t.systemPrompt || '(none)'}</pre>
          </div>
          <div>
            <div className="muted small">Instruction</div>
            <pre className="template-text">{t.instruction}</pre>
          </div>
        </div>
      </details>
    </section>
  );
}

function RemoveRunDialog({ run, onClose }: { run: RunSummary; onClose: () => void }) {
  return (
    <ConfirmRemoveDialog
      title={`Remove run #${run.id}?`}
      removeLabel="Remove run"
      remove={() => useRunsStore.getState().remove(run.id)}
      onClose={onClose}
    >
      <p>
        This deletes “{run.name}” and its {formatCount(run.total)} items (inputs, prompts, outputs, timings) from this
        srlab library.
      </p>
    </ConfirmRemoveDialog>
  );
}
