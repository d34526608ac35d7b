// New annotation round: records drawn (seeded) from a dataset or one of its splits, the
// annotators and how many label each record, and how long the links work. On success the
// invitation links are shown once.
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { errorIssues, errorMessage } from '../../api';
import { rounds } from '../../../../shared/contracts/rounds';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount } from '../../lib/format';
import { selectDatasets, selectDatasetsStatus, useDatasetsStore } from '../datasets/datasets';
import {
  DEFAULT_ROUND_FORM,
  issuesToFieldErrors,
  parseNames,
  ROUND_SPLITS,
  roundRequest,
  type FieldErrors,
  type RoundForm,
} from './forms';
import { callContract } from './lab';
import { usePeopleStore } from './people';
import { FormField } from './ui';

const FIELDS = ['title', 'dataset', 'split', 'records', 'annotators', 'perRecord', 'seed', 'expiresInDays'];

export function NewRoundForm() {
  const datasets = useDatasetsStore(selectDatasets);
  const dsStatus = useDatasetsStore(useShallow(selectDatasetsStatus));
  const [form, setForm] = useState<RoundForm>(() => ({
    ...DEFAULT_ROUND_FORM,
    dataset: useDatasetsStore.getState().selected ?? '',
  }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<RoundForm>) => setForm((f) => ({ ...f, ...patch }));
  const chosen = datasets.find((d) => d.name === form.dataset) ?? null;
  const available = chosen ? (form.split === 'all' ? chosen.records : chosen.splits[form.split]) : null;

  useEffect(() => {
    if (!useDatasetsStore.getState().loaded) void useDatasetsStore.getState().load();
  }, []);
  useEffect(() => {
    if (!form.dataset && datasets.length > 0) set({ dataset: datasets[0]!.name });
  }, [datasets, form.dataset]);

  const close = () => usePeopleStore.getState().setMode('view');
  const submit = async () => {
    const { request, errors: found } = roundRequest(form, available);
    setErrors(found);
    setError(null);
    if (!request) return;
    setBusy(true);
    try {
      const out = await callContract(rounds.create, request);
      const store = usePeopleStore.getState();
      await store.loadRounds();
      store.selectRound(out.round.id);
      store.showInvites({ section: 'rounds', id: out.round.id, title: out.round.title, invites: out.invites });
    } catch (err) {
      const fieldErrors = issuesToFieldErrors(errorIssues(err), FIELDS);
      setErrors(fieldErrors);
      // The server's words in the banner; its per-field issues beside their fields.
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <form
      className="model-details people-form"
      aria-label="New annotation round"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="dataset-header">
        <div className="dataset-title">
          <h1>New annotation round</h1>
          <p className="muted">
            Annotators label bias, toxicity, sentiment and harm, mark biased words and write the benign variation, as
            the CMD was made. Gold labels come by majority vote; ties and flagged records wait for an expert.
          </p>
        </div>
        <div className="dataset-actions">
          <button type="button" className="btn ghost" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create round'}
          </button>
        </div>
      </div>
      <div className="lab-scroll">
        <ErrorBanner message={error} />
        <ErrorBanner message={dsStatus.error} onRetry={() => void useDatasetsStore.getState().load()} />
        <FormField label="Name (optional)" error={errors.title}>
          {(a) => (
            <input
              className="input"
              name="title"
              value={form.title}
              onChange={(e) => set({ title: e.target.value })}
              {...a}
            />
          )}
        </FormField>
        <div className="form-grid three">
          <FormField
            label="Dataset"
            error={errors.dataset}
            hint={
              !dsStatus.loaded ? 'Loading datasets…' : datasets.length === 0 ? 'Import a dataset first.' : undefined
            }
          >
            {(a) => (
              <select
                className="input"
                name="dataset"
                value={form.dataset}
                onChange={(e) => set({ dataset: e.target.value })}
                {...a}
              >
                {datasets.length === 0 && <option value="">no datasets yet</option>}
                {datasets.map((d) => (
                  <option key={d.name} value={d.name}>
                    {d.name} ({formatCount(d.records)} records)
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField label="Split" error={errors.split}>
            {(a) => (
              <select
                className="input"
                name="split"
                value={form.split}
                onChange={(e) => set({ split: e.target.value as RoundForm['split'] })}
                {...a}
              >
                {ROUND_SPLITS.map((s) => (
                  <option key={s} value={s}>
                    {s === 'all' ? 'all records' : s}
                    {chosen ? ` (${formatCount(s === 'all' ? chosen.records : chosen.splits[s])})` : ''}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField
            label="Records"
            error={errors.records}
            hint={available !== null ? `Drawn at random (seeded) from ${formatCount(available)}.` : undefined}
          >
            {(a) => (
              <input
                className="input"
                name="records"
                inputMode="numeric"
                value={form.records}
                onChange={(e) => set({ records: e.target.value })}
                {...a}
              />
            )}
          </FormField>
        </div>
        <FormField
          label="Annotators"
          hint={`One per line or separated by commas. ${parseNames(form.annotators).length} named.`}
          error={errors.annotators}
        >
          {(a) => (
            <textarea
              className="input"
              name="annotators"
              rows={4}
              placeholder={'ann1\nann2\nann3'}
              value={form.annotators}
              onChange={(e) => set({ annotators: e.target.value })}
              {...a}
            />
          )}
        </FormField>
        <div className="form-grid three">
          <FormField label="Annotators per record" hint="The CMD: 3." error={errors.perRecord}>
            {(a) => (
              <input
                className="input"
                name="perRecord"
                inputMode="numeric"
                value={form.perRecord}
                onChange={(e) => set({ perRecord: e.target.value })}
                {...a}
              />
            )}
          </FormField>
          <FormField label="Seed" error={errors.seed}>
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
