import { DatasetsArea } from './areas/datasets/DatasetsArea';
import { ModelsArea } from './areas/models/ModelsArea';
import { PlaygroundArea } from './areas/playground/PlaygroundArea';
import { RunsArea } from './areas/runs/RunsArea';
import { TrainingArea } from './areas/training/TrainingArea';
import { Header } from './components/Header';
import { Nav } from './components/Nav';
import { selectArea, useAreaStore } from './stores/area';

export function App() {
  const area = useAreaStore(selectArea);
  return (
    <div className="shell">
      <Header />
      <Nav />
      <main className="shell-main" id="main">
        {area === 'datasets' && <DatasetsArea />}
        {area === 'models' && <ModelsArea />}
        {area === 'playground' && <PlaygroundArea />}
        {area === 'runs' && <RunsArea />}
        {area === 'training' && <TrainingArea />}
      </main>
    </div>
  );
}
