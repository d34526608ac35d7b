// Blind human evaluation: prompt and response(s) as plain text, S and L scored 1–5 with the keys
// or the mouse (pairs: both sides and a preference), every change saved at once.
import type { AssignedItem, Answer, Assignment } from '../../shared/contracts/humaneval';
import type { Call } from './api';
import { CRITERIA, emptyAnswer, isDone, PREFERENCES, type Mode } from './answers';
import { CheckField, NoteField, TextBlock } from './Fields';
import { Kbd } from './Frame';
import { ItemPage } from './ItemPage';
import { scoringAction, type ScoringAction } from './keys';
import { ChoiceGroup } from './ScoreGroup';
import { useItemSession } from './useItemSession';

const NOT_ALL_SAVED = 'Some answers are not saved yet. Wait until the page shows “Saved”, then submit again.';

type ScoringOnly = Extract<ScoringAction, { kind: 'score' | 'prefer' | 'skip' }>;

/** In pairs, each response with the criteria (indexes into CRITERIA.pairs) scored beside it. */
const SIDES = [
  { label: 'Response A', testId: 'response-a', text: (it: AssignedItem) => it.responseA, criteria: [0, 1] },
  { label: 'Response B', testId: 'response-b', text: (it: AssignedItem) => it.responseB, criteria: [2, 3] },
] as const;

export function ScoringView(props: {
  assignment: Assignment;
  call: Call;
  as?: { session: number; evaluator: string };
  onLeave?: () => void;
}) {
  const mode: Mode = props.assignment.mode;
  const criteria = CRITERIA[mode];

  const score = (criterion: number, value: number) => {
    const c = criteria[criterion];
    if (!c) return;
    // Scoring an item the evaluator had skipped means they came back to it.
    s.update({ [c.field]: value, skipped: false });
    s.setActive(Math.min(criterion + 1, criteria.length - 1));
  };

  const s = useItemSession<AssignedItem, Answer, ScoringOnly>({
    items: props.assignment.items,
    start: (it) => (it.answer ? { ...it.answer } : emptyAnswer()),
    isDone: (a) => isDone(mode, a),
    submittedAt: props.assignment.submittedAt,
    call: props.call,
    as: props.as,
    answerMethod: 'humaneval.answer',
    submitMethod: 'humaneval.submit',
    groups: criteria.length,
    notAllSaved: NOT_ALL_SAVED,
    keyAction: (e) => scoringAction(e, mode === 'pairs'),
    onAction: (action) => {
      switch (action.kind) {
        case 'score':
          if (!s.readOnly) score(s.active, action.value);
          return;
        case 'prefer':
          s.update({ preference: action.value });
          return;
        case 'skip':
          s.update({ skipped: !s.answer?.skipped });
          return;
      }
    },
  });
  const { item, readOnly } = s;
  const answer = s.answer ?? emptyAnswer();

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
        active={criterion === s.active}
        keys={`${lo}–${hi}`}
        disabled={readOnly}
        onPick={(v) => score(criterion, v)}
      />
    );
  };

  return (
    <ItemPage
      session={s}
      title={props.assignment.title}
      who={props.assignment.evaluator}
      onLeave={props.onLeave}
      what="scores"
      openWord="neither scored nor skipped"
      empty="There is nothing to score in this session."
      skipped={answer.skipped}
      hints={
        <>
          Keys: {lo}–{hi} score the highlighted criterion · ↑ ↓ change criterion
          {mode === 'pairs' ? ' · a / t / b preference' : ''} · → or Enter next · ← previous · x skip · f flag · n note
          · Esc leave the note
        </>
      }
    >
      {item && (
        <>
          <TextBlock label="Prompt" testId="prompt" text={item.prompt} />
          {mode === 'single' ? (
            <>
              <TextBlock label="Response" testId="response" text={item.response ?? ''} />
              <div className="ev-groups ev-inline">{criteria.map((_, i) => scoreGroup(i))}</div>
            </>
          ) : (
            <>
              <div className="ev-pair">
                {SIDES.map((side) => (
                  <div key={side.testId} className="ev-side">
                    <TextBlock label={side.label} testId={side.testId} text={side.text(item) ?? ''} />
                    <div className="ev-groups">{side.criteria.map(scoreGroup)}</div>
                  </div>
                ))}
              </div>
              <ChoiceGroup
                label="Preference"
                name={`${item.key}-preference`}
                choices={PREFERENCES.map((p) => ({ value: p.value, label: p.label, hint: p.key }))}
                value={answer.preference}
                disabled={readOnly}
                onPick={(v) => s.update({ preference: v })}
              />
            </>
          )}
          <div className="ev-extras">
            <div className="ev-checks">
              <CheckField checked={answer.skipped} disabled={readOnly} onChange={(skipped) => s.update({ skipped })}>
                Skip this item <Kbd>x</Kbd>
              </CheckField>
              <CheckField checked={answer.flagged} disabled={readOnly} onChange={(flagged) => s.update({ flagged })}>
                Flag this item <Kbd>f</Kbd>
              </CheckField>
            </div>
            <NoteField session={s} />
          </div>
        </>
      )}
    </ItemPage>
  );
}
