// What an area of the lab UI gives the shell (App, Nav, the area store, wireEvents): the shell
// loops over the registry (./index.ts) and knows nothing else about an area. An area's stores
// and form logic live in its own folder beside its components.
import type { ComponentType } from 'react';
import type { ApiEvent } from '../../../shared/api';

export interface Area<Id extends string = string> {
  /** The key in the URL hash (#/id) and what the nav and the Getting-started checklist link to. */
  id: Id;
  /** The nav link's text (its accessible name, which tests and screen readers find it by). */
  label: string;
  /** A glyph before the label in the nav; decorative, so hidden from screen readers. */
  icon: string;
  /** The main pane while the area is shown. */
  Component: ComponentType;
  /** The area's reaction to a server event; every event reaches every area, which ignores the rest. */
  onEvent?(event: ApiEvent): void;
  /** Once when the app starts, before the first render: what other areas pick from, loaded early. */
  onStart?(): void;
}

/** Keeps an area's id a literal type, so the registry can derive the AreaId union from it. */
export function defineArea<const Id extends string>(area: Area<Id>): Area<Id> {
  return area;
}
