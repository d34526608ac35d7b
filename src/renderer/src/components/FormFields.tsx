// Labelled text inputs and selects in the app's `field` style, for forms and filter bars that
// hold their values as strings (the form modules parse and check them). The input keeps its
// `name`, so tests and autofill find it as before.
import type { InputHTMLAttributes, ReactNode } from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'className'>;

interface FieldProps {
  label: ReactNode;
  /** Label beside the control (a filter bar) instead of above it. */
  inline?: boolean;
}

function Field({ label, inline, children }: FieldProps & { children: ReactNode }) {
  return (
    <label className={inline ? 'field inline' : 'field'}>
      <span>{label}</span>
      {children}
    </label>
  );
}

/** A labelled text input; `onChange` gets the text. */
export function TextField({
  label,
  inline,
  value,
  onChange,
  ...input
}: FieldProps & InputProps & { value: string; onChange: (value: string) => void }) {
  return (
    <Field label={label} inline={inline}>
      <input className="input" {...input} value={value} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}

/** An option: its value, or a value and the text shown for it. */
export type SelectOption = string | { value: string; label: string };

export interface SelectProps {
  name?: string;
  /** The accessible name, where no label wraps the select. */
  'aria-label'?: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly SelectOption[];
  /** A first option with the value '' (e.g. "all", "none"), always offered. */
  anyOption?: string;
  /** An option with the value '' offered only while `options` is empty (e.g. "no models yet"). */
  emptyOption?: string;
}

/** A select over string values. */
export function Select({ value, onChange, options, anyOption, emptyOption, ...attrs }: SelectProps) {
  return (
    <select className="input" {...attrs} value={value} onChange={(e) => onChange(e.target.value)}>
      {anyOption !== undefined && <option value="">{anyOption}</option>}
      {emptyOption !== undefined && options.length === 0 && <option value="">{emptyOption}</option>}
      {options.map((o) => {
        const { value: v, label } = typeof o === 'string' ? { value: o, label: o } : o;
        return (
          <option key={v} value={v}>
            {label}
          </option>
        );
      })}
    </select>
  );
}

/** A labelled select over string values. */
export function SelectField({ label, inline, ...select }: FieldProps & SelectProps) {
  return (
    <Field label={label} inline={inline}>
      <Select {...select} />
    </Field>
  );
}
