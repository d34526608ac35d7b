// New human-evaluation session: the generation runs to compare, the sample (seeded, optionally
// stratified by target group), the evaluators and how many score each item, single responses or
// A/B pairs, and how long the links work. On success the invitation links are shown once.
import { useEffect, useMemo, useState } from 'react';
import { humaneval } from '../../../../shared/contracts/humaneval';
import type { RunSummary } from '../../../../shared/contracts/runs';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount } from '../../lib/format';
import { selectRuns, selectRunsStatus, useRunsStore } from '../runs/runs';
import { useShallow } from 'zustand/react/shallow';
import { DEFAULT_SESSION_FORM, sessionRequest, type SessionForm } from './forms';
import { CreateFormPage } from './CreateFormPage';
import { callContract } from './lab';
import { InputField, PeopleField, fieldBinder } from './ui';
import { useCreateForm } from './useCreateForm';

const FIELDS = ['title', 'runs', 'sample', 'evaluators', 'perItem', 'seed', 'pairs', 'stratify', 'expiresInDays'];

/** Runs with finished items to score: succeeded ones, and stopped ones that got somewhere. */
export function scorableRuns(runs: readonly RunSummary[]): RunSummary[] {
  return runs.filter((r) => r.state === 'succeeded' || (r.state !== 'running' && r.state !== 'queued' && r.done > 0));
}

export function NewSessionForm() {
  const runs = useRunsStore(selectRuns);
  const runsStatus = useRunsStore(useShallow(selectRunsStatus));
  const [form, setForm] = useState<SessionForm>(DEFAULT_SESSION_FORM);
  const set = (patch: Partial<SessionForm>) => setForm((f) => ({ ...f, ...patch }));
  const choices = useMemo(() => scorableRuns(runs), [runs]);

  useEffect(() => {
    if (!useRunsStore.getState().loaded) void useRunsStore.getState().load();
  }, []);

  const created = useCreateForm(
    'humaneval',
    FIELDS,
    () => sessionRequest(form),
    async (request) => {
      const { session, invites } = await callContract(humaneval.create, request);
      return { id: session.id, title: session.title, invites };
    },
  );
  const { errors } = created;
  const bind = fieldBinder(form, set, errors);

  const toggleRun = (id: number, on: boolean) =>
    set({ runs: on ? [...form.runs.filter((r) => r !== id), id] : form.runs.filter((r) => r !== id) });

  return (
    <CreateFormPage
      title="New human evaluation session"
      intro="Evaluators score each sampled prompt’s response for safety (S) and language understanding (L) on 1–5, blind: they never see which model wrote it, and each sees the items in their own order."
      submitLabel="Create session"
      form={created}
    >
      <InputField label="Name (optional)" placeholder="e.g. Llama-2 base vs fine-tuned" {...bind('title')} />

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
        <small className="muted">Only prompts every chosen run answered are sampled. {form.runs.length} chosen.</small>
      </fieldset>

      <div className="form-grid three">
        <InputField
          label="Sample size (prompts)"
          hint="The paper: 100 per model variant."
          numeric
          {...bind('sample')}
        />
        <InputField label="Evaluators per item" hint="The paper: 3." numeric {...bind('perItem')} />
        <InputField label="Seed" hint="Same seed, same sample and orders." numeric {...bind('seed')} />
      </div>

      <PeopleField
        label="Evaluators"
        how="a pseudonym or an e-mail"
        placeholder={'alice\nbob\ncarol'}
        {...bind('evaluators')}
      />

      <div className="form-grid three">
        <label className="check">
          <input type="checkbox" name="pairs" checked={form.pairs} onChange={(e) => set({ pairs: e.target.checked })} />
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
        <InputField label="Links expire after (days)" numeric {...bind('expiresInDays')} />
      </div>
    </CreateFormPage>
  );
}
