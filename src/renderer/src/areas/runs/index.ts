// The Runs area: generation runs over a dataset split or a list of texts, with live progress.
import { defineArea } from '../area';
import { useRunsStore } from './runs';
import { RunsArea } from './RunsArea';

export const runsArea = defineArea({
  id: 'runs',
  label: 'Runs',
  icon: '≡',
  Component: RunsArea,
  onEvent(event) {
    if (event.type === 'run') useRunsStore.getState().upsert(event.run);
    else if (event.type === 'run-item') useRunsStore.getState().onItem(event.runId, event.item);
  },
});
