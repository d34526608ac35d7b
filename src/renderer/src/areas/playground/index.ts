// The Playground: one text through a template to a local model or an endpoint, streamed.
import { defineArea } from '../area';
import { PlaygroundArea } from './PlaygroundArea';
import { usePlaygroundStore } from './playground';

export const playgroundArea = defineArea({
  id: 'playground',
  label: 'Playground',
  icon: '✎',
  Component: PlaygroundArea,
  onEvent(event) {
    if (event.type === 'chat-token') usePlaygroundStore.getState().onToken(event.streamId, event.text);
  },
});
