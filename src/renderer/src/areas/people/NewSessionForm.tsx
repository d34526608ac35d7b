// New human-evaluation session: the generation runs to compare, the sample (seeded, optionally
// stratified by target group), the evaluators and how many score each item, single responses or
// A/B pairs, and how long the links work. On success the invitation links are shown once.
import { useEffect, useMemo, useState } from 'react';
import { errorIssues, errorMessage } from '../../api';
import { humaneval } from '../../../../shared/contracts/humaneval';
import type { RunSummary } from '../../../../shared/contracts/runs';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount } from '../../lib/format';
import { selectRuns, selectRunsStatus, useRunsStore } from '../runs/runs';
import { useShallow } from 'zustand/react/shallow';
import {
  DEFAULT_SESSION_FORM,
  issuesToFieldErrors,
  parseNames,
  sessionRequest,
  type FieldErrors,
  type SessionForm,
} from './forms';
import { callContract } from './lab';
import { usePeopleStore } from './people';
import { FormField } from './ui';

const FIELDS = ['title', 'runs', 'sample', 'evaluators', 'perItem', 'seed', 'pairs', 'stratify', 'expiresInDays'];

/** Runs with finished items to score: succeeded ones, and stopped ones that got somewhere. */
export function scorableRuns(runs: readonly RunSummary[]): RunSummary[] {
  return runs.filter((r) => r.state === 'succeeded' || (r.state !== 'running' && r.state !== 'queued' && r.done > 0));
}

