import { useEffect, useState } from 'react';
import { activeFilterCount, CHIP_DIMENSIONS, type ChipDimension } from './filterQuery';
import { formatCount } from '../../lib/format';
import { selectAcknowledged, selectHideAgain, useContentWarningStore } from '../../stores/contentWarning';
import { selectFilter, useFiltersStore } from './filters';
import { useRecordsStore } from './records';
import { selectFields, selectTargets, useTargetsStore } from './targets';
import type { DatasetField } from '../../../../shared/contracts/datasets';

const SEARCH_DEBOUNCE_MS = 300;

const DIMENSION_LABEL: Record<ChipDimension, string> = {
  bias: 'Bias',
  toxicity: 'Toxicity',
  sentiment: 'Sentiment',
  harm: 'Harm',
  annotation: 'Annotation',
  split: 'Split',
};

export function FilterBar() {
  const filter = useFiltersStore(selectFilter);
  const reset = useFiltersStore((s) => s.reset);
  const active = activeFilterCount(filter);
  return (
    <div className="filter-bar" role="search" aria-label="Filter records">
      <div className="filter-row">
        <SearchInput />
        <TargetSelect />
        <label className="check">
          <input
            type="checkbox"
            checked={filter.disagreesOnly}
            onChange={(e) => useFiltersStore.getState().setDisagreesOnly(e.target.checked)}
          />
          Disagreements only
        </label>
        <span className="spacer" />
        <MatchCount />
        {active > 0 && (
          <button type="button" className="btn small ghost" onClick={reset}>
            Clear filters ({active})
          </button>
        )}
        <HideTextAgain />
      </div>
      <div className="filter-row chips-row">
        {(Object.keys(CHIP_DIMENSIONS) as ChipDimension[]).map((dim) => (
          <ChipGroup key={dim} dimension={dim} />
        ))}
      </div>
      <SourceColumns />
    </div>
  );
}

/** Columns with this many values or fewer are chips; more are a select (one value at a time). */
const MAX_CHIPS = 12;

/**
 * The source's own categorical columns (the dataset's `extra` fields, e.g. the authors' CSV's
 * `label` and `dimension`), filterable like the labels. Absent when the dataset has none.
 */
function SourceColumns() {
  const fields = useTargetsStore(selectFields);
  const columns = fields.filter((f) => f.kind === 'extra');
  if (columns.length === 0) return null;
  return (
    <div className="filter-row chips-row" role="group" aria-label="Source columns">
      {columns.map((f) =>
        f.values.length <= MAX_CHIPS ? <ColumnChips key={f.key} field={f} /> : <ColumnSelect key={f.key} field={f} />,
      )}
    </div>
  );
}

function ColumnChips({ field }: { field: DatasetField }) {
  const selected = useFiltersStore((s) => s.filter.extra[field.label]) ?? [];
  const toggle = useFiltersStore((s) => s.toggleExtra);
  return (
    <fieldset className="chip-group">
      <legend title="A column of the imported file">{field.label}</legend>
      {field.values.map(({ value, count }) => (
        <button
          key={value}
          type="button"
          className={selected.includes(value) ? 'chip on' : 'chip'}
          aria-pressed={selected.includes(value)}
          title={`${formatCount(count)} record${count === 1 ? '' : 's'}`}
          onClick={() => toggle(field.label, value)}
        >
          {value}
        </button>
      ))}
    </fieldset>
  );
}

function ColumnSelect({ field }: { field: DatasetField }) {
  const selected = useFiltersStore((s) => s.filter.extra[field.label]) ?? [];
  const setExtra = useFiltersStore((s) => s.setExtra);
  return (
    <select
      className="input"
      aria-label={`Column ${field.label}`}
      value={selected[0] ?? ''}
      onChange={(e) => setExtra(field.label, e.target.value ? [e.target.value] : [])}
    >
      <option value="">Any {field.label}</option>
      {field.values.map(({ value, count }) => (
        <option key={value} value={value}>
          {value} ({formatCount(count)})
        </option>
      ))}
    </select>
  );
}

function ChipGroup({ dimension }: { dimension: ChipDimension }) {
  const selected = useFiltersStore((s) => s.filter[dimension]);
  const toggle = useFiltersStore((s) => s.toggle);
  return (
    <fieldset className="chip-group">
      <legend>{DIMENSION_LABEL[dimension]}</legend>
      {(CHIP_DIMENSIONS[dimension] as readonly string[]).map((value) => (
        <button
          key={value}
          type="button"
          className={selected.includes(value) ? 'chip on' : 'chip'}
          aria-pressed={selected.includes(value)}
          onClick={() => toggle(dimension, value)}
        >
          {value}
        </button>
      ))}
    </fieldset>
  );
}

function SearchInput() {
  const applied = useFiltersStore((s) => s.filter.q);
  const [text, setText] = useState(applied);
  // Follow outside changes (e.g. "Clear filters") without fighting the user's typing.
  useEffect(() => setText(applied), [applied]);
  useEffect(() => {
    if (text === applied) return;
    const t = setTimeout(() => useFiltersStore.getState().setSearch(text), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, applied]);
  return (
    <input
      type="search"
      className="input search"
      placeholder="Search text…"
      aria-label="Search record text"
      value={text}
      maxLength={500}
      onChange={(e) => setText(e.target.value)}
    />
  );
}

function TargetSelect() {
  const targets = useTargetsStore(selectTargets);
  const target = useFiltersStore((s) => s.filter.target);
  const setTarget = useFiltersStore((s) => s.setTarget);
  return (
    <select
      className="input"
      aria-label="Target demographic"
      value={target}
      onChange={(e) => setTarget(e.target.value)}
    >
      <option value="">Any target</option>
      {targets.map((t) => (
        <option key={t.value} value={t.value}>
          {t.value} ({formatCount(t.count)})
        </option>
      ))}
      {target && !targets.some((t) => t.value === target) && <option value={target}>{target}</option>}
    </select>
  );
}

function MatchCount() {
  const total = useRecordsStore((s) => s.total);
  const loading = useRecordsStore((s) => s.loadingPages > 0);
  return (
    <span className="match-count" aria-live="polite">
      {total === null ? 'Loading…' : `${formatCount(total)} record${total === 1 ? '' : 's'}`}
      {loading && total !== null && <span className="spinner small" aria-hidden="true" />}
    </span>
  );
}

function HideTextAgain() {
  const acknowledged = useContentWarningStore(selectAcknowledged);
  const hideAgain = useContentWarningStore(selectHideAgain);
  if (!acknowledged) return null;
  return (
    <button type="button" className="btn small ghost" onClick={hideAgain} title="Hide dataset text again">
      Hide text
    </button>
  );
}
