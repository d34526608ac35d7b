// The decoding and load-settings fields of a completion, shared by the Playground and the New run
// dialog so both ask for the same things with the same names and limits (lib/llmForms.ts turns
// the texts into the contract's input and says what is wrong). Inputs are named (maxTokens,
// temperature, …) so tests and autofill find them the same way in both.
import type { DecodingForm, LoadForm } from '../lib/llmForms';

interface FieldsProps<F> {
  value: F;
  onChange(patch: Partial<F>): void;
  /** Four columns (a wide dialog) instead of two (a side panel). */
  wide?: boolean;
}

export function DecodingFields({ value, onChange, wide }: FieldsProps<DecodingForm>) {
  // Top-k and top-p only mean something when sampling; decodingFromForm ignores them otherwise.
  const sampling = Number(value.temperature) > 0;
  return (
    <>
      <p className="small muted" data-testid="decoding-mode">
        {sampling ? 'Sampling with the seed below.' : 'Greedy (temperature 0), as in the paper.'}
      </p>
      <div className={wide ? 'form-grid four' : 'form-grid'}>
        <NumberField
          label="Max tokens"
          name="maxTokens"
          value={value.maxTokens}
          onChange={(maxTokens) => onChange({ maxTokens })}
        />
        <NumberField
          label="Temperature (0 = greedy)"
          name="temperature"
          decimal
          value={value.temperature}
          onChange={(temperature) => onChange({ temperature })}
        />
        <NumberField label="Seed" name="seed" value={value.seed} onChange={(seed) => onChange({ seed })} />
        {sampling && (
          <>
            <NumberField
              label="Top-k"
              name="topK"
              placeholder="default"
              value={value.topK}
              onChange={(topK) => onChange({ topK })}
            />
            <NumberField
              label="Top-p"
              name="topP"
              decimal
              placeholder="default"
              value={value.topP}
              onChange={(topP) => onChange({ topP })}
            />
          </>
        )}
      </div>
      <label className="field">
        <span>Stop strings (one per line; \n for a new line)</span>
        <textarea
          className="input mono"
          name="stop"
          rows={2}
          value={value.stop}
          onChange={(e) => onChange({ stop: e.target.value })}
        />
      </label>
    </>
  );
}

/** How a local model is loaded; empty fields leave the choice to the preflight ("auto"). */
export function LoadFields({ value, onChange, wide }: FieldsProps<LoadForm>) {
  return (
    <div className={wide ? 'form-grid three' : 'form-grid'}>
      <NumberField
        label="Threads"
        name="threads"
        placeholder="auto"
        value={value.threads}
        onChange={(threads) => onChange({ threads })}
      />
      <NumberField
        label="Context size (tokens per sequence)"
        name="contextSize"
        placeholder="auto"
        value={value.contextSize}
        onChange={(contextSize) => onChange({ contextSize })}
      />
      <NumberField
        label="GPU layers"
        name="gpuLayers"
        placeholder="auto"
        value={value.gpuLayers}
        onChange={(gpuLayers) => onChange({ gpuLayers })}
      />
    </div>
  );
}

function NumberField(props: {
  label: string;
  name: string;
  value: string;
  onChange(value: string): void;
  /** A decimal keypad on touch devices instead of a numeric one. */
  decimal?: boolean;
  placeholder?: string;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        className="input"
        name={props.name}
        inputMode={props.decimal ? 'decimal' : 'numeric'}
        placeholder={props.placeholder}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}
