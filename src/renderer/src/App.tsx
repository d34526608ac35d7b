import { AREAS } from './areas';
import { Header } from './components/Header';
import { Nav } from './components/Nav';
import { selectArea, useAreaStore } from './stores/area';

export function App() {
  const area = useAreaStore(selectArea);
  const shown = AREAS.find((a) => a.id === area);
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
