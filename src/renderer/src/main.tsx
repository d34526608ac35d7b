// React Fast Refresh's preamble as a module (empty in builds): the strict CSP blocks the inline one.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useDatasetsStore } from './stores/datasets';
import { useJobsStore } from './stores/jobs';
import { wireEvents } from './stores/wireEvents';
import './styles/app.css';

wireEvents();
void useJobsStore.getState().load();
void useDatasetsStore.getState().load();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
