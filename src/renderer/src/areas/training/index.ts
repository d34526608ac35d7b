// The Training area: LoRA fine-tuning runs with live curves, and the Python worker's setup.
import { defineArea } from '../area';
import { TrainingArea } from './TrainingArea';
import { useTrainingStore } from './training';
import { useWorkerStore } from './worker';

export const trainingArea = defineArea({
  id: 'training',
  label: 'Training',
  icon: '↗',
  Component: TrainingArea,
  onEvent(event) {
    switch (event.type) {
      case 'job':
        // The worker panel follows its setup / doctor jobs.
        useWorkerStore.getState().onJob(event.job);
        return;
      case 'train-run':
        useTrainingStore.getState().upsert(event.run);
        return;
      case 'train-metric':
        useTrainingStore.getState().onMetric(event.runId, event.metric);
        return;
    }
  },
});
