// The first-run checklist's logic: which steps of the SR_LLM workflow this data home has done,
// derived from real state only (what the list calls return), never from clicks.
// srlab's choice: the demo dataset (already imported and split on a new data home) counts for
// neither "import" nor "split", so a new user starts at step one.
import type { DatasetSummary } from '../../../shared/contracts/datasets';
import type { EvaluationSummary } from '../../../shared/contracts/evaluation';
import type { RunSummary } from '../../../shared/contracts/runs';
import type { TrainRun } from '../../../shared/contracts/training';
import type { AreaId } from '../areas';

/** The dataset a new data home starts with (src/main/core/index.ts DEMO_DATASET; a test keeps them equal). */
export const DEMO_DATASET = 'cmd-demo';

export interface FirstRunFacts {
  datasets: Pick<DatasetSummary, 'name' | 'records' | 'splits'>[];
  models: number;
  runs: Pick<RunSummary, 'state'>[];
  trainRuns: Pick<TrainRun, 'state'>[];
  evaluations?: Pick<EvaluationSummary, 'state'>[];
}

export type StepId = 'import' | 'split' | 'model' | 'generate' | 'train' | 'evaluate';

export interface ChecklistStep {
  id: StepId;
  label: string;
  /** Where the step is done; null while that area is not built yet. */
  area: AreaId | null;
  done: boolean;
  /** Not built yet: shown as "coming", never as a link. */
  coming: boolean;
}

function ownDatasets(facts: FirstRunFacts) {
  return facts.datasets.filter((d) => d.name !== DEMO_DATASET && d.records > 0);
}

export function checklistSteps(facts: FirstRunFacts): ChecklistStep[] {
  const own = ownDatasets(facts);
  const step = (id: StepId, label: string, area: AreaId | null, done: boolean): ChecklistStep => ({
    id,
    label,
    area,
    done,
    coming: area === null,
  });
  return [
    step('import', 'Import your own data', 'datasets', own.length > 0),
    step(
      'split',
      'Split it into train, dev, test',
      'datasets',
      own.some((d) => d.splits.train + d.splits.dev + d.splits.test > 0),
    ),
    step('model', 'Add a model', 'models', facts.models > 0),
    step(
      'generate',
      'Generate rewrites',
      'runs',
      facts.runs.some((r) => r.state === 'succeeded'),
    ),
    step(
      'train',
      'Fine-tune on your split',
      'training',
      facts.trainRuns.some((r) => r.state === 'succeeded'),
    ),
    step(
      'evaluate',
      'Evaluate',
      'evaluate',
      (facts.evaluations ?? []).some((e) => e.state === 'succeeded'),
    ),
  ];
}

/** Every step that exists is done (the "coming" ones cannot be). */
export function allDone(steps: ChecklistStep[]): boolean {
  return steps.every((s) => s.coming || s.done);
}

/**
 * Whether the checklist shows: from a first run (nothing but the demo: no step done) until it is
 * dismissed or every built step is done. A data home that has done some steps already shows it
 * too, with those ticked (srlab's choice: the list tells where the rest is; one click hides it).
 */
export function showChecklist(steps: ChecklistStep[], dismissed: boolean): boolean {
  return !dismissed && !allDone(steps);
}
