import { AREAS } from '../areas';
import { selectArea, selectGo, useAreaStore } from '../stores/area';
import { FirstRunChecklist } from './FirstRunChecklist';

export function Nav() {
  const area = useAreaStore(selectArea);
  const go = useAreaStore(selectGo);
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
      </ul>
      <FirstRunChecklist />
    </nav>
  );
}
