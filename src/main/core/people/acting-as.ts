// The identity rule of the evaluator methods, the same for human-evaluation sessions and
// annotation rounds: an evaluator token is one person of one session or round, so it must not
// name anyone (`as` → forbidden) and a token of another kind of session is refused; the lab and
// the desktop's evaluator mode must say whom they act as (`as`). What the id and the person must
// then be is each capability's own check.
import { ApiError, type Caller } from '../../../shared/contract';

/** Where a token may lead. */
export interface Door {
  /** The token's `session` string for an id: humanEvalSessionName, roundSessionName. */
  sessionName: (id: number) => string;
  /** What the person acts in, for messages: "a human-evaluation session". */
  place: string;
  /** What the person is, for messages: "evaluator", "annotator". */
  person: string;
  /** The fields of `as`, for messages: "{session, evaluator}". */
  asFields: string;
}

export type Acting<As> =
  /** An evaluator token: the id from its session string, the evaluator it was made for. */
  { by: 'token'; id: number; evaluator: string } | { by: 'as'; as: As };

/** `forbidden` for a token that does not lead through `door`, with nothing about other sessions. */
export function notThisDoor(door: Door): ApiError {
  return new ApiError('forbidden', `this link is not for ${door.place}`);
}

export function actingFor<As>(caller: Caller, as: As | undefined, door: Door): Acting<As> {
  if (caller.scope === 'evaluator') {
    if (as !== undefined)
      throw new ApiError('forbidden', `an evaluator link acts only as its own ${door.person}: do not send "as"`, [
        { path: 'as', message: 'not allowed with an evaluator link' },
      ]);
    // The id is the session string's number; the string must be exactly this door's name for it.
    const id = Number(/:([1-9][0-9]{0,9})$/.exec(caller.session)?.[1]);
    if (!Number.isInteger(id) || door.sessionName(id) !== caller.session) throw notThisDoor(door);
    return { by: 'token', id, evaluator: caller.evaluator };
  }
  if (as === undefined)
    throw new ApiError('invalid-input', `say whom you act as (as: ${door.asFields})`, [
      { path: 'as', message: 'required for a call that is not an evaluator link' },
    ]);
  return { by: 'as', as };
}
