// Dataset figures from the dataset statistics (the Statistics charts, exportable): label
// distributions per label and split, length histograms (characters or words), and Flesch
// Reading Ease by sentiment (the paper's Figure 5). Label values and sentiments are dataset
// text: untrusted, rendered as SVG text (React escapes it).
import { z } from 'zod';
import { DatasetStats } from '../../contracts/datasets';
import type { FigureKindDefinition, FigureProps } from '../kind';
import { FIGURE_PAD, FigureSvg, FigureTitle, fitTitle, paddedInner } from '../parts/frame';
import { HLine } from '../parts/axis';
import {
  type HistogramsLayout,
  type LabelsLayout,
  labelSeries,
  LABEL_FIELDS,
  layoutHistograms,
  layoutLabels,
  sentimentKeys,
} from '../layout/dataset';
import { BOLD_FACTOR, fitText } from '../layout/table';
import { type FigureTheme, textWidth } from '../theme';
import { Swatch } from './bars';

export interface DatasetFigureData {
  dataset: string;
  /** The split the statistics cover; null: every record. */
  split: string | null;
  stats: DatasetStats;
}

export const DatasetOptions = z.object({
  chart: z.enum(['labels', 'length', 'flesch']).default('labels'),
  /** Length histogram unit. */
  unit: z.enum(['chars', 'words']).default('words'),
  /** Label distributions: one bar per split (when the statistics cover every split). */
  bySplit: z.boolean().default(true),
});
export type DatasetOptions = z.infer<typeof DatasetOptions>;

const UNIT_LABEL = { chars: 'Length (characters)', words: 'Length (words)' } as const;

function title(data: DatasetFigureData, options: DatasetOptions): string {
  const where = `${data.dataset}${data.split ? ` (${data.split})` : ''}`;
  if (options.chart === 'labels') return `Label distribution: ${where}`;
  if (options.chart === 'length') return `Text length: ${where}`;
  return `Flesch Reading Ease by sentiment: ${where}`;
}

/** The title, with "Flesch Reading Ease" shortened to FRE when the full one does not fit. */
function fittedTitle(data: DatasetFigureData, options: DatasetOptions, width: number, fontSize: number): string {
  const t = title(data, options);
  if (textWidth(t, fontSize) * BOLD_FACTOR <= width) return t;
  return fitTitle(t.replace('Flesch Reading Ease', 'FRE'), width, fontSize);
}

function histItems(data: DatasetFigureData, options: DatasetOptions) {
  const s = data.stats;
  if (options.chart === 'length')
    return [{ title: '', hist: s.lengthHistogram[options.unit], describe: s.length[options.unit], median: true }];
  return sentimentKeys(s).map((k) => ({
    title: k,
    hist: s.flesch.histogramBySentiment[k]!,
    describe: s.flesch.bySentiment[k] ?? {
      count: 0,
      mean: null,
      std: null,
      min: null,
      p25: null,
      p50: null,
      p75: null,
      max: null,
    },
    median: false,
  }));
}

type Layout = { kind: 'labels'; l: LabelsLayout } | { kind: 'hist'; l: HistogramsLayout };

function layoutFor(data: DatasetFigureData, options: DatasetOptions, width: number, theme: FigureTheme): Layout {
  if (options.chart === 'labels')
    return { kind: 'labels', l: layoutLabels(data.stats, options.bySplit, width, theme.fontSize, theme.categorical) };
  const xLabel = options.chart === 'length' ? UNIT_LABEL[options.unit] : 'Flesch Reading Ease (higher: easier to read)';
  return { kind: 'hist', l: layoutHistograms(histItems(data, options), xLabel, width, theme.fontSize) };
}

