// One document-level keydown listener per view: keys act on the current item unless the focus is
// in a text field (there only Escape counts: it leaves the field) or on a button (Enter and Space
// press the button). The handler is the latest render's, so it always sees current state.
import { useEffect, useRef } from 'react';
import { activatesOnEnter, isTextField } from './keys';

export function useItemKeys(
  enabled: boolean,
  handle: (e: KeyboardEvent) => boolean,
  onEscapeField: (field: HTMLElement) => void,
): void {
  const latest = useRef(handle);
  const escape = useRef(onEscapeField);
  useEffect(() => {
    latest.current = handle;
    escape.current = onEscapeField;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      if (isTextField(e.target)) {
        if (e.key === 'Escape') {
          e.preventDefault();
          escape.current(e.target as HTMLElement);
        }
        return;
      }
      if ((e.key === 'Enter' || e.key === ' ') && activatesOnEnter(e.target)) return;
      // Handled keys stop the browser's own use (radio arrows, page scroll).
      if (latest.current(e)) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}
