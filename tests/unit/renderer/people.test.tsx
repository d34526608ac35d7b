// The People area (src/renderer/src/areas/people): the New session / New round forms' checks and
// the server's field issues placed beside their fields; invitation links' state and URL; the
// results and the invitation panel rendered from props (react-dom/server, no browser): dataset
// text hidden until the content warning is acknowledged and then shown as text, never HTML;
// the adjudication rule that a tied category must be picked; and the shell showing only the
// evaluator page while evaluator mode is on.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { EvaluatorToken } from '../../../src/shared/contracts/access';
import type { HumanEvalResults, HumanEvalSession } from '../../../src/shared/contracts/humaneval';
import { AREAS } from '../../../src/renderer/src/areas';
import {
  DEFAULT_SESSION_FORM,
  issuesToFieldErrors,
  parseNames,
  roundRequest,
  DEFAULT_ROUND_FORM,
  sessionRequest,
} from '../../../src/renderer/src/areas/people/forms';
import { inviteUrl, isServeOrigin, linkState, linksSummary } from '../../../src/renderer/src/areas/people/links';
import { InvitesPanel } from '../../../src/renderer/src/areas/people/InvitesPanel';
import { DisputedTable, figureSpec, ResultsBody } from '../../../src/renderer/src/areas/people/SessionResults';
import { adjudicationLabels, votesText } from '../../../src/renderer/src/areas/people/AdjudicationQueue';
import { usePeopleStore } from '../../../src/renderer/src/areas/people/people';

describe('New session form', () => {
  const ok = { ...DEFAULT_SESSION_FORM, runs: [4, 7], evaluators: 'alice\nbob, carol' };

  test('the paper’s defaults: 100 prompts, 3 evaluators per item; names one per line or comma-separated', () => {
    const { request, errors } = sessionRequest(ok);
    expect(errors).toEqual({});
    expect(request).toEqual({
      runs: [4, 7],
      sample: 100,
      evaluators: ['alice', 'bob', 'carol'],
      perItem: 3,
      seed: 1,
      pairs: false,
      stratify: false,
      expiresInDays: 30,
    });
    expect(parseNames(' a ,\n\n b;c ')).toEqual(['a', 'b', 'c']);
  });

  test.each([
    ['no run', { runs: [] }, 'runs', /at least one/],
    ['pairs with one run', { runs: [4], pairs: true }, 'runs', /at least two/],
    ['no evaluator', { evaluators: ' \n ' }, 'evaluators', /at least one evaluator/],
    ['a name twice', { evaluators: 'alice, bob, alice' }, 'evaluators', /listed twice/],
    ['more per item than evaluators', { perItem: '4' }, 'perItem', /cannot exceed the 3 evaluators/],
    ['a sample of 0', { sample: '0' }, 'sample', /between 1 and 10000/],
    ['a fractional seed', { seed: '1.5' }, 'seed', /whole number/],
    ['expiry over a year', { expiresInDays: '400' }, 'expiresInDays', /between 1 and 365/],
  ])('%s is refused beside its field', (_what, patch, field, message) => {
    const { request, errors } = sessionRequest({ ...ok, ...patch });
    expect(request).toBeNull();
    expect(errors[field]).toMatch(message);
  });

  test('the server’s issues land beside their fields; others in the form’s own message', () => {
    expect(
      issuesToFieldErrors(
        [
          { path: 'evaluators.1', message: 'an evaluator name is required' },
          { path: 'runs', message: 'run 9 has no finished items' },
          { path: 'whatever', message: 'odd' },
        ],
        ['runs', 'evaluators'],
      ),
    ).toEqual({
      evaluators: 'an evaluator name is required',
      runs: 'run 9 has no finished items',
      form: 'whatever: odd',
    });
  });

  test('a round cannot ask for more records than the chosen split has', () => {
    const form = { ...DEFAULT_ROUND_FORM, dataset: 'cmd', annotators: 'a,b,c', split: 'test' as const };
    expect(roundRequest(form, 40).errors.records).toBe('The test split has 40 records.');
    expect(roundRequest({ ...form, records: '40' }, 40).request).toMatchObject({ dataset: 'cmd', records: 40 });
    expect(roundRequest({ ...form, dataset: '' }, null).errors.dataset).toBe('Pick a dataset.');
  });
});

