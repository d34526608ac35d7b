// The first-run checklist's state: the facts it ticks from (datasets, models, generation and
// training runs, evaluations, asked of the core) and whether the user dismissed it (remembered in
// localStorage: per desktop install, or per serve-mode address in a browser).
import { create } from 'zustand';
import { api } from '../api';
import type { ApiEvent } from '../../../shared/api';
import type { FirstRunFacts } from '../lib/firstRun';

const DISMISSED_KEY = 'srlab.firstRun.dismissed';

function storedDismissed(): boolean {
  try {
    return localStorage.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

interface FirstRunState {
  facts: FirstRunFacts | null;
  dismissed: boolean;
  load(): Promise<void>;
  dismiss(): void;
  /** A server event that may tick a step: reload the facts. */
  onEvent(event: ApiEvent): void;
}

export const useFirstRunStore = create<FirstRunState>()((set, get) => ({
  facts: null,
  dismissed: storedDismissed(),
  async load() {
    try {
      const [datasets, models, runs, trainRuns, evaluations] = await Promise.all([
        api.call('datasets.list', {}),
        api.call('models.list', {}),
        api.call('runs.list', { limit: 1000 }),
        api.call('train.list', { limit: 500 }),
        api.call('evaluation.list', { limit: 100 }),
      ]);
      set({
        facts: {
          datasets: datasets.datasets,
          models: models.models.length,
          runs: runs.runs,
          trainRuns: trainRuns.runs,
          evaluations: evaluations.evaluations,
        },
      });
    } catch (err) {
      // A guide, not a control: on failure it keeps what it showed (or stays hidden), and the
      // areas themselves report the error when the user goes there.
      console.warn('srlab: the getting-started checklist could not load', err);
    }
  },
  dismiss() {
    try {
      localStorage.setItem(DISMISSED_KEY, '1');
    } catch {
      // remembered for this page only
    }
    set({ dismissed: true });
  },
  onEvent(event) {
    if (get().dismissed) return;
    const ticks =
      event.type === 'datasets-changed' ||
      event.type === 'models-changed' ||
      ((event.type === 'run' || event.type === 'train-run') && event.run.state === 'succeeded') ||
      (event.type === 'evaluation' && event.evaluation.state === 'succeeded');
    if (ticks) void get().load();
  },
}));
