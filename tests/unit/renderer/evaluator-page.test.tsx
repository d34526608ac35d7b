// The evaluator's page (src/renderer/evaluator): words become toggles with punctuation left out,
// the keys map as the UI contract says, resume lands on the first open item, the autosave queue
// sends each item's changes in order with the last one winning and retries failures; the views
// render texts as text (never HTML) with the accessible names the e2e tests drive; and the page
// imports nothing of the lab's renderer code.
import fs from 'node:fs';
import path from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Assignment } from '../../../src/shared/contracts/humaneval';
import {
  explainError,
  EvaluatorApiError,
  isRetryable,
  LINK_GONE,
  UnreachableError,
} from '../../../src/renderer/evaluator/api';
import {
  emptyAnswer,
  firstOpen,
  isDone,
  isLabelled,
  startingRoundAnswer,
} from '../../../src/renderer/evaluator/answers';
import { AutosaveQueue, saveStateText } from '../../../src/renderer/evaluator/autosave';
import { annotationAction, isTextField, scoringAction } from '../../../src/renderer/evaluator/keys';
import { markedWords, tokenize, toggleWord } from '../../../src/renderer/evaluator/words';
import { ScoringView } from '../../../src/renderer/evaluator/ScoringView';
import { AnnotationView, type RoundAssignment } from '../../../src/renderer/evaluator/AnnotationView';
import { ContentWarning } from '../../../src/renderer/evaluator/ContentWarning';
import { EvaluatorPage, sessionKind } from '../../../src/renderer/evaluator/EvaluatorPage';
import { REPO_ROOT } from '../../helpers';

const never = <T,>(): Promise<T> => new Promise<T>(() => {});

describe('words', () => {
  test('words are tokens, punctuation and spaces stay outside them', () => {
    const tokens = tokenize('Old people, "lazy." Don\'t!');
    expect(tokens.filter((t) => t.word !== null).map((t) => t.text)).toEqual(['Old', 'people', 'lazy', "Don't"]);
    expect(tokens.map((t) => t.text).join('')).toBe('Old people, "lazy." Don\'t!');
  });

  test('a click marks a word, a second click unmarks it; shift-click marks the phrase between', () => {
    const tokens = tokenize('they are all lazy, every one');
    let marked = toggleWord(tokens, [], 3);
    expect(marked).toEqual(['lazy']);
    expect([...markedWords(tokens, marked)]).toEqual([3]);
    marked = toggleWord(tokens, marked, 3);
    expect(marked).toEqual([]);
    marked = toggleWord(tokens, toggleWord(tokens, [], 1), 3, 1);
    expect(marked).toEqual(['are all lazy']);
    expect([...markedWords(tokens, marked)].sort()).toEqual([1, 2, 3]);
    // Clicking any word of a phrase unmarks the phrase.
    expect(toggleWord(tokens, marked, 2)).toEqual([]);
  });
});

describe('keys', () => {
  test.each([
    ['3', false, { kind: 'score', value: 3 }],
    ['6', false, null],
    ['ArrowRight', false, { kind: 'next' }],
    ['Enter', false, { kind: 'next' }],
    ['ArrowLeft', false, { kind: 'prev' }],
    ['ArrowDown', false, { kind: 'move', delta: 1 }],
    ['ArrowUp', false, { kind: 'move', delta: -1 }],
    ['x', false, { kind: 'skip' }],
    ['f', false, { kind: 'flag' }],
    ['n', false, { kind: 'note' }],
    ['t', true, { kind: 'prefer', value: 'tie' }],
    ['a', true, { kind: 'prefer', value: 'a' }],
    ['a', false, null],
  ])('scoring: %s (pairs %s)', (key, pairs, action) => {
    expect(scoringAction({ key }, pairs)).toEqual(action);
  });

  test('annotation: 1–3 pick by position; modified keys are the browser’s', () => {
    expect(annotationAction({ key: '2' })).toEqual({ kind: 'pick', index: 1 });
    expect(annotationAction({ key: '4' })).toBeNull();
    expect(scoringAction({ key: '1', ctrlKey: true }, false)).toBeNull();
  });

  test('text fields take the keys; radios and checkboxes do not', () => {
    expect(isTextField({ tagName: 'TEXTAREA' } as unknown as EventTarget)).toBe(true);
    expect(isTextField({ tagName: 'INPUT', type: 'text' } as unknown as EventTarget)).toBe(true);
    expect(isTextField({ tagName: 'INPUT', type: 'radio' } as unknown as EventTarget)).toBe(false);
    expect(isTextField({ tagName: 'SECTION' } as unknown as EventTarget)).toBe(false);
  });
});

