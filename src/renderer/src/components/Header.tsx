import { api } from '../api';
import { JobsIndicator } from './JobsIndicator';

export function Header() {
  return (
    <header className="shell-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">srlab</span>
        <span className="brand-sub">safe &amp; responsible LLM lab</span>
      </div>
      <div className="header-right">
        <span className="face-tag" title={api.face === 'browser' ? 'Served by `srlab serve`' : 'Desktop app'}>
          {api.face === 'browser' ? 'browser' : 'desktop'}
        </span>
        <JobsIndicator />
      </div>
    </header>
  );
}
