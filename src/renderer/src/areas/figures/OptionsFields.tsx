// A kind's options as form fields, built from the options JSON Schema figures.kinds gives: a
// select per enum, a number input with the schema's bounds, a checkbox, a text input, and JSON
// text for objects (e.g. a trait's valence). An empty field leaves the option to the kind's default.
import { useMemo, useState } from 'react';
import { useFiguresStore } from './figures';
import { optionFields, optionText, parseOptionValue, type OptionField } from './figureForm';

export function OptionsFields({ schema, options }: { schema: unknown; options: Record<string, unknown> }) {
  const fields = useMemo(() => optionFields(schema), [schema]);
  if (fields.length === 0) return null;
  return (
    <fieldset className="figures-options">
      <legend>Options</legend>
      <div className="row gap wrap">
        {fields.map((f) => (
          <OptionInput key={f.key} field={f} options={options} />
        ))}
      </div>
    </fieldset>
  );
}

function OptionInput({ field, options }: { field: OptionField; options: Record<string, unknown> }) {
  // Text being typed stays as typed until it parses (e.g. "0." on the way to "0.5").
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = text ?? optionText(field, options);
  const commit = (raw: string | boolean) => {
    const parsed = parseOptionValue(field, raw);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    setText(null);
    useFiguresStore.getState().setOption(field.key, parsed.value);
  };
  const name = `option-${field.key}`;

  if (field.type === 'boolean')
    return (
      <label className="check" title={field.help}>
        <input type="checkbox" name={name} checked={shown === 'true'} onChange={(e) => commit(e.target.checked)} />
        {field.label}
      </label>
    );

  return (
    <label className={field.type === 'json' ? 'field figures-json-option' : 'field'} title={field.help}>
      <span>{field.label}</span>
      {field.type === 'select' ? (
        <select className="input" name={name} value={shown} onChange={(e) => commit(e.target.value)}>
          {/* No default in the schema: the kind decides (e.g. the evaluation's own alternative). */}
          {field.default === undefined && <option value="">(the kind’s choice)</option>}
          {field.choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      ) : (
        <input
          className={field.type === 'json' ? 'input mono' : 'input'}
          name={name}
          type={field.type === 'number' ? 'number' : 'text'}
          min={field.type === 'number' ? field.min : undefined}
          max={field.type === 'number' ? field.max : undefined}
          step={field.type === 'number' ? (field.integer ? 1 : 'any') : undefined}
          value={shown}
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setText(e.target.value);
            // Numbers and choices apply as typed; JSON waits for the field to be left (it is rarely whole mid-typing).
            if (field.type !== 'json') commit(e.target.value);
          }}
          onBlur={(e) => commit(e.target.value)}
        />
      )}
      {error && <span className="warn-text small">{error}</span>}
    </label>
  );
}
