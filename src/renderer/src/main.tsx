// React Fast Refresh's preamble as a module (empty in builds): the strict CSP blocks the inline one.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AREA_IDS, AREAS } from './areas';
import { startAreaRouting } from './stores/area';
import { useJobsStore } from './stores/jobs';
import { wireEvents } from './stores/wireEvents';
import './styles/app.css';

wireEvents();
startAreaRouting(AREA_IDS);
void useJobsStore.getState().load();
for (const area of AREAS) area.onStart?.();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
