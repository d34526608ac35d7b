// What scoring and annotating share: the items in order with one answer each, the current item
// (resumed at the first open one) and its active group, every change saved at once through the
// autosave queue, the shared keys (next, previous, change group, flag, note, Escape), and the
// submit with its confirmation. The views add only what their items hold and their own keys.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { SaveStatus } from './autosave';
import { byPosition, firstOpen } from './answers';
import { explainError, type Call } from './api';
import type { NavAction } from './keys';
import { showTop } from './ScoreGroup';
import { useAutosave } from './useAutosave';
import { useItemKeys } from './useItemKeys';

/** Typing in a text field is saved after this pause (and at once on leaving the field). */
export const TEXT_DEBOUNCE_MS = 400;

const NAV_KINDS: ReadonlySet<string> = new Set<NavAction['kind']>(['next', 'prev', 'move', 'flag', 'note']);

/** What every answer has, whatever is scored or labelled: the flag and the free note. */
export interface BaseAnswer {
  flagged: boolean;
  note: string;
}

export interface SessionItem {
  key: string;
  position: number;
}

export interface ItemSessionOptions<I extends SessionItem, A extends BaseAnswer, X extends { kind: string }> {
  items: readonly I[];
  /** The answer an item starts from: its saved one, else an empty (or suggested) one. */
  start: (item: I) => A;
  /** Complete for progress, resume and the submit warning. */
  isDone: (answer: A | undefined) => boolean;
  submittedAt: string | null;
  call: Call;
  /** Whom the lab acts as; sent with every call when set (an evaluator token sends none). */
  as?: object;
  answerMethod: string;
  submitMethod: string;
  /** How many groups the keys walk (criteria, categories). */
  groups: number;
  notAllSaved: string;
  /** The view's keyboard table; its navigation actions are handled here, the rest by `onAction`. */
  keyAction: (e: KeyboardEvent) => NavAction | X | null;
  onAction: (action: X) => void;
  /** Called when the current item changes (before the new one shows). */
  onGo?: () => void;
}

export interface ItemSession<I, A> {
  items: readonly I[];
  index: number;
  item: I | undefined;
  answer: A | undefined;
  /** The group the keys act on. */
  active: number;
  setActive: (active: number) => void;
  done: number;
  readOnly: boolean;
  submittedAt: string | null;
  status: SaveStatus;
  /** Apply to the current item's answer and save (typing: after `debounceMs`). */
  update: (patch: Partial<A>, debounceMs?: number) => void;
  /** Send the current item's pending typed change now (on leaving a text field). */
  flushTyping: () => void;
  go: (to: number) => void;
  region: RefObject<HTMLElement | null>;
  note: RefObject<HTMLTextAreaElement | null>;
  dialog: { busy: boolean; error: string | null } | null;
  openSubmit: () => void;
  submit: () => Promise<void>;
  cancelSubmit: () => void;
  goToFirstOpen: () => void;
}

export function useItemSession<I extends SessionItem, A extends BaseAnswer, X extends { kind: string }>(
  opts: ItemSessionOptions<I, A, X>,
): ItemSession<I, A> {
  const { call, as, answerMethod, isDone } = opts;
  const [items] = useState(() => byPosition(opts.items));
  const answersRef = useRef<Record<string, A>>(Object.fromEntries(items.map((it) => [it.key, opts.start(it)])));
  const [answers, setAnswers] = useState(answersRef.current);
  const [index, setIndex] = useState(() => firstOpen(items, (it) => isDone(answersRef.current[it.key])));
  const [active, setActive] = useState(0);
  const [submittedAt, setSubmittedAt] = useState(opts.submittedAt);
  const [dialog, setDialog] = useState<{ busy: boolean; error: string | null } | null>(null);
  const region = useRef<HTMLElement>(null);
  const note = useRef<HTMLTextAreaElement>(null);

  const send = useCallback(
    (key: string, answer: A) => call(answerMethod, { ...(as ? { as } : {}), key, answer }),
    [call, as, answerMethod],
  );
  const { queue, status } = useAutosave<A>(send);

  // Right after the warning is dismissed, the keys work: the item takes the focus.
  useEffect(() => region.current?.focus(), []);
  useEffect(() => showTop(region.current), [index]);

  const readOnly = submittedAt !== null;
  const item = items[index];
  const answer = item ? (answers[item.key] ?? opts.start(item)) : undefined;
  const done = items.filter((it) => isDone(answers[it.key])).length;

  const update = (patch: Partial<A>, debounceMs = 0) => {
    if (readOnly || !item) return;
    const next = { ...(answersRef.current[item.key] ?? opts.start(item)), ...patch };
    answersRef.current = { ...answersRef.current, [item.key]: next };
    setAnswers(answersRef.current);
    queue.save(item.key, next, debounceMs);
  };

  const flushTyping = () => {
    if (item) queue.flushDebounced(item.key);
  };

  const go = (to: number) => {
    if (to < 0 || to >= items.length || to === index) return;
    flushTyping();
    opts.onGo?.();
    setIndex(to);
    setActive(0);
  };

  useItemKeys(
    items.length > 0 && dialog === null,
    (e) => {
      const action = opts.keyAction(e);
      if (!action) return false;
      if (!NAV_KINDS.has(action.kind)) {
        opts.onAction(action as X);
        return true;
      }
      const nav = action as NavAction;
      switch (nav.kind) {
        case 'next':
          go(index + 1);
          break;
        case 'prev':
          go(index - 1);
          break;
        case 'move':
          setActive((a) => Math.max(0, Math.min(opts.groups - 1, a + nav.delta)));
          break;
        case 'flag':
          update({ flagged: !answer?.flagged } as Partial<A>);
          break;
        case 'note':
          note.current?.focus();
          break;
      }
      return true;
    },
    (field) => {
      field.blur();
      region.current?.focus();
    },
  );

  const submit = async () => {
    setDialog({ busy: true, error: null });
    if (!(await queue.flush())) return setDialog({ busy: false, error: opts.notAllSaved });
    try {
      const res = await call<{ submittedAt: string }>(opts.submitMethod, as ? { as } : {});
      setSubmittedAt(res.submittedAt);
      setDialog(null);
      region.current?.focus();
    } catch (err) {
      setDialog({ busy: false, error: explainError(err) });
    }
  };

  return {
    items,
    index,
    item,
    answer,
    active,
    setActive,
    done,
    readOnly,
    submittedAt,
    status,
    update,
    flushTyping,
    go,
    region,
    note,
    dialog,
    openSubmit: () => setDialog({ busy: false, error: null }),
    submit,
    cancelSubmit: () => {
      setDialog(null);
      region.current?.focus();
    },
    goToFirstOpen: () => {
      setDialog(null);
      go(firstOpen(items, (it) => isDone(answersRef.current[it.key])));
      region.current?.focus();
    },
  };
}
