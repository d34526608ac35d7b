// The evaluator's page (serve mode, evaluator token): blind scoring or annotation, whichever the
// invitation link is for. Its own bundle: nothing of the lab's UI code is loaded here.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EvaluatorPage } from './EvaluatorPage';
import './page.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <EvaluatorPage />
  </StrictMode>,
);
