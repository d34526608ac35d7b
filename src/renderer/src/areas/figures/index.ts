// The Figures area: publication figures from an evaluation, a dataset or numbers given inline,
// previewed with each kind's own component and exported as SVG, PNG (chosen DPI) and PDF, with
// the data CSV and the spec JSON beside them.
import { defineArea } from '../area';
import { FiguresArea } from './FiguresArea';
import { useFiguresStore } from './figures';

export const figuresArea = defineArea({
  id: 'figures',
  // The nav's planned "Figures" entry (Nav.tsx) gives way to an area of that label.
  label: 'Figures',
  icon: '◔',
  Component: FiguresArea,
  onEvent(event) {
    // The evaluation picker's list is the Evaluate area's (its onEvent keeps it live); the
    // figure drawn from an evaluation that just finished is drawn again with its final numbers.
    if (event.type !== 'evaluation' || event.evaluation.state !== 'succeeded') return;
    const { draft } = useFiguresStore.getState();
    if (draft.sourceKind === 'evaluation' && draft.evaluation === event.evaluation.id)
      void useFiguresStore.getState().redraw();
  },
});
