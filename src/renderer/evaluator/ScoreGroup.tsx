// A labelled radiogroup of choices: the 1–5 scores, the preference, an annotation category.
import { useId } from 'react';
import { Kbd } from './Frame';

export function ChoiceGroup<V extends string | number>(props: {
  label: string;
  name: string;
  choices: readonly { value: V; label: string; hint?: string }[];
  value: V | null;
  active?: boolean;
  /** The key hint shown next to the label of the active group ("1–5"). */
  keys?: string;
  disabled: boolean;
  onPick: (value: V) => void;
}) {
  const id = useId();
  return (
    <div
      role="radiogroup"
      aria-labelledby={id}
      aria-current={props.active ? 'true' : undefined}
      className={props.active ? 'ev-group ev-active' : 'ev-group'}
    >
      <div className="ev-group-head">
        <span id={id} className="ev-group-label">
          {props.label}
        </span>
        {props.active && props.keys && <Kbd>{props.keys}</Kbd>}
      </div>
      <div className="ev-choices">
        {props.choices.map((c) => (
          <label key={String(c.value)} className={props.value === c.value ? 'ev-choice ev-chosen' : 'ev-choice'}>
            <input
              type="radio"
              name={props.name}
              checked={props.value === c.value}
              disabled={props.disabled}
              onChange={() => props.onPick(c.value)}
            />
            <span>{c.label}</span>
            {c.hint && <Kbd>{c.hint}</Kbd>}
          </label>
        ))}
      </div>
    </div>
  );
}

/** A new item starts at its top: scroll back up when the previous one was read further down. */
export function showTop(el: HTMLElement | null): void {
  if (el && el.getBoundingClientRect().top < 0) el.scrollIntoView({ block: 'start' });
}