describe('invitation links', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');
  const token = (p: Partial<EvaluatorToken>): EvaluatorToken => ({
    id: 1,
    evaluator: 'alice',
    session: 'humaneval:1',
    createdAt: '2026-12-01T00:00:00Z',
    revokedAt: null,
    expiresAt: '2026-12-31T00:00:00Z',
    ...p,
  });

  test('active, revoked, expired; the summary says why nothing works', () => {
    expect(linkState(token({}), now)).toBe('active');
    expect(linkState(token({ revokedAt: '2026-12-02T00:00:00Z' }), now)).toBe('revoked');
    expect(linkState(token({ expiresAt: '2026-12-05T00:00:00Z' }), now)).toBe('expired');
    expect(linksSummary([], now).state).toBe('none');
    expect(
      linksSummary(
        [
          token({ id: 1, revokedAt: '2026-12-02T00:00:00Z' }),
          token({ id: 2, createdAt: '2026-12-03T00:00:00Z', expiresAt: '2026-12-04T00:00:00Z' }),
        ],
        now,
      ),
    ).toEqual({ state: 'expired', active: 0, expiresAt: null });
    expect(linksSummary([token({ revokedAt: '2026-12-02T00:00:00Z' }), token({ id: 2 })], now)).toEqual({
      state: 'active',
      active: 1,
      expiresAt: '2026-12-31T00:00:00Z',
    });
  });

  test('the full URL on a serve origin; only http(s) counts as one', () => {
    expect(inviteUrl('/evaluate?invite=abc', 'http://127.0.0.1:5173')).toBe(
      'http://127.0.0.1:5173/evaluate?invite=abc',
    );
    expect(inviteUrl('/evaluate?invite=abc', null)).toBe('/evaluate?invite=abc');
    expect(isServeOrigin('http:')).toBe(true);
    expect(isServeOrigin('file:')).toBe(false);
  });

  test('the panel shows each link once with a Copy button, and off serve mode says the links are for srlab serve', () => {
    const html = renderToStaticMarkup(
      <InvitesPanel
        shown={{
          section: 'humaneval',
          id: 1,
          title: 's',
          invites: [
            { evaluator: 'alice', token: 'tokA', path: '/evaluate?invite=tokA', info: token({ id: 1 }) },
            {
              evaluator: 'bob',
              token: 'tokB',
              path: '/evaluate?invite=tokB',
              info: token({ id: 2, evaluator: 'bob' }),
            },
          ],
        }}
      />,
    );
    expect(html).toContain('Invitation links');
    expect(html).toContain('Shown only once.');
    expect(html).toContain('value="/evaluate?invite=tokA"');
    expect(html).toContain('aria-label="Copy link for bob"');
    expect(html).toContain('srlab serve');
    expect(html).toContain('Export session file');
  });
});

const session: HumanEvalSession = {
  id: 2,
  title: 'base vs tuned',
  origin: 'lab',
  mode: 'pairs',
  seed: 1,
  sample: 2,
  perItem: 2,
  stratified: false,
  evaluators: ['alice', 'bob'],
  models: [
    { slot: 1, run: 4, label: 'base' },
    { slot: 2, run: 7, label: 'tuned' },
  ],
  prompts: 2,
  items: 2,
  createdAt: '2026-12-06T10:00:00Z',
};

const results: HumanEvalResults = {
  session,
  progress: { answered: 8, expected: 8, skipped: 0, flagged: 1 },
  models: [
    { slot: 1, run: 4, label: 'base', s: { mean: 2.5, ci: [2, 3] }, l: { mean: 4, ci: [3.5, 4.5] }, n: 2, ratings: 4 },
    { slot: 2, run: 7, label: 'tuned', s: { mean: 4.25, ci: [4, 4.5] }, l: { mean: 3.75, ci: null }, n: 2, ratings: 4 },
  ],
  alpha: {
    s: { alpha: 0.71, band: 'tentative', units: 4 },
    l: { alpha: null, band: null, units: 1 },
  },
  items: [],
  disagreements: [
    {
      key: 'k0000001',
      prompt: '<img src=x onerror=alert(1)> the prompt',
      model: 'base',
      criterion: 's',
      ratings: [1, 4],
      mean: 2.5,
      range: 3,
      sd: 2.12,
    },
  ],
  pairs: {
    comparisons: 4,
    perModel: [
      { slot: 1, label: 'base', wins: 1, ties: 1, losses: 2, winRate: 0.25, tieRate: 0.25, lossRate: 0.5 },
      { slot: 2, label: 'tuned', wins: 2, ties: 1, losses: 1, winRate: 0.5, tieRate: 0.25, lossRate: 0.25 },
    ],
    bradleyTerry: [
      { slot: 2, label: 'tuned', rank: 1, strength: 0.3, ci: [-0.1, 0.8] },
      { slot: 1, label: 'base', rank: 2, strength: -0.3, ci: null },
    ],
  },
  figure: {
    models: [{ label: 'base', safety: 2.5, language: 4 }],
    scale: [1, 5],
    raters: 2,
    samples: 2,
  },
  bootstrap: { resamples: 2000, confidence: 0.95, seed: 1 },
};

