// Dataset statistics as the paper reports them: label distributions (Table 1, per split),
// text length (Table 2), Flesch Reading Ease by sentiment (Figure 5), and the benign change.
import { useCallback, useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DatasetStats, Describe, FieldCounts, LabelCounts } from '../../../../shared/contracts/datasets';
import { ANNOTATION_VALUES, LABEL_VALUES, SPLITS } from '../../../../shared/domain';
import { BarChart } from '../../charts/BarChart';
import { BoxPlotChart } from '../../charts/BoxPlotChart';
import { GroupedBarChart } from '../../charts/GroupedBarChart';
import { HistogramChart } from '../../charts/HistogramChart';
import { MISSING, orderedCategories, type Frame } from '../../charts/layout';
import { RankedBarChart } from '../../charts/RankedBarChart';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount, formatNumber } from '../../lib/format';
import { selectSelectedDataset, useDatasetsStore } from './datasets';
import { selectLoadStats, selectStatsView, useStatsStore, type StatsSplit } from './stats';
import { DatasetJobProgress } from './DatasetJobProgress';

const SPLIT_CHOICES: StatsSplit[] = ['all', ...SPLITS];
const GROUP_ORDER = [...SPLITS, 'none'];

const LABEL_CHARTS = [
  { key: 'bias', title: 'Bias', known: LABEL_VALUES.bias },
  { key: 'toxicity', title: 'Toxicity', known: LABEL_VALUES.toxicity },
  { key: 'sentiment', title: 'Sentiment', known: LABEL_VALUES.sentiment },
  { key: 'harm', title: 'Harm', known: LABEL_VALUES.harm },
  { key: 'annotation', title: 'Annotation (gold, else rule)', known: ANNOTATION_VALUES },
] as const;

export function StatsView({ dataset }: { dataset: string }) {
  const { stats, loading, error, split, dataset: loadedFor } = useStatsStore(useShallow(selectStatsView));
  const load = useStatsStore(selectLoadStats);
  const summary = useDatasetsStore(selectSelectedDataset);
  useEffect(() => {
    if (loadedFor !== dataset) void load(dataset, 'all');
  }, [dataset, loadedFor, load]);
  const current = stats && stats.dataset === dataset ? stats : null;

  return (
    <div className="stats-view">
      <div className="stats-toolbar">
        <div className="segmented" role="radiogroup" aria-label="Split">
          {SPLIT_CHOICES.map((s) => (
            <button
              key={s}
              type="button"
              role="radio"
              aria-checked={split === s}
              disabled={s !== 'all' && summary !== null && summary.splits[s] === 0 && split !== s}
              title={s !== 'all' && summary?.splits[s] === 0 ? 'No records in this split yet (use Split…)' : undefined}
              className={split === s ? 'seg on' : 'seg'}
              onClick={() => void load(dataset, s)}
            >
              {s === 'all' ? 'All records' : s}
            </button>
          ))}
        </div>
        {current && <span className="muted">{formatCount(current.records)} records</span>}
        {loading && <span className="spinner small" aria-label="Loading statistics" />}
      </div>
      <ErrorBanner message={error} onRetry={() => void load(dataset)} />
      {!current && loading && <p className="muted pad">Computing statistics…</p>}
      {loading && (
        <DatasetJobProgress
          kind="dataset-stats"
          dataset={dataset}
          label="Statistics progress"
          cancelLabel="Cancel statistics"
        />
      )}
      {current && current.records === 0 && <p className="empty-state">No records in this selection.</p>}
      {current && current.records > 0 && (
        <>
          <LabelSection stats={current} />
          <FieldSection stats={current} />
          <LengthSection stats={current} />
          <FleschSection stats={current} />
          <BenignSection describe={current.benignChange} />
        </>
      )}
    </div>
  );
}

/** Splits that hold records, in train/dev/test/none order. */
function presentGroups(bySplit: Record<string, LabelCounts>): string[] {
  const size = (c: LabelCounts) => Object.values(c.annotation).reduce((a, b) => a + b, 0);
  return [...GROUP_ORDER, ...Object.keys(bySplit).filter((k) => !GROUP_ORDER.includes(k))].filter(
    (g) => bySplit[g] && size(bySplit[g]) > 0,
  );
}