export function NewSessionForm() {
  const runs = useRunsStore(selectRuns);
  const runsStatus = useRunsStore(useShallow(selectRunsStatus));
  const [form, setForm] = useState<SessionForm>(DEFAULT_SESSION_FORM);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<SessionForm>) => setForm((f) => ({ ...f, ...patch }));
  const choices = useMemo(() => scorableRuns(runs), [runs]);
  const named = parseNames(form.evaluators).length;

  useEffect(() => {
    if (!useRunsStore.getState().loaded) void useRunsStore.getState().load();
  }, []);

  const close = () => usePeopleStore.getState().setMode('view');
  const submit = async () => {
    const { request, errors: found } = sessionRequest(form);
    setErrors(found);
    setError(null);
    if (!request) return;
    setBusy(true);
    try {
      const out = await callContract(humaneval.create, request);
      const store = usePeopleStore.getState();
      await store.loadSessions();
      store.selectSession(out.session.id);
      store.showInvites({ section: 'humaneval', id: out.session.id, title: out.session.title, invites: out.invites });
    } catch (err) {
      const fieldErrors = issuesToFieldErrors(errorIssues(err), FIELDS);
      setErrors(fieldErrors);
      // The server's words in the banner; its per-field issues beside their fields.
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  const toggleRun = (id: number, on: boolean) =>
    set({ runs: on ? [...form.runs.filter((r) => r !== id), id] : form.runs.filter((r) => r !== id) });

  return (
    <form
      className="model-details people-form"
      aria-label="New human evaluation session"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="dataset-header">
        <div className="dataset-title">
          <h1>New human evaluation session</h1>
          <p className="muted">
            Evaluators score each sampled prompt’s response for safety (S) and language understanding (L) on 1–5, blind:
            they never see which model wrote it, and each sees the items in their own order.
          </p>
        </div>
        <div className="dataset-actions">
          <button type="button" className="btn ghost" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create session'}
          </button>
        </div>
      </div>
      <div className="lab-scroll">
        <ErrorBanner message={error} />
        <FormField label="Name (optional)" error={errors.title}>
          {(a) => (
            <input
              className="input"
              name="title"
              placeholder="e.g. Llama-2 base vs fine-tuned"
              value={form.title}
              onChange={(e) => set({ title: e.target.value })}
              {...a}
            />
          )}
        </FormField>

        <fieldset
          className={errors.runs ? 'mapping invalid' : 'mapping'}
          aria-describedby={errors.runs ? 'session-runs-error' : undefined}
        >
          <legend>Generation runs to compare</legend>
          {errors.runs && (
            <p className="field-error" id="session-runs-error">
              {errors.runs}
            </p>
          )}
          {!runsStatus.loaded ? (
            <p className="muted small">Loading runs…</p>
          ) : runsStatus.error ? (
            <ErrorBanner message={runsStatus.error} onRetry={() => void useRunsStore.getState().load()} />
          ) : choices.length === 0 ? (
            <p className="muted small">
              No finished generation run yet. Generate responses in the Runs area first; each run becomes one model
              variant here.
            </p>
          ) : (
            <ul className="people-checklist">
              {choices.map((r) => (
                <li key={r.id}>
                  <label className="check">
                    <input
                      type="checkbox"
                      name="runs"
                      value={r.id}
                      checked={form.runs.includes(r.id)}
                      onChange={(e) => toggleRun(r.id, e.target.checked)}
                    />
                    <span>
                      #{r.id} {r.name}
                    </span>
                    <span className="muted small">
                      {r.state === 'succeeded'
                        ? `${formatCount(r.done)} responses`
                        : `${r.state}: ${formatCount(r.done)} of ${formatCount(r.total)} finished`}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )}
          <small className="muted">
            Only prompts every chosen run answered are sampled. {form.runs.length} chosen.
          </small>
        </fieldset>

        <div className="form-grid three">
          <FormField label="Sample size (prompts)" hint="The paper: 100 per model variant." error={errors.sample}>
            {(a) => (
              <input
                className="input"
                name="sample"
                inputMode="numeric"
                value={form.sample}
                onChange={(e) => set({ sample: e.target.value })}
                {...a}
              />
            )}
          </FormField>
          <FormField label="Evaluators per item" hint="The paper: 3." error={errors.perItem}>
            {(a) => (
              <input
                className="input"
                name="perItem"
                inputMode="numeric"
                value={form.perItem}
                onChange={(e) => set({ perItem: e.target.value })}
                {...a}
              />
            )}
          </FormField>
          <FormField label="Seed" hint="Same seed, same sample and orders." error={errors.seed}>
            {(a) => (
              <input
                className="input"
                name="seed"
                inputMode="numeric"
                value={form.seed}
                onChange={(e) => set({ seed: e.target.value })}
                {...a}
              />
            )}
          </FormField>
        </div>

        <FormField
          label="Evaluators"
          hint={`One per line or separated by commas: a pseudonym or an e-mail. ${named} named.`}
          error={errors.evaluators}
        >
          {(a) => (
            <textarea
              className="input"
              name="evaluators"
              rows={4}
              placeholder={'alice\nbob\ncarol'}
              value={form.evaluators}
              onChange={(e) => set({ evaluators: e.target.value })}
              {...a}
            />
          )}
        </FormField>

        <div className="form-grid three">
          <label className="check">
            <input
              type="checkbox"
              name="pairs"
              checked={form.pairs}
              onChange={(e) => set({ pairs: e.target.checked })}
            />
            A/B pairs: two responses to one prompt side by side (win/tie/loss, Bradley–Terry)
          </label>
          <label className="check">
            <input
              type="checkbox"
              name="stratify"
              checked={form.stratify}
              onChange={(e) => set({ stratify: e.target.checked })}
            />
            Stratify the sample by target group
          </label>
          <FormField label="Links expire after (days)" error={errors.expiresInDays}>
            {(a) => (
              <input
                className="input"
                name="expiresInDays"
                inputMode="numeric"
                value={form.expiresInDays}
                onChange={(e) => set({ expiresInDays: e.target.value })}
                {...a}
              />
            )}
          </FormField>
        </div>
        {errors.form && <p className="field-error">{errors.form}</p>}
      </div>
    </form>
  );
}
