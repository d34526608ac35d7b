const LATER_AREAS = ['Models', 'Training', 'Evaluation', 'Scoring', 'Figures'] as const;

export function Nav() {
  return (
    <nav className="shell-nav" aria-label="Areas">
      <ul>
        <li>
          <a className="nav-item active" href="#main" aria-current="page">
            Datasets
          </a>
        </li>
        {LATER_AREAS.map((area) => (
          <li key={area}>
            <span className="nav-item disabled" aria-disabled="true" title={`${area}: coming in a later release`}>
              {area}
              <span className="nav-soon">coming</span>
            </span>
          </li>
        ))}
      </ul>
    </nav>
  );
}