function LabelsChart({ l, theme }: { l: LabelsLayout; theme: FigureTheme }) {
  const fs = theme.fontSize;
  const text = { fontFamily: theme.fontFamily, fill: theme.foreground };
  return (
    <>
      <g className="legend">
        {l.legend.map((e) => (
          <Swatch key={e.key} e={e} theme={theme} size={8} />
        ))}
      </g>
      {l.panels.map((p) => (
        <g key={p.field} className="panel" data-field={p.field}>
          <text x={p.x} y={p.y} fontSize={fs.label} fontWeight="bold" {...text}>
            {p.title}
          </text>
          {p.values.map((v) => (
            <text key={v.value} x={p.x + p.labelWidth - 4} y={v.y} fontSize={fs.tick} textAnchor="end" {...text}>
              <title>{v.value}</title>
              {fitText(v.value, p.labelWidth - 6, fs.tick)}
            </text>
          ))}
          {p.bars.map((b) => (
            <g key={`${b.value}|${b.series}`} data-count={b.count}>
              <title>{`${p.title} = ${b.value} (${b.series}): ${b.count}`}</title>
              <rect x={b.x} y={b.y} width={b.width} height={b.height} fill={b.colour} />
              <text
                x={b.x + b.width + 2}
                y={b.y + b.height / 2 + fs.annotation * 0.35}
                fontSize={fs.annotation}
                {...text}
              >
                {b.count}
              </text>
            </g>
          ))}
          <HLine
            x1={p.x + p.labelWidth}
            x2={p.x + p.width}
            y={p.axisY}
            stroke={theme.muted}
            strokeWidth={theme.strokeWidth}
          />
          {p.ticks.map((t) => (
            <text key={t.value} x={t.pos} y={p.axisY + fs.tick * 1.2} fontSize={fs.tick} textAnchor="middle" {...text}>
              {t.value}
            </text>
          ))}
          <text
            x={p.x + p.width}
            y={p.axisY + fs.tick * 2.4}
            fontSize={fs.tick}
            textAnchor="end"
            fill={theme.muted}
            fontFamily={theme.fontFamily}
          >
            Records
          </text>
        </g>
      ))}
    </>
  );
}

function HistogramChart({ l, theme }: { l: HistogramsLayout; theme: FigureTheme }) {
  const fs = theme.fontSize;
  const text = { fontFamily: theme.fontFamily, fill: theme.foreground };
  const colour = theme.categorical[0]!;
  const markColour = theme.categorical[3] ?? theme.foreground;
  return (
    <>
      {l.panels.map((p, i) => (
        <g key={i} className="panel">
          <text x={0} y={p.top - fs.annotation * 0.6} fontSize={fs.annotation} {...text}>
            {p.title ? (
              <tspan fontWeight="bold">{fitText(`${p.title}: `, l.plot.right / 2, fs.annotation)}</tspan>
            ) : null}
            {fitText(
              p.note,
              (l.plot.right - l.plot.left - (p.title ? textWidth(`${p.title}: `, fs.annotation) * BOLD_FACTOR : 0)) *
                0.95,
              fs.annotation,
            )}
          </text>
          {l.yTicks[i]!.map((t) => (
            <g key={t.value}>
              <HLine x1={l.plot.left} x2={l.plot.right} y={t.pos} stroke={theme.grid} strokeWidth={theme.strokeWidth} />
              <text x={l.plot.left - 3} y={t.pos + fs.tick * 0.35} fontSize={fs.tick} textAnchor="end" {...text}>
                {t.value}
              </text>
            </g>
          ))}
          {p.bars.map((b, k) => (
            <rect key={k} x={b.x} y={b.y} width={b.width} height={b.height} fill={colour} data-count={b.count}>
              <title>{`[${b.from}, ${b.to}): ${b.count}`}</title>
            </rect>
          ))}
          <HLine
            x1={l.plot.left}
            x2={l.plot.right}
            y={p.bottom}
            stroke={theme.foreground}
            strokeWidth={theme.strokeWidth}
          />
          {p.marks.map((m) => (
            <g key={m.label}>
              <line
                x1={m.x}
                x2={m.x}
                y1={p.top}
                y2={p.bottom}
                stroke={markColour}
                strokeWidth={theme.strokeWidth * 1.5}
                strokeDasharray={m.dashed ? '3 2' : undefined}
              />
              <text x={m.x + 2} y={p.top + fs.annotation * (m.dashed ? 2.2 : 1)} fontSize={fs.annotation} {...text}>
                {m.label}
              </text>
            </g>
          ))}
        </g>
      ))}
      {l.xTicks.map((t) => (
        <text key={t.value} x={t.pos} y={l.axisY + fs.tick * 1.2} fontSize={fs.tick} textAnchor="middle" {...text}>
          {t.value}
        </text>
      ))}
      <text
        x={(l.plot.left + l.plot.right) / 2}
        y={l.axisY + fs.tick * 1.5 + fs.label * 1.2}
        fontSize={fs.label}
        textAnchor="middle"
        {...text}
      >
        {l.xLabel}
      </text>
      <text
        transform={`translate(${fs.label}, ${((l.panels[0]?.top ?? l.axisY) + l.axisY) / 2}) rotate(-90)`}
        fontSize={fs.label}
        textAnchor="middle"
        {...text}
      >
        {l.yLabel}
      </text>
    </>
  );
}

