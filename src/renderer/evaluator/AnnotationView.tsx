// A CMD annotation round: the record's text with each word a toggle (biased words), the four
// categories as radiogroups, the benign variation and a note, guidelines beside the form; every
// change saved at once (typing: after a pause, and on leaving the field).
import { useMemo, useRef, type MouseEvent } from 'react';
import type { AnnotationItem, RoundAnswer } from '../../shared/contracts/rounds';
import type { Call } from './api';
import { CATEGORIES, isLabelled, startingRoundAnswer } from './answers';
import { CheckField, NoteField, TextField } from './Fields';
import { Kbd } from './Frame';
import { Guidelines } from './Guidelines';
import { ItemPage } from './ItemPage';
import { annotationAction, type AnnotationAction } from './keys';
import { ChoiceGroup } from './ScoreGroup';
import { TEXT_DEBOUNCE_MS, useItemSession } from './useItemSession';
import { markedWords, tokenize, toggleWord } from './words';

const NOT_ALL_SAVED = 'Some labels are not saved yet. Wait until the page shows “Saved”, then submit again.';

export interface RoundAssignment {
  title: string;
  annotator: string;
  items: AnnotationItem[];
  submittedAt: string | null;
}

export function AnnotationView(props: {
  assignment: RoundAssignment;
  call: Call;
  as?: { round: number; annotator: string };
  onLeave?: () => void;
}) {
  // The word clicked last, where a shift-click's phrase starts.
  const anchor = useRef<number | null>(null);

  const pick = (category: number, value: string) => {
    const c = CATEGORIES[category];
    if (!c || !c.values.includes(value)) return;
    s.update({ [c.field]: value } as Partial<RoundAnswer>);
    s.setActive(Math.min(category + 1, CATEGORIES.length - 1));
  };

  const s = useItemSession<AnnotationItem, RoundAnswer, Extract<AnnotationAction, { kind: 'pick' }>>({
    items: props.assignment.items,
    start: startingRoundAnswer,
    isDone: isLabelled,
    submittedAt: props.assignment.submittedAt,
    call: props.call,
    as: props.as,
    answerMethod: 'rounds.annotate',
    submitMethod: 'rounds.submit',
    groups: CATEGORIES.length,
    notAllSaved: NOT_ALL_SAVED,
    keyAction: annotationAction,
    onAction: (action) => {
      const value = CATEGORIES[s.active]?.values[action.index];
      if (value !== undefined) pick(s.active, value);
    },
    onGo: () => {
      anchor.current = null;
    },
  });
  const { item, answer, readOnly } = s;
  const tokens = useMemo(() => tokenize(item?.text ?? ''), [item]);
  const marked = useMemo(() => markedWords(tokens, answer?.biasedWords ?? []), [tokens, answer]);

  const clickWord = (word: number, e: MouseEvent) => {
    if (readOnly || !answer) return;
    const from = e.shiftKey ? anchor.current : null;
    anchor.current = word;
    s.update({ biasedWords: toggleWord(tokens, answer.biasedWords, word, from) });
  };

  return (
    <ItemPage
      session={s}
      title={props.assignment.title}
      who={props.assignment.annotator}
      onLeave={props.onLeave}
      what="labels"
      openWord="not fully labelled"
      empty="There are no records to label in this round."
      hints={
        <>
          Keys: 1–3 pick a value of the highlighted category · ↑ ↓ change category · → or Enter next · ← previous · f
          flag · n note · Esc leave a text field
        </>
      }
      aside={<Guidelines />}
    >
      {item && answer && (
        <>
          <div className="ev-block">
            <div className="ev-block-label" id="ev-record-label">
              Text <span className="ev-muted">— click the words that carry bias (shift-click marks a phrase)</span>
            </div>
            <div data-testid="record-text" className="ev-text ev-words" aria-labelledby="ev-record-label">
              {tokens.map((t, i) =>
                t.word === null ? (
                  t.text
                ) : (
                  <button
                    key={i}
                    type="button"
                    className="ev-word"
                    aria-pressed={marked.has(t.word)}
                    disabled={readOnly}
                    onClick={(e) => clickWord(t.word!, e)}
                  >
                    {t.text}
                  </button>
                ),
              )}
            </div>
            <div className="ev-marked">
              <span className="ev-block-label" id="ev-biased-label">
                Biased words
              </span>
              <ul data-testid="biased-words" aria-labelledby="ev-biased-label">
                {answer.biasedWords.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
              {answer.biasedWords.length === 0 && <span className="ev-muted">none marked</span>}
            </div>
          </div>
          <div className="ev-groups ev-inline">
            {CATEGORIES.map((c, i) => (
              <ChoiceGroup
                key={c.field}
                label={c.label}
                name={`${item.key}-${c.field}`}
                choices={c.values.map((v) => ({ value: v, label: v }))}
                value={answer[c.field]}
                active={i === s.active}
                keys={`1–${c.values.length}`}
                disabled={readOnly}
                onPick={(v) => pick(i, v)}
              />
            ))}
          </div>
          <div className="ev-extras">
            <TextField
              label="Benign variation"
              value={answer.benign ?? ''}
              maxLength={5000}
              rows={3}
              readOnly={readOnly}
              onChange={(benign) => s.update({ benign: benign === '' ? null : benign }, TEXT_DEBOUNCE_MS)}
              onBlur={s.flushTyping}
            />
            <NoteField session={s} />
            <CheckField checked={answer.flagged} disabled={readOnly} onChange={(flagged) => s.update({ flagged })}>
              Flag for an expert <Kbd>f</Kbd>
            </CheckField>
          </div>
        </>
      )}
    </ItemPage>
  );
}
