// New annotation round: records drawn (seeded) from a dataset or one of its splits, the
// annotators and how many label each record, and how long the links work. On success the
// invitation links are shown once.
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { rounds } from '../../../../shared/contracts/rounds';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount } from '../../lib/format';
import { selectDatasets, selectDatasetsStatus, useDatasetsStore } from '../datasets/datasets';
import { DEFAULT_ROUND_FORM, ROUND_SPLITS, roundRequest, type RoundForm } from './forms';
import { CreateFormPage } from './CreateFormPage';
import { callContract } from './lab';
import { FormField, InputField, PeopleField, fieldBinder } from './ui';
import { useCreateForm } from './useCreateForm';

const FIELDS = ['title', 'dataset', 'split', 'records', 'annotators', 'perRecord', 'seed', 'expiresInDays'];

export function NewRoundForm() {
  const datasets = useDatasetsStore(selectDatasets);
  const dsStatus = useDatasetsStore(useShallow(selectDatasetsStatus));
  const [form, setForm] = useState<RoundForm>(() => ({
    ...DEFAULT_ROUND_FORM,
    dataset: useDatasetsStore.getState().selected ?? '',
  }));
  const set = (patch: Partial<RoundForm>) => setForm((f) => ({ ...f, ...patch }));
  const chosen = datasets.find((d) => d.name === form.dataset) ?? null;
  const available = chosen ? (form.split === 'all' ? chosen.records : chosen.splits[form.split]) : null;

  useEffect(() => {
    if (!useDatasetsStore.getState().loaded) void useDatasetsStore.getState().load();
  }, []);
  useEffect(() => {
    if (!form.dataset && datasets.length > 0) set({ dataset: datasets[0]!.name });
  }, [datasets, form.dataset]);

  const created = useCreateForm(
    'rounds',
    FIELDS,
    () => roundRequest(form, available),
    async (request) => {
      const { round, invites } = await callContract(rounds.create, request);
      return { id: round.id, title: round.title, invites };
    },
  );
  const { errors } = created;
  const bind = fieldBinder(form, set, errors);

  return (
    <CreateFormPage
      title="New annotation round"
      intro="Annotators label bias, toxicity, sentiment and harm, mark biased words and write the benign variation, as the CMD was made. Gold labels come by majority vote; ties and flagged records wait for an expert."
      submitLabel="Create round"
      form={created}
    >
      <ErrorBanner message={dsStatus.error} onRetry={() => void useDatasetsStore.getState().load()} />
      <InputField label="Name (optional)" {...bind('title')} />
      <div className="form-grid three">
        <FormField
          label="Dataset"
          error={errors.dataset}
          hint={!dsStatus.loaded ? 'Loading datasets…' : datasets.length === 0 ? 'Import a dataset first.' : undefined}
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
        <InputField
          label="Records"
          hint={available !== null ? `Drawn at random (seeded) from ${formatCount(available)}.` : undefined}
          numeric
          {...bind('records')}
        />
      </div>
      <PeopleField label="Annotators" placeholder={'ann1\nann2\nann3'} {...bind('annotators')} />
      <div className="form-grid three">
        <InputField label="Annotators per record" hint="The CMD: 3." numeric {...bind('perRecord')} />
        <InputField label="Seed" numeric {...bind('seed')} />
        <InputField label="Links expire after (days)" numeric {...bind('expiresInDays')} />
      </div>
    </CreateFormPage>
  );
}
