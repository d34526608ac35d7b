// A CMD annotation round: the record's text with each word a toggle (biased words), the four
// categories as radiogroups, the benign variation and a note, guidelines beside the form; every
// change saved at once (typing: after a pause, and on leaving the field).
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { AnnotationItem, RoundAnswer } from '../../shared/contracts/rounds';
import { explainError, type Call } from './api';
import { byPosition, CATEGORIES, firstOpen, isLabelled, startingRoundAnswer } from './answers';
import { ItemNav, Kbd, SubmitDialog, ThankYou, TopBar } from './Frame';
import { Guidelines } from './Guidelines';
import { annotationAction } from './keys';
import { ChoiceGroup, showTop } from './ScoreGroup';
import { useAutosave } from './useAutosave';
import { useItemKeys } from './useItemKeys';
import { markedWords, tokenize, toggleWord } from './words';

const TEXT_DEBOUNCE_MS = 400;
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
  const { call, as } = props;
  const [items] = useState(() => byPosition(props.assignment.items));
  const answersRef = useRef<Record<string, RoundAnswer>>(
    Object.fromEntries(items.map((it) => [it.key, startingRoundAnswer(it)])),
  );
  const [answers, setAnswers] = useState(answersRef.current);
  const [index, setIndex] = useState(() => firstOpen(items, (it) => isLabelled(answersRef.current[it.key])));
  const [active, setActive] = useState(0);
  const [submittedAt, setSubmittedAt] = useState(props.assignment.submittedAt);
  const [dialog, setDialog] = useState<{ busy: boolean; error: string | null } | null>(null);
  const region = useRef<HTMLElement>(null);
  const note = useRef<HTMLTextAreaElement>(null);
  // The word clicked last, where a shift-click's phrase starts.
  const anchor = useRef<number | null>(null);

  const send = useCallback(
    (key: string, answer: RoundAnswer) => call('rounds.annotate', { ...(as ? { as } : {}), key, answer }),
    [call, as],
  );
  const { queue, status } = useAutosave<RoundAnswer>(send);

  useEffect(() => region.current?.focus(), []);
  useEffect(() => showTop(region.current), [index]);

  const readOnly = submittedAt !== null;
  const item = items[index];
  const answer = item ? answers[item.key] : undefined;
  const tokens = useMemo(() => tokenize(item?.text ?? ''), [item]);
  const marked = useMemo(() => markedWords(tokens, answer?.biasedWords ?? []), [tokens, answer]);
  const done = items.filter((it) => isLabelled(answers[it.key])).length;

  const update = (patch: Partial<RoundAnswer>, debounceMs = 0) => {
    if (readOnly || !item) return;
    const current = answersRef.current[item.key] ?? startingRoundAnswer(item);
    const next = { ...current, ...patch };
    answersRef.current = { ...answersRef.current, [item.key]: next };
    setAnswers(answersRef.current);
    queue.save(item.key, next, debounceMs);
  };

  const go = (to: number) => {
    if (to < 0 || to >= items.length || to === index) return;
    if (item) queue.flushDebounced(item.key);
    anchor.current = null;
    setIndex(to);
    setActive(0);
  };

  const pick = (category: number, value: string) => {
    const c = CATEGORIES[category];
    if (!c || !c.values.includes(value)) return;
    update({ [c.field]: value } as Partial<RoundAnswer>);
    setActive(Math.min(category + 1, CATEGORIES.length - 1));
  };

  const clickWord = (word: number, e: MouseEvent) => {
    if (readOnly || !answer) return;
    const from = e.shiftKey ? anchor.current : null;
    anchor.current = word;
    update({ biasedWords: toggleWord(tokens, answer.biasedWords, word, from) });
  };

  useItemKeys(
    items.length > 0 && dialog === null,
    (e) => {
      const action = annotationAction(e);
      if (!action) return false;
      switch (action.kind) {
        case 'next':
          go(index + 1);
          return true;
        case 'prev':
          go(index - 1);
          return true;
        case 'move':
          setActive((a) => Math.max(0, Math.min(CATEGORIES.length - 1, a + action.delta)));
          return true;
        case 'pick': {
          const value = CATEGORIES[active]?.values[action.index];
          if (value !== undefined) pick(active, value);
          return true;
        }
        case 'flag':
          update({ flagged: !answer?.flagged });
          return true;
        case 'note':
          note.current?.focus();
          return true;
      }
    },
    (field) => {
      field.blur();
      region.current?.focus();
    },
  );

  const submit = async () => {
    setDialog({ busy: true, error: null });
    if (!(await queue.flush())) return setDialog({ busy: false, error: NOT_ALL_SAVED });
    try {
      const res = await call<{ submittedAt: string }>('rounds.submit', as ? { as } : {});
      setSubmittedAt(res.submittedAt);
      setDialog(null);
      region.current?.focus();
    } catch (err) {
      setDialog({ busy: false, error: explainError(err) });
    }
  };

  return (
    <div className="ev-page">
      {/* While the confirmation is open, the rest of the page takes no focus or clicks. */}
      <div inert={dialog !== null}>
        <TopBar
          title={props.assignment.title}
          who={props.assignment.annotator}
          done={done}
          total={items.length}
          status={status}
          onLeave={props.onLeave}
        />
        <div className="ev-columns">
          <main className="ev-main">
            {submittedAt && <ThankYou submittedAt={submittedAt} what="labels" />}
            {!item || !answer ? (
              <p className="ev-card">There are no records to label in this round.</p>
            ) : (
              <section
                ref={region}
                role="region"
                aria-label={`Item ${index + 1} of ${items.length}`}
                tabIndex={-1}
                className="ev-item"
              >
                <h2 className="ev-item-title">
                  Item {index + 1} of {items.length}
                  {answer.flagged && <span className="ev-tag ev-tag-flag">Flagged</span>}
                </h2>
                <div className="ev-block">
                  <div className="ev-block-label" id="ev-record-label">
                    Text{' '}
                    <span className="ev-muted">— click the words that carry bias (shift-click marks a phrase)</span>
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
                      active={i === active}
                      keys={`1–${c.values.length}`}
                      disabled={readOnly}
                      onPick={(v) => pick(i, v)}
                    />
                  ))}
                </div>
                <div className="ev-extras">
                  <label className="ev-note">
                    <span>Benign variation</span>
                    <textarea
                      value={answer.benign ?? ''}
                      maxLength={5000}
                      rows={3}
                      readOnly={readOnly}
                      onChange={(e) =>
                        update({ benign: e.target.value === '' ? null : e.target.value }, TEXT_DEBOUNCE_MS)
                      }
                      onBlur={() => queue.flushDebounced(item.key)}
                    />
                  </label>
                  <label className="ev-note">
                    <span>
                      Note <Kbd>n</Kbd>
                    </span>
                    <textarea
                      ref={note}
                      value={answer.note}
                      maxLength={2000}
                      rows={2}
                      readOnly={readOnly}
                      onChange={(e) => update({ note: e.target.value }, TEXT_DEBOUNCE_MS)}
                      onBlur={() => queue.flushDebounced(item.key)}
                    />
                  </label>
                  <label className="ev-check">
                    <input
                      type="checkbox"
                      checked={answer.flagged}
                      disabled={readOnly}
                      onChange={(e) => update({ flagged: e.target.checked })}
                    />
                    Flag for an expert <Kbd>f</Kbd>
                  </label>
                </div>
                <ItemNav
                  index={index}
                  total={items.length}
                  go={go}
                  extra={
                    !readOnly && (
                      <button type="button" className="ev-btn" onClick={() => setDialog({ busy: false, error: null })}>
                        Submit labels
                      </button>
                    )
                  }
                />
                <p className="ev-hints" aria-hidden="true">
                  Keys: 1–3 pick a value of the highlighted category · ↑ ↓ change category · → or Enter next · ←
                  previous · f flag · n note · Esc leave a text field
                </p>
              </section>
            )}
          </main>
          <Guidelines />
        </div>
      </div>
      {dialog && (
        <SubmitDialog
          what="labels"
          open={items.length - done}
          openWord="not fully labelled"
          busy={dialog.busy}
          error={dialog.error}
          onSubmit={() => void submit()}
          onCancel={() => {
            setDialog(null);
            region.current?.focus();
          }}
          onGoToOpen={() => {
            setDialog(null);
            go(firstOpen(items, (it) => isLabelled(answersRef.current[it.key])));
            region.current?.focus();
          }}
        />
      )}
    </div>
  );
}