function DatasetFigure({ data, options, theme, size }: FigureProps<DatasetFigureData, DatasetOptions>) {
  const inner = paddedInner(size);
  const layout = layoutFor(data, options, inner.width, theme);
  const t = title(data, options);
  return (
    <FigureSvg size={size} padded theme={theme} label={t}>
      <FigureTitle y={layout.l.titleY} theme={theme} fontFamily={theme.fontFamily}>
        {fittedTitle(data, options, inner.width, theme.fontSize.title)}
      </FigureTitle>
      {layout.kind === 'labels' ? (
        <LabelsChart l={layout.l} theme={theme} />
      ) : (
        <HistogramChart l={layout.l} theme={theme} />
      )}
    </FigureSvg>
  );
}

const DatasetInput = z.object({
  dataset: z.string().trim().min(1).max(200).default('input'),
  stats: DatasetStats,
});

function csvRows(data: DatasetFigureData, options: DatasetOptions): (string | number | null)[][] {
  const s = data.stats;
  if (options.chart === 'labels') {
    const out: (string | number | null)[][] = [['dataset', 'split', 'label', 'value', 'count']];
    for (const series of labelSeries(s, options.bySplit))
      for (const [field] of LABEL_FIELDS)
        for (const [value, count] of Object.entries(series.counts[field] as Record<string, number>))
          out.push([data.dataset, series.key, field, value, count]);
    return out;
  }
  const out: (string | number | null)[][] = [['dataset', 'split', 'series', 'bin_from', 'bin_to', 'count']];
  for (const it of histItems(data, options))
    it.hist.counts.forEach((count, k) =>
      out.push([
        data.dataset,
        data.split ?? 'all',
        it.title || options.unit,
        it.hist.edges[k]!,
        it.hist.edges[k + 1]!,
        count,
      ]),
    );
  return out;
}

export const datasetKind: FigureKindDefinition<DatasetFigureData, DatasetOptions> = {
  kind: 'dataset',
  label: 'Dataset statistics: label distributions, length histograms, FRE by sentiment (Figure 5)',
  sources: ['dataset', 'input'],
  options: DatasetOptions,
  parseInput: (input) => {
    const parsed = DatasetInput.safeParse(input);
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      throw new Error(`input.${first.path.join('.') || 'stats'}: ${first.message}`);
    }
    return { dataset: parsed.data.dataset, split: parsed.data.stats.split, stats: parsed.data.stats };
  },
  height: (data, options, width, theme) =>
    layoutFor(data, options, width - 2 * FIGURE_PAD, theme).l.height + 2 * FIGURE_PAD,
  Component: DatasetFigure,
  caption: (data, options) => {
    const where = `dataset "${data.dataset}"${data.split ? `, split ${data.split}` : ''}, ${data.stats.records} records`;
    if (options.chart === 'labels') {
      const series = labelSeries(data.stats, options.bySplit);
      return `Label distributions of ${where}: records per value of each CMD label${series.length > 1 ? `, per split (${series.map((x) => x.key).join(', ')})` : ''}; "(missing)" counts records without the label. From srlab's dataset statistics.`;
    }
    if (options.chart === 'length')
      return `Length histogram of ${where}, in ${options.unit === 'chars' ? 'characters' : 'words'}; solid line: mean, dashed: median. From srlab's dataset statistics.`;
    return `Flesch Reading Ease by sentiment (Figure 5) for ${where}: one histogram per sentiment on shared axes, the solid line at each mean. From srlab's dataset statistics.`;
  },
  rows: csvRows,
};
