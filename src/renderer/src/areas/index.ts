// The lab's areas, in nav order: App, Nav, the area store (hash routing) and wireEvents loop over
// this list. A new area is a folder here whose index.ts exports its `defineArea({...})`, plus
// its import and its entry below.
import { datasetsArea } from './datasets';
import { modelsArea } from './models';
import { playgroundArea } from './playground';
import { runsArea } from './runs';
import { trainingArea } from './training';
import { evaluateArea } from './evaluate';
import { figuresArea } from './figures';
import { peopleArea } from './people';

export const AREAS = [
  datasetsArea,
  modelsArea,
  playgroundArea,
  runsArea,
  trainingArea,
  evaluateArea,
  figuresArea,
  peopleArea,
] as const;

export type AreaId = (typeof AREAS)[number]['id'];

export const AREA_IDS: readonly AreaId[] = AREAS.map((a) => a.id);
