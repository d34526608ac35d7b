// Evaluator mode: the lab hands its own window to an evaluator (or annotator), which then shows
// only the evaluator page, acting as that person, until the researcher leaves it. Kept in
// sessionStorage so a reload (or an accidental F5 by the evaluator) stays in evaluator mode
// instead of revealing the lab.
import { create } from 'zustand';

/** Whom the window scores as: the evaluator page's `actingAs` (src/renderer/evaluator). */
export type ActingAs =
  { kind: 'humaneval'; session: number; evaluator: string } | { kind: 'round'; round: number; annotator: string };

export const EVALUATOR_MODE_KEY = 'srlab.evaluatorMode';

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const isName = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= 120;

/** What storage held, if it is a well-formed ActingAs; anything else is no evaluator mode. */
export function parseActingAs(raw: string | null): ActingAs | null {
  if (!raw) return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if (o.kind === 'humaneval' && isId(o.session) && isName(o.evaluator))
    return { kind: 'humaneval', session: o.session, evaluator: o.evaluator };
  if (o.kind === 'round' && isId(o.round) && isName(o.annotator))
    return { kind: 'round', round: o.round, annotator: o.annotator };
  return null;
}

function stored(): ActingAs | null {
  try {
    return parseActingAs(sessionStorage.getItem(EVALUATOR_MODE_KEY));
  } catch {
    return null;
  }
}

function store(value: ActingAs | null) {
  try {
    if (value) sessionStorage.setItem(EVALUATOR_MODE_KEY, JSON.stringify(value));
    else sessionStorage.removeItem(EVALUATOR_MODE_KEY);
  } catch {
    // Storage unavailable: evaluator mode lasts for this page only.
  }
}

interface EvaluatorModeState {
  actingAs: ActingAs | null;
  enter(actingAs: ActingAs): void;
  leave(): void;
}

export const useEvaluatorMode = create<EvaluatorModeState>()((set) => ({
  actingAs: stored(),
  enter(actingAs) {
    const valid = parseActingAs(JSON.stringify(actingAs));
    if (!valid) throw new Error('Evaluator mode needs a session or round and a person’s name.');
    store(valid);
    set({ actingAs: valid });
  },
  leave() {
    store(null);
    set({ actingAs: null });
  },
}));

export const selectActingAs = (s: EvaluatorModeState) => s.actingAs;
export const selectLeaveEvaluatorMode = (s: EvaluatorModeState) => s.leave;
