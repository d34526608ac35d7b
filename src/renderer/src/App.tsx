import { AREAS } from './areas';
import { Header } from './components/Header';
import { Nav } from './components/Nav';
import { selectArea, useAreaStore } from './stores/area';
import { selectActingAs, useEvaluatorMode } from './stores/evaluator-mode';
import { EvaluatorModeShell } from './areas/people/EvaluatorModeShell';

export function App() {
  const area = useAreaStore(selectArea);
  const actingAs = useEvaluatorMode(selectActingAs);
  const shown = AREAS.find((a) => a.id === area);
  // Evaluator mode: the window belongs to the evaluator — no nav, no header, no lab data.
  if (actingAs) return <EvaluatorModeShell actingAs={actingAs} />;
  return (
    <div className="shell">
      <Header />
      <Nav />
      <main className="shell-main" id="main">
        {shown && <shown.Component />}
      </main>
    </div>
  );
}
