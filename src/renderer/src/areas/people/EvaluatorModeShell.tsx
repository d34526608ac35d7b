// Evaluator mode in the lab's window: only the evaluator page, acting as the chosen evaluator or
// annotator through the lab's own client (which sends `as`). Leaving asks first — the person in
// front of the screen is usually the evaluator, not the researcher.
import { useState } from 'react';
import { EvaluatorPage } from '../../../evaluator/EvaluatorPage';
import { Dialog } from '../../components/Dialog';
import type { ActingAs } from '../../stores/evaluator-mode';
import { useEvaluatorMode } from '../../stores/evaluator-mode';
import { labCall } from './lab';

export function EvaluatorModeShell({ actingAs }: { actingAs: ActingAs }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <EvaluatorPage actingAs={actingAs} call={labCall} onLeave={() => setConfirming(true)} />
      {confirming && (
        // Keys pressed in the question must not reach the page's scoring keys (a document listener).
        <div onKeyDown={(e) => e.stopPropagation()}>
          <Dialog
            title="Leave evaluator mode?"
            onClose={() => setConfirming(false)}
            footer={
              <>
                <button type="button" className="btn ghost" onClick={() => setConfirming(false)}>
                  Stay
                </button>
                <button type="button" className="btn primary" onClick={() => useEvaluatorMode.getState().leave()}>
                  Leave
                </button>
              </>
            }
          >
            <p>The evaluator’s answers are saved.</p>
          </Dialog>
        </div>
      )}
    </>
  );
}
