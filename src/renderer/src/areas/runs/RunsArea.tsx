// Runs: generation runs (a benign variation for every record of a split or every text of a test
// set), live progress with tokens/s, and the side-by-side table of original vs generated text.
import { useEffect } from 'react';
import { useDatasetsStore } from '../datasets/datasets';
import { useEndpointsStore } from '../models/endpoints';
import { useModelsStore } from '../models/models';
import { selectNewRun, selectRunsStatus, selectSelectedRun, useRunsStore } from './runs';
import { useTemplatesStore } from '../../stores/templates';
import { useShallow } from 'zustand/react/shallow';
import '../../styles/llm.css';
import { NewRunDialog } from './NewRunDialog';
import { RunDetails } from './RunDetails';
import { RunList } from './RunList';

export function RunsArea() {
  const run = useRunsStore(selectSelectedRun);
  const newRun = useRunsStore(selectNewRun);
  const { loaded } = useRunsStore(useShallow(selectRunsStatus));

  useEffect(() => {
    void useRunsStore.getState().load();
    void useModelsStore.getState().load();
    void useEndpointsStore.getState().load();
    void useTemplatesStore.getState().load();
    if (!useDatasetsStore.getState().loaded) void useDatasetsStore.getState().load();
  }, []);

  return (
    <div className="lab-area">
      <RunList />
      <section className="lab-main" aria-label="Run">
        {run ? (
          <RunDetails key={run.id} run={run} />
        ) : loaded ? (
          <NoRun />
        ) : (
          <div className="empty-state">Loading runs…</div>
        )}
      </section>
      {newRun && <NewRunDialog preset={newRun} />}
    </div>
  );
}

function NoRun() {
  const open = useRunsStore((s) => s.openNewRun);
  return (
    <div className="empty-state">
      <h2>No run yet</h2>
      <p>
        A generation run rewrites every record of a dataset split (or every text of a test set) with a model, greedy by
        default as in the paper. Items are stored as they finish; a run survives a crash and resumes where it stopped.
      </p>
      <button type="button" className="btn primary" onClick={() => open()}>
        New run…
      </button>
    </div>
  );
}
