// The evaluator's page (serve mode, evaluator token): who is signed in and for which scoring
// session. Scoring itself arrives with sessions (issue 13); until then the page says so plainly.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EvaluatorPage } from './EvaluatorPage';
import './evaluator.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <EvaluatorPage />
  </StrictMode>,
);
