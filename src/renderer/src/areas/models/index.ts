// The Models area: the local model library (pull, add, inspect, preflight, remove) and endpoints.
import { defineArea } from '../area';
import { ModelsArea } from './ModelsArea';
import { useModelsStore } from './models';

export const modelsArea = defineArea({
  id: 'models',
  label: 'Models',
  icon: '◇',
  Component: ModelsArea,
  onEvent(event) {
    if (event.type === 'models-changed') void useModelsStore.getState().load();
  },
});
