// The figures service (core.figures): the kinds there are, a spec rendered to SVG, and a spec
// exported as a file (SVG, PNG, PDF) with its caption, data CSV and spec JSON beside it.
import { z } from 'zod';
import {
  DEFAULT_DPI,
  type FigureExported,
  type FigureKindInfo,
  type FigureRendered,
} from '../../../shared/contracts/figures';
import type { FigureFormat, FigureSpec, FigureSpecInput } from '../../../shared/figures/spec';
import { rowsToCsv } from './csv';
import type { FigureDataDeps } from './deps';
import { figureFile } from './export';
import { renderFigure } from './render';

export type { FigureDataDeps } from './deps';

/** The spec file: stable key order and 2-space indent, so a redraw from it is diffable. */
export function specJson(spec: FigureSpec): string {
  return `${JSON.stringify(spec, null, 2)}\n`;
}

/** A file name that says what the figure is: kind, source, width (no path). */
export function figureFileName(spec: FigureSpec, format: FigureFormat): string {
  const source =
    spec.source.kind === 'evaluation'
      ? `evaluation-${spec.source.evaluation}`
      : spec.source.kind === 'dataset'
        ? `${spec.source.dataset}-${spec.source.split}`
        : spec.source.kind === 'humaneval'
          ? `humaneval-${spec.source.session}`
          : 'input';
  return `${spec.kind}-${source}-${spec.width}.${format}`.replace(/[^\w.-]+/g, '_');
}

export interface ExportedFigure extends Omit<FigureExported, 'base64'> {
  bytes: Buffer;
  rendered: FigureRendered;
}

export type FiguresService = ReturnType<typeof createFiguresService>;

export function createFiguresService(deps: FigureDataDeps) {
  return {
    async kinds(): Promise<FigureKindInfo[]> {
      const { figureKinds } = await import('../../../shared/figures/kinds');
      return figureKinds().map((d) => ({
        kind: d.kind,
        label: d.label,
        sources: [...d.sources],
        options: z.toJSONSchema(d.options, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
      }));
    },
    render: (spec: FigureSpecInput | FigureSpec): Promise<FigureRendered> => renderFigure(spec, deps),
    async export(spec: FigureSpecInput | FigureSpec, format: FigureFormat, dpi = DEFAULT_DPI): Promise<ExportedFigure> {
      const rendered = await renderFigure(spec, deps);
      const file = await figureFile(rendered.svg, format, rendered, dpi);
      return {
        fileName: figureFileName(rendered.spec, format),
        mime: file.mime,
        bytes: file.bytes,
        caption: rendered.caption,
        dataCsv: rowsToCsv(rendered.rows),
        specJson: specJson(rendered.spec),
        width: rendered.width,
        height: rendered.height,
        rendered,
      };
    },
  };
}