describe('session results', () => {
  test('means with 95% intervals, alpha in words, win/tie/loss and the Bradley–Terry ranking', () => {
    const html = renderToStaticMarkup(<ResultsBody results={results} />);
    expect(html).toContain('2.50 [2.00, 3.00]');
    expect(html).toContain('3.75<'); // no interval: the mean alone
    expect(html).toContain('0.710 — tentative conclusions only (4 items)');
    expect(html).toContain('not enough ratings yet (1 item)');
    expect(html).toContain('50%');
    expect(html.indexOf('tuned')).toBeLessThan(html.lastIndexOf('base'));
    expect(html).toContain('[-0.10, 0.80]');
    expect(html).toContain('>Figure 4</button>');
    expect(html).toContain('Copy figure input');
  });

  test('a disputed prompt is hidden until the content warning is acknowledged, then shown as text', () => {
    const hidden = renderToStaticMarkup(<ResultsBody results={results} />);
    expect(hidden).not.toContain('the prompt');
    expect(hidden).toContain('Text hidden (content warning)');
    expect(hidden).toContain('Content warning');
    const shown = renderToStaticMarkup(<DisputedTable items={results.disagreements} shown />);
    expect(shown).toContain('&lt;img src=x onerror=alert(1)&gt; the prompt');
    expect(shown).not.toContain('<img src=x');
  });

  test('Figure 4 is the Figures area’s human kind drawn from this session', () => {
    expect(figureSpec(results)).toEqual({
      kind: 'human',
      source: { kind: 'humaneval', session: results.session.id },
      width: 'double',
    });
  });
});

describe('adjudication', () => {
  const picks = { bias: null, toxicity: 'Mild', sentiment: null, harm: null };

  test('a tied category must be picked; elsewhere null keeps the majority', () => {
    expect(adjudicationLabels({ tied: ['bias', 'harm'] }, picks)).toEqual({ labels: null, missing: ['Bias', 'Harm'] });
    expect(adjudicationLabels({ tied: ['toxicity'] }, picks)).toEqual({ labels: picks, missing: [] });
  });

  test('votes read most first', () => {
    expect(votesText({ Yes: 1, No: 2 })).toBe('No 2 · Yes 1');
    expect(votesText({})).toBe('no votes');
  });
});

describe('the People area in the shell', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('registered as "People" at #/people', () => {
    const people = AREAS.find((a) => a.id === 'people');
    expect(people?.label).toBe('People');
  });

  test('its events bump the open views’ version, once per burst of evaluator keypresses', () => {
    vi.useFakeTimers();
    const before = usePeopleStore.getState().sessionsVersion;
    const loadSessions = vi.fn(async () => {});
    usePeopleStore.setState({ loadSessions });
    const event = { type: 'humaneval-changed', session: 2 } as unknown as Parameters<
      NonNullable<(typeof AREAS)[number]['onEvent']>
    >[0];
    for (const a of AREAS) for (let i = 0; i < 5; i++) a.onEvent?.(event);
    vi.advanceTimersByTime(2000);
    expect(usePeopleStore.getState().sessionsVersion).toBe(before + 1);
    expect(loadSessions).toHaveBeenCalledTimes(1);
    expect(usePeopleStore.getState().roundsVersion).toBe(0);
  });

  /** The shell as a fresh page load finds it, with sessionStorage holding `stored` for evaluator mode. */
  async function renderShell(stored: string | null): Promise<string> {
    vi.stubGlobal('sessionStorage', {
      getItem: (k: string) => (k === 'srlab.evaluatorMode' ? stored : null),
      setItem() {},
      removeItem() {},
    });
    vi.resetModules();
    const { App: FreshApp } = await import('../../../src/renderer/src/App');
    return renderToStaticMarkup(<FreshApp />);
  }

  test('after a reload in evaluator mode the window shows only the evaluator page: no nav, no header', async () => {
    try {
      const lab = await renderShell(null);
      expect(lab).toContain('shell-nav');
      expect(lab).not.toContain('ev-page');
      const evaluator = await renderShell(JSON.stringify({ kind: 'humaneval', session: 2, evaluator: 'alice' }));
      expect(evaluator).toContain('ev-page');
      expect(evaluator).not.toContain('shell-nav');
      expect(evaluator).not.toContain('shell-header');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