function LabelSection({ stats }: { stats: DatasetStats }) {
  const groups = useMemo(() => (stats.labelsBySplit ? presentGroups(stats.labelsBySplit) : []), [stats]);
  const perSplit = groups.length > 1;
  // A label no record has is named once, not drawn as a chart of one "(missing)" bar.
  const charted = LABEL_CHARTS.filter((c) => !absent(stats.labels[c.key]));
  const sourcesAbsent = [
    stats.labels.annotationGold,
    stats.labels.annotationDerived,
    stats.labels.annotationStrict,
  ].every(absent);
  const missing = [
    ...LABEL_CHARTS.filter((c) => absent(stats.labels[c.key])).map((c) => c.title),
    ...(sourcesAbsent ? ['Annotation: gold vs the paper’s rule vs strict'] : []),
  ];
  return (
    <section className="stats-section" aria-labelledby="labels-heading">
      <h2 id="labels-heading">Label distributions</h2>
      <p className="muted small">
        {perSplit ? 'Counts per split. ' : ''}Values outside a label’s set are shown under their own name; “(missing)”
        counts records without the label. {formatCount(stats.labels.disagreements)} records have a gold annotation that
        disagrees with the paper’s rule.
      </p>
      {missing.length > 0 && (
        <p className="chart-note absent-labels">
          <strong>Not in this dataset</strong> (none of its {formatCount(stats.records)} records has{' '}
          {missing.length === 1 ? 'it' : 'them'}): {missing.join(', ')}.
        </p>
      )}
      <div className="chart-grid">
        {charted.map((c) => (
          <figure key={c.key} className="chart-card">
            <figcaption>{c.title}</figcaption>
            {perSplit ? (
              <SplitBars
                title={`${c.title} by split`}
                label={c.key}
                known={c.known}
                bySplit={stats.labelsBySplit!}
                groups={groups}
              />
            ) : (
              <BarChart
                title={`${c.title} distribution`}
                data={orderedCategories(stats.labels[c.key], c.known).map((k) => ({
                  key: k,
                  value: stats.labels[c.key][k] ?? 0,
                }))}
              />
            )}
          </figure>
        ))}
        {!sourcesAbsent && (
          <figure className="chart-card">
            <figcaption>Annotation: gold vs the paper’s rule vs strict</figcaption>
            <AnnotationSources labels={stats.labels} />
          </figure>
        )}
      </div>
    </section>
  );
}

/** Whether no record has the label: every count is "(missing)" or 0. */
function absent(counts: Record<string, number>): boolean {
  return Object.entries(counts).every(([k, v]) => k === MISSING || v === 0);
}

/** Vertical bars only for a few short values; others get horizontal bars, which have room for names. */
const MAX_VERTICAL_BARS = 4;
const MAX_VERTICAL_NAME = 14;

/**
 * The target and the source's own categorical columns (e.g. the authors' CSV's `label` and
 * `dimension`), charted like the labels: per split when the dataset is split.
 */
function FieldSection({ stats }: { stats: DatasetStats }) {
  const groups = useMemo(() => (stats.labelsBySplit ? presentGroups(stats.labelsBySplit) : []), [stats]);
  if (stats.fields.length === 0) return null;
  const perSplit = groups.length > 1;
  return (
    <section className="stats-section" aria-labelledby="fields-heading">
      <h2 id="fields-heading">Target and the source’s own columns</h2>
      <p className="muted small">
        Columns of the imported file beyond the paper’s fields, where they hold categories (2 to 50 values, srlab’s
        rule): they can be filtered in Records, and a split can be stratified by them. Most frequent values first.
      </p>
      <div className="chart-grid">
        {stats.fields.map((f) => (
          <FieldChart key={f.key} field={f} groups={perSplit ? groups : []} />
        ))}
      </div>
    </section>
  );
}