describe('resume and done', () => {
  test('done is scored or skipped; pairs also need a preference', () => {
    expect(isDone('single', { ...emptyAnswer(), s: 2, l: 4 })).toBe(true);
    expect(isDone('single', { ...emptyAnswer(), s: 2 })).toBe(false);
    expect(isDone('single', { ...emptyAnswer(), skipped: true })).toBe(true);
    expect(isDone('pairs', { ...emptyAnswer(), s: 1, l: 1, sB: 1, lB: 1 })).toBe(false);
    expect(isDone('pairs', { ...emptyAnswer(), s: 1, l: 1, sB: 1, lB: 1, preference: 'tie' })).toBe(true);
  });

  test('the first open item, or the first when all are done', () => {
    expect(firstOpen([true, true, false, false], (d) => d)).toBe(2);
    expect(firstOpen([true, true], (d) => d)).toBe(0);
    expect(firstOpen([], (d: boolean) => d)).toBe(0);
  });

  test('an annotator starts from the suggested benign variation, labelled only with all four', () => {
    const a = startingRoundAnswer({ answer: null, benignSuggestion: 'a kinder text' });
    expect(a.benign).toBe('a kinder text');
    expect(isLabelled(a)).toBe(false);
    expect(isLabelled({ ...a, bias: 'No', toxicity: 'No', sentiment: 'Neutral', harm: 'Low' })).toBe(true);
  });
});

describe('autosave queue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const flushMicrotasks = () => vi.advanceTimersByTimeAsync(0);

  test('one request per item at a time, in order, the newest waiting change sent next', async () => {
    const sent: [string, number][] = [];
    const releases: (() => void)[] = [];
    const q = new AutosaveQueue<number>({
      send: (key, v) => {
        sent.push([key, v]);
        return new Promise<void>((r) => releases.push(r));
      },
      retryable: () => true,
      describe: String,
    });
    q.save('a', 1);
    q.save('a', 2);
    q.save('a', 3);
    q.save('b', 9);
    expect(sent).toEqual([
      ['a', 1],
      ['b', 9],
    ]);
    expect(saveStateText(q.status())).toBe('Saving…');
    releases.shift()!();
    await flushMicrotasks();
    // 2 was superseded while 1 was in flight: only the newest goes.
    expect(sent).toEqual([
      ['a', 1],
      ['b', 9],
      ['a', 3],
    ]);
    releases.splice(0).forEach((r) => r());
    await flushMicrotasks();
    expect(q.hasUnsaved()).toBe(false);
    expect(saveStateText(q.status())).toBe('Saved');
  });

  test('a failure keeps the answer and retries with backoff; a refusal waits for the next change', async () => {
    let fail = true;
    const sent: number[] = [];
    const q = new AutosaveQueue<number>({
      send: async (_k, v) => {
        sent.push(v);
        if (fail) throw new UnreachableError(new Error('offline'));
      },
      retryable: isRetryable,
      describe: explainError,
      backoffMs: () => 1000,
    });
    q.save('a', 1);
    await flushMicrotasks();
    expect(saveStateText(q.status())).toBe('Not saved — retrying');
    expect(q.hasUnsaved()).toBe(true);
    fail = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([1, 1]);
    expect(saveStateText(q.status())).toBe('Saved');

    const refusing = new AutosaveQueue<number>({
      send: async () => {
        throw new EvaluatorApiError(401, { kind: 'unauthorized', message: 'revoked' });
      },
      retryable: isRetryable,
      describe: explainError,
      backoffMs: () => 10,
    });
    refusing.save('a', 1);
    await vi.advanceTimersByTimeAsync(100);
    expect(saveStateText(refusing.status())).toBe(`Not saved — ${LINK_GONE}`);
    await expect(refusing.flush()).resolves.toBe(false);
  });

  test('typing waits for a pause; flush sends it at once', async () => {
    const sent: string[] = [];
    const q = new AutosaveQueue<string>({
      send: async (_k, v) => void sent.push(v),
      retryable: () => true,
      describe: String,
    });
    q.save('a', 'h', 400);
    q.save('a', 'he', 400);
    await vi.advanceTimersByTimeAsync(300);
    expect(sent).toEqual([]);
    expect(saveStateText(q.status())).toBe('Saving…');
    const flushed = q.flush();
    await flushMicrotasks();
    await expect(flushed).resolves.toBe(true);
    expect(sent).toEqual(['he']);
  });
});

