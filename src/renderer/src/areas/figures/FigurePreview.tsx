// The preview: the kind's own React component (from the shared kinds registry) drawn with the
// figure's data, so what the user sees is what the exports render; a drag (network nodes) comes
// back through onAdjust and stays in the spec. Where the component cannot be drawn here (no data
// came with the drawing), the server's SVG shows as an image instead.
import { createElement } from 'react';
import type { FigureRendered } from '../../../../shared/contracts/figures';
import { figureKind } from '../../../../shared/figures/kinds';
import type { FigureDraft } from './figureForm';
import { useFiguresStore } from './figures';
import { previewModel, svgImageSource } from './previewModel';

export function FigurePreview({ rendered, draft }: { rendered: FigureRendered; draft: FigureDraft }) {
  const def = figureKind(rendered.spec.kind);
  const model = previewModel(def, draft, rendered);
  if (def && model)
    return (
      <div className="figures-canvas" data-testid="figure-preview" data-kind={def.kind} data-drawn-by="component">
        {createElement(def.Component, {
          ...model,
          onAdjust: (options: Record<string, unknown>) => useFiguresStore.getState().adjust(options),
        })}
      </div>
    );
  return (
    <div className="figures-canvas" data-testid="figure-preview" data-kind={rendered.spec.kind} data-drawn-by="server">
      <img src={svgImageSource(rendered.svg)} alt={rendered.caption} width={rendered.width * (4 / 3)} />
    </div>
  );
}
