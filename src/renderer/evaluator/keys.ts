// The keyboard: which key does what, kept apart from the views so both share the text-field
// rule and the tests can read the table.

interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', '']);

/** Typing goes to the field, not to the shortcuts. */
export function isTextField(el: EventTarget | null): boolean {
  if (!el || typeof el !== 'object') return false;
  const e = el as { tagName?: string; type?: string; isContentEditable?: boolean };
  const tag = e.tagName?.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return TEXT_INPUT_TYPES.has((e.type ?? '').toLowerCase());
  return e.isContentEditable === true;
}

/** Enter and Space on these activate them; the item keys leave them alone. */
export function activatesOnEnter(el: EventTarget | null): boolean {
  const tag = (el as { tagName?: string } | null)?.tagName?.toUpperCase();
  return tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY';
}

export type NavAction =
  { kind: 'next' } | { kind: 'prev' } | { kind: 'move'; delta: 1 | -1 } | { kind: 'flag' } | { kind: 'note' };

export type ScoringAction =
  NavAction | { kind: 'score'; value: number } | { kind: 'prefer'; value: 'a' | 'tie' | 'b' } | { kind: 'skip' };

export type AnnotationAction = NavAction | { kind: 'pick'; index: number };

function navAction(e: KeyLike): NavAction | null {
  switch (e.key) {
    case 'ArrowRight':
    case 'Enter':
      return { kind: 'next' };
    case 'ArrowLeft':
      return { kind: 'prev' };
    case 'ArrowDown':
      return { kind: 'move', delta: 1 };
    case 'ArrowUp':
      return { kind: 'move', delta: -1 };
    case 'f':
    case 'F':
      return { kind: 'flag' };
    case 'n':
    case 'N':
      return { kind: 'note' };
    default:
      return null;
  }
}

const modified = (e: KeyLike) => !!(e.ctrlKey || e.metaKey || e.altKey);

/** Human evaluation: 1–5 score, a/t/b prefer (pairs), x skip, plus the shared navigation. */
export function scoringAction(e: KeyLike, pairs: boolean): ScoringAction | null {
  if (modified(e)) return null;
  if (/^[1-5]$/.test(e.key)) return { kind: 'score', value: Number(e.key) };
  if (pairs) {
    const k = e.key.toLowerCase();
    if (k === 'a') return { kind: 'prefer', value: 'a' };
    if (k === 't') return { kind: 'prefer', value: 'tie' };
    if (k === 'b') return { kind: 'prefer', value: 'b' };
  }
  if (e.key === 'x' || e.key === 'X') return { kind: 'skip' };
  return navAction(e);
}

/** Annotation: 1–3 pick the active category's value by position, plus the shared navigation. */
export function annotationAction(e: KeyLike): AnnotationAction | null {
  if (modified(e)) return null;
  if (/^[1-3]$/.test(e.key)) return { kind: 'pick', index: Number(e.key) - 1 };
  return navAction(e);
}