describe('errors in kind words', () => {
  test('revoked link, not allowed, unreachable', () => {
    expect(explainError(new EvaluatorApiError(401, { kind: 'unauthorized', message: 'x' }))).toMatch(
      /^This link no longer works/,
    );
    expect(explainError(new EvaluatorApiError(403, { kind: 'forbidden', message: 'no' }))).toBe(
      'This page is not open to you: no',
    );
    expect(explainError(new UnreachableError(new TypeError('Failed to fetch')))).toMatch(/cannot be reached/);
    expect(isRetryable(new EvaluatorApiError(400, { kind: 'invalid-input', message: 'x' }))).toBe(false);
    expect(isRetryable(new EvaluatorApiError(503, { kind: 'busy', message: 'x' }))).toBe(true);
  });

  test('the token session says which view', () => {
    expect(sessionKind('humaneval:3')).toBe('humaneval');
    expect(sessionKind('round:12')).toBe('round');
    expect(sessionKind('lab')).toBeNull();
  });
});

const hostile = '<img src=x onerror=alert(1)> <b>bold</b>';

function assignment(mode: 'single' | 'pairs'): Assignment {
  const item = (position: number, done: boolean) => ({
    key: `key-${position}-abcdef`,
    position,
    prompt: position === 2 ? hostile : `prompt ${position}`,
    response: mode === 'single' ? `response ${position}` : null,
    responseA: mode === 'pairs' ? `left ${position}` : null,
    responseB: mode === 'pairs' ? `right ${position}` : null,
    answer: done ? { ...emptyAnswer(), s: 4, l: 5, sB: 3, lB: 3, preference: 'a' as const } : null,
    answeredAt: done ? '2026-12-06T20:00:00.000Z' : null,
  });
  return {
    title: 'Session 1',
    evaluator: 'ana',
    mode,
    scale: [1, 5],
    // Out of order on purpose: the view orders by position.
    items: [item(3, false), item(1, true), item(2, false)],
    submittedAt: null,
  };
}

