import { DatasetsArea } from './areas/datasets/DatasetsArea';
import { Header } from './components/Header';
import { Nav } from './components/Nav';

export function App() {
  return (
    <div className="shell">
      <Header />
      <Nav />
      <main className="shell-main" id="main">
        <DatasetsArea />
      </main>
    </div>
  );
}