function FieldChart({ field, groups }: { field: FieldCounts; groups: string[] }) {
  const categories = useMemo(() => Object.keys(field.counts), [field]);
  const perSplit = groups.length > 1 && field.bySplit !== null;
  const value = useCallback(
    (c: string, g: string) => (perSplit ? (field.bySplit![g]?.[c] ?? 0) : (field.counts[c] ?? 0)),
    [field, perSplit],
  );
  const title = field.kind === 'extra' ? `Column “${field.label}”` : field.label;
  const ranked = categories.length > MAX_VERTICAL_BARS || categories.some((c) => c.length > MAX_VERTICAL_NAME);
  return (
    <figure className={ranked ? 'chart-card wide' : 'chart-card'} data-field={field.key}>
      <figcaption>
        {field.kind === 'extra' ? field.label : title}
        {field.kind === 'extra' && <span className="muted small"> (column of the source)</span>}
      </figcaption>
      {ranked ? (
        <RankedBarChart
          title={`${title}${perSplit ? ' by split' : ''}`}
          categories={categories}
          groups={perSplit ? groups : ['all']}
          value={value}
        />
      ) : perSplit ? (
        <GroupedBarChart title={`${title} by split`} categories={categories} groups={groups} value={value} />
      ) : (
        <BarChart
          title={`${title} distribution`}
          data={categories.map((k) => ({ key: k, value: field.counts[k] ?? 0 }))}
        />
      )}
    </figure>
  );
}

function SplitBars({
  title,
  label,
  known,
  bySplit,
  groups,
}: {
  title: string;
  label: (typeof LABEL_CHARTS)[number]['key'];
  known: readonly string[];
  bySplit: Record<string, LabelCounts>;
  groups: string[];
}) {
  const categories = useMemo(() => {
    const merged: Record<string, number> = {};
    for (const g of groups) for (const [k, v] of Object.entries(bySplit[g]![label])) merged[k] = (merged[k] ?? 0) + v;
    return orderedCategories(merged, known);
  }, [bySplit, groups, label, known]);
  const value = useCallback((c: string, g: string) => bySplit[g]?.[label][c] ?? 0, [bySplit, label]);
  return <GroupedBarChart title={title} categories={categories} groups={groups} value={value} />;
}

const SOURCES = ['gold', 'rule', 'strict'] as const;

function AnnotationSources({ labels }: { labels: LabelCounts }) {
  const bySource = useMemo(
    () => ({ gold: labels.annotationGold, rule: labels.annotationDerived, strict: labels.annotationStrict }),
    [labels],
  );
  const categories = useMemo(
    () => orderedCategories({ ...bySource.gold, ...bySource.rule, ...bySource.strict }, ANNOTATION_VALUES),
    [bySource],
  );
  const value = useCallback((c: string, g: string) => bySource[g as (typeof SOURCES)[number]][c] ?? 0, [bySource]);
  return <GroupedBarChart title="Annotation by source" categories={categories} groups={[...SOURCES]} value={value} />;
}

function LengthSection({ stats }: { stats: DatasetStats }) {
  const { chars, words } = stats.length;
  return (
    <section className="stats-section" aria-labelledby="length-heading">
      <h2 id="length-heading">Text length</h2>
      <div className="chart-grid">
        <figure className="chart-card">
          <figcaption>Characters per text</figcaption>
          <HistogramChart
            title="Histogram of text length in characters"
            hist={stats.lengthHistogram.chars}
            xLabel="characters (Unicode code points)"
            markers={[
              { label: 'mean', value: chars.mean },
              { label: 'median', value: chars.p50 },
            ]}
          />
        </figure>
        <figure className="chart-card">
          <figcaption>Words per text</figcaption>
          <HistogramChart
            title="Histogram of text length in words"
            hist={stats.lengthHistogram.words}
            xLabel="words (whitespace-separated)"
            markers={[
              { label: 'mean', value: words.mean },
              { label: 'median', value: words.p50 },
            ]}
          />
        </figure>
        <figure className="chart-card">
          <figcaption>Summary (as the paper’s Table 2)</figcaption>
          <DescribeTable
            caption="Text length"
            columns={[
              { label: 'chars', describe: chars },
              { label: 'words', describe: words },
            ]}
          />
        </figure>
      </div>
    </section>
  );
}

const SMALL_FRAME: Frame = { width: 260, height: 150, margin: { top: 10, right: 10, bottom: 36, left: 36 } };

