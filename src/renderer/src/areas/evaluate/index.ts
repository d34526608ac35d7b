// The Evaluate area: generators × test sets × scorers as one resumable job, the paper's tables
// with reference rows and provenance, the items behind them, and a leaderboard across evaluations.
import { defineArea } from '../area';
import { EvaluateArea } from './EvaluateArea';
import { useEvaluateStore } from './evaluate';

export const evaluateArea = defineArea({
  id: 'evaluate',
  // The nav's planned "Evaluation" entry (Nav.tsx) gives way to an area of that label.
  label: 'Evaluation',
  icon: '▦',
  Component: EvaluateArea,
  onEvent(event) {
    if (event.type === 'evaluation') useEvaluateStore.getState().upsert(event.evaluation);
    // A new test set or embedded classifier: the New evaluation form offers it.
    else if (event.type === 'testsets-changed' || event.type === 'scorers-changed')
      void useEvaluateStore.getState().loadChoices();
  },
});