describe('views', () => {
  test('the content warning comes first, with its button', () => {
    const html = renderToStaticMarkup(<ContentWarning onAccept={() => {}} />);
    expect(html).toContain('Content warning');
    expect(html).toContain('Show the texts');
  });

  test('the page shows no text before it loaded and the warning was accepted', () => {
    const html = renderToStaticMarkup(<EvaluatorPage call={never} />);
    expect(html).toContain('Opening your assignment');
    expect(html).not.toContain('prompt');
  });

  test('single: resumes at the first open item, texts as text, the named radiogroups', () => {
    const html = renderToStaticMarkup(<ScoringView assignment={assignment('single')} call={never} />);
    expect(html).toContain('aria-label="Item 2 of 3"');
    expect(html).toContain('data-testid="progress"');
    expect(html).toContain('1 of 3 done');
    expect(html).toMatch(/data-testid="save-state"[^>]*>Saved</);
    // The hostile prompt is escaped text, never markup.
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &lt;b&gt;bold&lt;/b&gt;');
    expect(html).not.toContain('<img');
    expect(html).toContain('>Safety (S)</span>');
    expect(html).toContain('>Language understanding (L)</span>');
    expect(html.match(/role="radiogroup"/g)).toHaveLength(2);
    expect(html.match(/aria-current="true"/g)).toHaveLength(1);
    expect(html).toContain('Submit scores');
    expect(html).not.toContain('Preference');
  });

  test('pairs: both sides, four criteria and the preference', () => {
    const html = renderToStaticMarkup(<ScoringView assignment={assignment('pairs')} call={never} />);
    for (const name of ['Safety (S) of A', 'Language understanding (L) of B', 'Preference'])
      expect(html).toContain(`>${name}</span>`);
    expect(html).toContain('data-testid="response-a"');
    expect(html).toContain('data-testid="response-b"');
    expect(html).toContain('A is better');
    expect(html.match(/role="radiogroup"/g)).toHaveLength(5);
  });

  test('after submit: thank you, read-only', () => {
    const html = renderToStaticMarkup(
      <ScoringView assignment={{ ...assignment('single'), submittedAt: '2026-12-06T21:00:00.000Z' }} call={never} />,
    );
    expect(html).toContain('Thank you');
    expect(html).not.toContain('Submit scores');
    expect(html).toMatch(/type="radio"[^>]*disabled/);
  });

  test('annotation: word toggles, marked words, categories, benign prefilled, guidelines', () => {
    const round: RoundAssignment = {
      title: 'Round 1',
      annotator: 'bo',
      submittedAt: null,
      items: [
        {
          key: 'rec-aaaaaaaa',
          position: 1,
          text: 'Old people, lazy. <script>',
          benignSuggestion: 'Some people rest.',
          answer: null,
          answeredAt: null,
        },
      ],
    };
    const html = renderToStaticMarkup(<AnnotationView assignment={round} call={never} />);
    expect(html).toContain('aria-pressed="false">lazy</button>');
    expect(html).toContain('&lt;<button');
    expect(html).not.toContain('<script>');
    expect(html).toContain('data-testid="biased-words"');
    for (const name of ['Bias', 'Toxicity', 'Sentiment', 'Harm']) expect(html).toContain(`>${name}</span>`);
    expect(html).toContain('>Some people rest.</textarea>');
    expect(html).toContain('Flag for an expert');
    expect(html).toContain('Annotation guidelines');
    expect(html).toContain('Submit labels');

    const marked = renderToStaticMarkup(
      <AnnotationView
        assignment={{
          ...round,
          items: [{ ...round.items[0]!, answer: { ...startingRoundAnswer(round.items[0]!), biasedWords: ['lazy'] } }],
        }}
        call={never}
      />,
    );
    expect(marked).toContain('aria-pressed="true">lazy</button>');
    expect(marked).toContain('<li>lazy</li>');
  });
});

describe('bundle boundary', () => {
  test('the evaluator page imports only its own modules and src/shared (never the lab’s renderer)', () => {
    const dir = path.join(REPO_ROOT, 'src/renderer/evaluator');
    const files = fs.readdirSync(dir).filter((f) => /\.tsx?$/.test(f));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const source = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of source.matchAll(/from '(\.[^']+)'/g)) {
        const target = path.resolve(dir, m[1]!);
        const ok =
          target.startsWith(dir + path.sep) || target.startsWith(path.join(REPO_ROOT, 'src/shared') + path.sep);
        expect(ok, `${f} imports ${m[1]}`).toBe(true);
      }
    }
  });
});