function FleschSection({ stats }: { stats: DatasetStats }) {
  const keys = useMemo(
    () =>
      orderedCategories(
        Object.fromEntries(Object.entries(stats.flesch.bySentiment).map(([k, d]) => [k, d.count])),
        LABEL_VALUES.sentiment,
      ),
    [stats],
  );
  const groups = useMemo(
    () =>
      keys.filter((k) => stats.flesch.bySentiment[k]).map((k) => ({ key: k, describe: stats.flesch.bySentiment[k]! })),
    [keys, stats],
  );
  return (
    <section className="stats-section" aria-labelledby="flesch-heading">
      <h2 id="flesch-heading">Flesch Reading Ease by sentiment</h2>
      <p className="muted small">
        206.835 − 1.015·(words/sentences) − 84.6·(syllables/words); higher is easier to read (the paper’s Figure 5).
      </p>
      <div className="chart-grid">
        <figure className="chart-card wide">
          <figcaption>
            Distribution per sentiment (box: quartiles, line: median, dot: mean, whiskers: min–max)
          </figcaption>
          <BoxPlotChart title="Flesch Reading Ease by sentiment" groups={groups} xLabel="Flesch Reading Ease" />
        </figure>
        {groups.map((g) => {
          const hist = stats.flesch.histogramBySentiment[g.key];
          return hist ? (
            <figure key={g.key} className="chart-card">
              <figcaption>{g.key}</figcaption>
              <HistogramChart
                title={`Flesch Reading Ease, ${g.key} texts`}
                hist={hist}
                xLabel="Flesch Reading Ease"
                frame={SMALL_FRAME}
                markers={[{ label: 'median', value: g.describe.p50 }]}
              />
            </figure>
          ) : null;
        })}
        <figure className="chart-card wide">
          <figcaption>Summary</figcaption>
          <DescribeTable
            caption="Flesch Reading Ease"
            columns={[
              { label: 'all', describe: stats.flesch.overall },
              ...groups.map((g) => ({ label: g.key, describe: g.describe })),
            ]}
          />
        </figure>
      </div>
    </section>
  );
}

function BenignSection({ describe }: { describe: Describe }) {
  return (
    <section className="stats-section" aria-labelledby="benign-heading">
      <h2 id="benign-heading">Benign change</h2>
      <p className="muted small">
        srlab’s own measure (the paper does not define one): word-level Levenshtein distance between a text and its
        benign variation, divided by the longer word count. 0 = unchanged, 1 = fully rewritten. Over records with a
        benign variation.
      </p>
      {describe.count === 0 ? (
        <p className="muted">No record has a benign variation.</p>
      ) : (
        <div className="chart-grid">
          <figure className="chart-card wide">
            <figcaption>Distribution</figcaption>
            <BoxPlotChart
              title="Benign change"
              groups={[{ key: 'all', describe }]}
              xLabel="normalised word edit distance"
            />
          </figure>
          <figure className="chart-card">
            <figcaption>Summary</figcaption>
            <DescribeTable caption="Benign change" columns={[{ label: 'change', describe }]} digits={3} />
          </figure>
        </div>
      )}
    </section>
  );
}

const DESCRIBE_ROWS: { key: keyof Describe; label: string }[] = [
  { key: 'count', label: 'count' },
  { key: 'mean', label: 'mean' },
  { key: 'std', label: 'std' },
  { key: 'min', label: 'min' },
  { key: 'p25', label: '25%' },
  { key: 'p50', label: '50%' },
  { key: 'p75', label: '75%' },
  { key: 'max', label: 'max' },
];

export function DescribeTable({
  caption,
  columns,
  digits = 1,
}: {
  caption: string;
  columns: { label: string; describe: Describe }[];
  digits?: number;
}) {
  return (
    <table className="data-table describe">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col" />
          {columns.map((c) => (
            <th key={c.label} scope="col" className="num">
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {DESCRIBE_ROWS.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            {columns.map((c) => (
              <td key={c.label} className="num">
                {r.key === 'count' ? formatCount(c.describe.count) : formatNumber(c.describe[r.key], digits)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
