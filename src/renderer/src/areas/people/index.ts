// The People area: blind human evaluation sessions and CMD annotation rounds — the lab's side
// (create, invite, follow progress, results, adjudicate). Evaluators themselves see only the
// evaluator page (serve mode's evaluator bundle, or this app's evaluator mode).
import { defineArea } from '../area';
import { PeopleArea } from './PeopleArea';
import { usePeopleStore } from './people';

export const peopleArea = defineArea({
  id: 'people',
  label: 'People',
  icon: '☺',
  Component: PeopleArea,
  onEvent(event) {
    // Widened: the union may not name these events while the capabilities are being wired.
    const type: string = event.type;
    if (type === 'humaneval-changed') usePeopleStore.getState().changed('humaneval');
    else if (type === 'rounds-changed') usePeopleStore.getState().changed('rounds');
  },
});
