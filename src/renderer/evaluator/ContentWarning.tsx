// The gate before any text: the texts come from safety research and may be hateful or toxic, so
// nothing of them is in the page until the evaluator chooses to see them.
import { useEffect, useRef } from 'react';

export function ContentWarning({ onAccept }: { onAccept: () => void }) {
  const button = useRef<HTMLButtonElement>(null);
  // Focused from the start, so Enter shows the texts without reaching for the mouse.
  useEffect(() => button.current?.focus(), []);
  return (
    <section className="ev-card ev-warning" aria-labelledby="ev-warning-title">
      <h2 id="ev-warning-title">Content warning</h2>
      <p>
        The texts you are about to read were collected or generated for safety research. Some are offensive, hateful or
        stereotyping about real groups of people. Take breaks when you need them; you can leave and come back later, and
        your answers are kept.
      </p>
      <button ref={button} type="button" className="ev-btn ev-primary" onClick={onAccept}>
        Show the texts
      </button>
    </section>
  );
}
