import { AREAS } from '../areas';
import { selectArea, selectGo, useAreaStore } from '../stores/area';
import { FirstRunChecklist } from './FirstRunChecklist';

/** Areas planned but not built: shown greyed out until an area with that label is registered. */
const LATER_AREAS = ['Evaluation', 'Scoring', 'Figures'] as const;

export function Nav() {
  const area = useAreaStore(selectArea);
  const go = useAreaStore(selectGo);
  const later = LATER_AREAS.filter((name) => !AREAS.some((a) => a.label === name));
  return (
    <nav className="shell-nav" aria-label="Areas">
      <ul>
        {AREAS.map((a) => (
          <li key={a.id}>
            <a
              className={area === a.id ? 'nav-item active' : 'nav-item'}
              href={`#/${a.id}`}
              aria-current={area === a.id ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                go(a.id);
              }}
            >
              <span className="nav-label">
                <span className="nav-icon" aria-hidden="true">
                  {a.icon}
                </span>
                {a.label}
              </span>
            </a>
          </li>
        ))}
        {later.map((name) => (
          <li key={name}>
            <span className="nav-item disabled" aria-disabled="true" title={`${name}: coming in a later release`}>
              {name}
              <span className="nav-soon">coming</span>
            </span>
          </li>
        ))}
      </ul>
      <FirstRunChecklist />
    </nav>
  );
}
