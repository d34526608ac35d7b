// Blind human evaluation: prompt and response(s) as plain text, S and L scored 1–5 with the keys
// or the mouse (pairs: both sides and a preference), every change saved at once.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Answer, Assignment } from '../../shared/contracts/humaneval';
import { explainError, type Call } from './api';
import { byPosition, CRITERIA, emptyAnswer, firstOpen, isDone, PREFERENCES, type Mode } from './answers';
import { ItemNav, Kbd, SubmitDialog, ThankYou, TopBar } from './Frame';
import { scoringAction } from './keys';
import { ChoiceGroup, showTop } from './ScoreGroup';
import { useAutosave } from './useAutosave';
import { useItemKeys } from './useItemKeys';

const NOTE_DEBOUNCE_MS = 400;
const NOT_ALL_SAVED = 'Some answers are not saved yet. Wait until the page shows “Saved”, then submit again.';

export function ScoringView(props: {
  assignment: Assignment;
  call: Call;
  as?: { session: number; evaluator: string };
  onLeave?: () => void;
}) {
  const { call, as } = props;
  const mode: Mode = props.assignment.mode;
  const [items] = useState(() => byPosition(props.assignment.items));
  const answersRef = useRef<Record<string, Answer>>(
    Object.fromEntries(items.map((it) => [it.key, it.answer ? { ...it.answer } : emptyAnswer()])),
  );
  const [answers, setAnswers] = useState(answersRef.current);
  const [index, setIndex] = useState(() => firstOpen(items, (it) => isDone(mode, answersRef.current[it.key])));
  const [active, setActive] = useState(0);
  const [submittedAt, setSubmittedAt] = useState(props.assignment.submittedAt);
  const [dialog, setDialog] = useState<{ busy: boolean; error: string | null } | null>(null);
  const region = useRef<HTMLElement>(null);
  const note = useRef<HTMLTextAreaElement>(null);

  const send = useCallback(
    (key: string, answer: Answer) => call('humaneval.answer', { ...(as ? { as } : {}), key, answer }),
    [call, as],
  );
  const { queue, status } = useAutosave<Answer>(send);

  // Right after the warning is dismissed, the keys work: the item takes the focus.
  useEffect(() => region.current?.focus(), []);
  useEffect(() => showTop(region.current), [index]);

  const readOnly = submittedAt !== null;
  const item = items[index];
  const criteria = CRITERIA[mode];
  const answer = item ? (answers[item.key] ?? emptyAnswer()) : emptyAnswer();
  const done = items.filter((it) => isDone(mode, answers[it.key])).length;
  const openCount = items.length - done;

  const update = (patch: Partial<Answer>, debounceMs = 0) => {
    if (readOnly || !item) return;
    const next = { ...(answersRef.current[item.key] ?? emptyAnswer()), ...patch };
    answersRef.current = { ...answersRef.current, [item.key]: next };
    setAnswers(answersRef.current);
    queue.save(item.key, next, debounceMs);
  };

  const go = (to: number) => {
    if (to < 0 || to >= items.length || to === index) return;
    if (item) queue.flushDebounced(item.key);
    setIndex(to);
    setActive(0);
  };

  const score = (criterion: number, value: number) => {
    const c = criteria[criterion];
    if (!c) return;
    // Scoring an item the evaluator had skipped means they came back to it.
    update({ [c.field]: value, skipped: false });
    setActive(Math.min(criterion + 1, criteria.length - 1));
  };

  useItemKeys(
    items.length > 0 && dialog === null,
    (e) => {
      const action = scoringAction(e, mode === 'pairs');
      if (!action) return false;
      switch (action.kind) {
        case 'next':
          go(index + 1);
          return true;
        case 'prev':
          go(index - 1);
          return true;
        case 'move':
          setActive((a) => Math.max(0, Math.min(criteria.length - 1, a + action.delta)));
          return true;
        case 'score':
          if (!readOnly) score(active, action.value);
          return true;
        case 'prefer':
          update({ preference: action.value });
          return true;
        case 'skip':
          update({ skipped: !answer.skipped });
          return true;
        case 'flag':
          update({ flagged: !answer.flagged });
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
      const res = await call<{ submittedAt: string }>('humaneval.submit', as ? { as } : {});
      setSubmittedAt(res.submittedAt);
      setDialog(null);
      region.current?.focus();
    } catch (err) {
      setDialog({ busy: false, error: explainError(err) });
    }
  };

  const [lo, hi] = props.assignment.scale;
  const scores = Array.from({ length: hi - lo + 1 }, (_, i) => ({ value: lo + i, label: String(lo + i) }));
  const scoreGroup = (criterion: number) => {
    const c = criteria[criterion]!;
    return (
      <ChoiceGroup
        key={c.field}
        label={c.label}
        name={`${item?.key}-${c.field}`}
        choices={scores}
        value={answer[c.field]}
        active={criterion === active}
        keys={`${lo}–${hi}`}
        disabled={readOnly}
        onPick={(v) => score(criterion, v)}
      />
    );
  };

  return (
    <div className="ev-page">
      {/* While the confirmation is open, the rest of the page takes no focus or clicks. */}
      <div inert={dialog !== null}>
        <TopBar
          title={props.assignment.title}
          who={props.assignment.evaluator}
          done={done}
          total={items.length}
          status={status}
          onLeave={props.onLeave}
        />
        <main className="ev-main">
          {submittedAt && <ThankYou submittedAt={submittedAt} what="scores" />}
          {!item ? (
            <p className="ev-card">There is nothing to score in this session.</p>
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
                {answer.skipped && <span className="ev-tag">Skipped</span>}
                {answer.flagged && <span className="ev-tag ev-tag-flag">Flagged</span>}
              </h2>
              <div className="ev-block">
                <div className="ev-block-label">Prompt</div>
                <div data-testid="prompt" className="ev-text">
                  {item.prompt}
                </div>
              </div>
              {mode === 'single' ? (
                <>
                  <div className="ev-block">
                    <div className="ev-block-label">Response</div>
                    <div data-testid="response" className="ev-text">
                      {item.response ?? ''}
                    </div>
                  </div>
                  <div className="ev-groups ev-inline">{criteria.map((_, i) => scoreGroup(i))}</div>
                </>
              ) : (
                <>
                  <div className="ev-pair">
                    <div className="ev-side">
                      <div className="ev-block">
                        <div className="ev-block-label">Response A</div>
                        <div data-testid="response-a" className="ev-text">
                          {item.responseA ?? ''}
                        </div>
                      </div>
                      <div className="ev-groups">{[0, 1].map(scoreGroup)}</div>
                    </div>
                    <div className="ev-side">
                      <div className="ev-block">
                        <div className="ev-block-label">Response B</div>
                        <div data-testid="response-b" className="ev-text">
                          {item.responseB ?? ''}
                        </div>
                      </div>
                      <div className="ev-groups">{[2, 3].map(scoreGroup)}</div>
                    </div>
                  </div>
                  <ChoiceGroup
                    label="Preference"
                    name={`${item.key}-preference`}
                    choices={PREFERENCES.map((p) => ({ value: p.value, label: p.label, hint: p.key }))}
                    value={answer.preference}
                    disabled={readOnly}
                    onPick={(v) => update({ preference: v })}
                  />
                </>
              )}
              <div className="ev-extras">
                <div className="ev-checks">
                  <label className="ev-check">
                    <input
                      type="checkbox"
                      checked={answer.skipped}
                      disabled={readOnly}
                      onChange={(e) => update({ skipped: e.target.checked })}
                    />
                    Skip this item <Kbd>x</Kbd>
                  </label>
                  <label className="ev-check">
                    <input
                      type="checkbox"
                      checked={answer.flagged}
                      disabled={readOnly}
                      onChange={(e) => update({ flagged: e.target.checked })}
                    />
                    Flag this item <Kbd>f</Kbd>
                  </label>
                </div>
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
                    onChange={(e) => update({ note: e.target.value }, NOTE_DEBOUNCE_MS)}
                    onBlur={() => queue.flushDebounced(item.key)}
                  />
                </label>
              </div>
              <ItemNav
                index={index}
                total={items.length}
                go={go}
                extra={
                  !readOnly && (
                    <button type="button" className="ev-btn" onClick={() => setDialog({ busy: false, error: null })}>
                      Submit scores
                    </button>
                  )
                }
              />
              <p className="ev-hints" aria-hidden="true">
                Keys: {lo}–{hi} score the highlighted criterion · ↑ ↓ change criterion
                {mode === 'pairs' ? ' · a / t / b preference' : ''} · → or Enter next · ← previous · x skip · f flag · n
                note · Esc leave the note
              </p>
            </section>
          )}
        </main>
      </div>
      {dialog && (
        <SubmitDialog
          what="scores"
          open={openCount}
          openWord="neither scored nor skipped"
          busy={dialog.busy}
          error={dialog.error}
          onSubmit={() => void submit()}
          onCancel={() => {
            setDialog(null);
            region.current?.focus();
          }}
          onGoToOpen={() => {
            setDialog(null);
            go(firstOpen(items, (it) => isDone(mode, answersRef.current[it.key])));
            region.current?.focus();
          }}
        />
      )}
    </div>
  );
}
