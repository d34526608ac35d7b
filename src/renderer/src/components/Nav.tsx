import { selectArea, selectGo, useAreaStore, type Area } from '../stores/area';
import { FirstRunChecklist } from './FirstRunChecklist';

const AREA_LINKS: { id: Area; label: string }[] = [
  { id: 'datasets', label: 'Datasets' },
  { id: 'models', label: 'Models' },
  { id: 'playground', label: 'Playground' },
  { id: 'runs', label: 'Runs' },
  { id: 'training', label: 'Training' },
];
const LATER_AREAS = ['Evaluation', 'Scoring', 'Figures'] as const;

export function Nav() {
  const area = useAreaStore(selectArea);
  const go = useAreaStore(selectGo);
  return (
    <nav className="shell-nav" aria-label="Areas">
      <ul>
        {AREA_LINKS.map((a) => (
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
              {a.label}
            </a>
          </li>
        ))}
        {LATER_AREAS.map((name) => (
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
