// A segmented control: one choice among a few, as a radio group of buttons (the `segmented`
// style). Used where a form switches what it asks for (local model or endpoint, dataset split or
// test set) and for quick filters.
export interface Segment<T extends string> {
  value: T;
  label: string;
  /** A tooltip that says what the choice means. */
  help?: string;
}

export function Segmented<T extends string>({
  label,
  segments,
  value,
  onChange,
}: {
  /** The group's accessible name. */
  label: string;
  segments: readonly Segment<T>[];
  /** The chosen value; undefined while none is. */
  value: T | undefined;
  onChange: (value: T) => void;
}) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {segments.map((s) => (
        <button
          key={s.value}
          type="button"
          role="radio"
          title={s.help}
          aria-checked={value === s.value}
          className={value === s.value ? 'seg on' : 'seg'}
          onClick={() => onChange(s.value)}
        >
          {s.label}
        </button>
      ))}
    </div>
  );
}
