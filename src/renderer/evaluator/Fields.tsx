// The small form pieces the views repeat: a labelled block of plain text, a text area saved as
// the evaluator types, a checkbox, and the note every item has.
import type { ReactNode, Ref } from 'react';
import { Kbd } from './Frame';
import { TEXT_DEBOUNCE_MS, type BaseAnswer, type ItemSession } from './useItemSession';

/** Dataset and model text, shown as text (never markup). */
export function TextBlock(props: { label: string; testId: string; text: string }) {
  return (
    <div className="ev-block">
      <div className="ev-block-label">{props.label}</div>
      <div data-testid={props.testId} className="ev-text">
        {props.text}
      </div>
    </div>
  );
}

export function TextField(props: {
  label: ReactNode;
  value: string;
  maxLength: number;
  rows: number;
  readOnly: boolean;
  onChange: (value: string) => void;
  onBlur: () => void;
  inputRef?: Ref<HTMLTextAreaElement>;
}) {
  return (
    <label className="ev-note">
      <span>{props.label}</span>
      <textarea
        ref={props.inputRef}
        value={props.value}
        maxLength={props.maxLength}
        rows={props.rows}
        readOnly={props.readOnly}
        onChange={(e) => props.onChange(e.target.value)}
        onBlur={props.onBlur}
      />
    </label>
  );
}

export function CheckField(props: {
  checked: boolean;
  disabled: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
}) {
  return (
    <label className="ev-check">
      <input
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      {props.children}
    </label>
  );
}

/** The item's free note: the `n` key focuses it, Escape leaves it; saved after a pause in typing. */
export function NoteField<I, A extends BaseAnswer>({ session: s }: { session: ItemSession<I, A> }) {
  return (
    <TextField
      label={
        <>
          Note <Kbd>n</Kbd>
        </>
      }
      inputRef={s.note}
      value={s.answer?.note ?? ''}
      maxLength={2000}
      rows={2}
      readOnly={s.readOnly}
      onChange={(note) => s.update({ note } as Partial<A>, TEXT_DEBOUNCE_MS)}
      onBlur={s.flushTyping}
    />
  );
}
