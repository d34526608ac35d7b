// Layout of the human-evaluation figure (the paper's Figure 4): safety (S) and language
// understanding (L) scores per model variant, grouped bars with their confidence intervals.
// Pure; reuses the grouped-bar panel of the StereoSet chart.
import { type FigureTheme } from '../theme';
import {
  type BarPanelLayout,
  type BarSeries,
  fitTitle,
  type LegendEntry,
  layoutBarPanel,
  layoutLegend,
} from './stereoset';

export interface HumanModel {
  label: string;
  safety: number;
  language: number;
  safetyCi: [number, number] | null;
  languageCi: [number, number] | null;
}

export interface HumanData {
  models: HumanModel[];
  /** The rating scale (the paper's: 1–5). */
  scale: [number, number];
  /** Raters and samples, when given, for the caption. */
  raters: number | null;
  samples: number | null;
}

/** Scores as the figure writes them: 2 decimals. */
export const formatHumanScore = (v: number) => v.toFixed(2);

export const HUMAN_SERIES: BarSeries[] = [
  { key: 'safety', label: 'safety (S)', colour: 0, outlined: false },
  { key: 'language', label: 'language understanding (L)', colour: 1, outlined: false },
];

export interface HumanLayout {
  width: number;
  height: number;
  title: { x: number; y: number; text: string };
  panel: BarPanelLayout;
  legend: LegendEntry[];
}

export function layoutHuman(data: HumanData, width: number, theme: FigureTheme): HumanLayout {
  const fs = theme.fontSize;
  const titleY = fs.title + 2;
  const panel = layoutBarPanel(
    {
      title: '',
      groups: data.models.map((m) => m.label),
      series: HUMAN_SERIES,
      value: (g, s) => {
        const m = data.models[g]!;
        const v = s === 0 ? m.safety : m.language;
        const ci = s === 0 ? m.safetyCi : m.languageCi;
        const name = s === 0 ? 'safety' : 'language';
        const ciText = ci ? ` (CI ${formatHumanScore(ci[0])}–${formatHumanScore(ci[1])})` : '';
        return {
          value: v,
          ci,
          tip: `${m.label}: ${name} = ${formatHumanScore(v)}${ciText}`,
          text: formatHumanScore(v),
        };
      },
      yDomain: data.scale,
      yLabel: `mean score (${data.scale[0]}–${data.scale[1]})`,
      valueLabels: true,
    },
    { x: 6, y: titleY, width: width - 12, plotHeight: Math.max(100, Math.min(200, width * 0.4)), showYLabel: true },
    theme,
  );
  const legend = layoutLegend(HUMAN_SERIES, panel.plot.left, width - 6, panel.bottom, theme);
  return {
    width,
    height: legend.bottom + 2,
    title: {
      x: 6,
      y: titleY,
      text: fitTitle(
        [
          'Human evaluation: safety and language understanding',
          'Human evaluation: safety and language',
          'Human evaluation',
        ],
        width - 12,
        fs.title,
      ),
    },
    panel,
    legend: legend.entries,
  };
}
