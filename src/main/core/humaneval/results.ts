// A session's results: mean S and L per model with bootstrap intervals over units, Krippendorff's
// alpha (ordinal) per criterion, per-unit spread and the most disputed units, A/B win rates and a
// Bradley–Terry ranking (pairs), and the data of the paper's Figure 4.
//
// A unit is one response scored by several evaluators: in single mode an item; in pairs mode each
// side of an item (response A is a unit of A's model, scored by s/l; B's by sB/lB). Skipped
// answers count as missing ratings everywhere.
import {
  CRITERIA,
  HUMANEVAL_SCALE,
  type Answer,
  type Criterion,
  type HumanEvalResults,
} from '../../../shared/contracts/humaneval';
import { krippendorffAlpha } from '../../../shared/metrics/agreement';
import { alphaBand } from '../../../shared/metrics/bands';
import { bootstrapMeanCI } from '../../../shared/metrics/bootstrap';
import { bradleyTerryBootstrap, type PairComparison } from '../../../shared/metrics/bradley-terry';
import { ratingSpread } from '../../../shared/metrics/spread';
import type { Db } from '../db';
import { assignments, countAnswers, items, readAnswer, toSession, type SessionRow } from './store';

export interface ResultOptions {
  resamples: number;
  confidence: number;
  seed: number;
  top: number;
}

interface Unit {
  key: string;
  prompt: string;
  slot: number | null;
  side: 'a' | 'b';
  /** Per evaluator: their answer to the item (null: not assigned, not answered or skipped). */
  answers: Map<string, Answer>;
}

function score(u: Unit, a: Answer, c: Criterion): number | null {
  if (u.side === 'a') return c === 's' ? a.s : a.l;
  return c === 's' ? a.sB : a.lB;
}

function ratingsOf(u: Unit, c: Criterion): number[] {
  return [...u.answers.values()].map((a) => score(u, a, c)).filter((v): v is number => v !== null);
}

const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;

export function computeResults(db: Db, row: SessionRow, o: ResultOptions): HumanEvalResults {
  const session = toSession(db, row);
  const labelOf = new Map(session.models.map((m) => [m.slot, m.label]));
  const all = assignments(db, row.id);
  const itemRows = items(db, row.id);
  // Answers per item, skipped ones left out (a skip is a missing rating).
  const answersByItem = new Map<number, Map<string, Answer>>();
  for (const a of all) {
    const ans = readAnswer(a.answer);
    if (!ans || ans.skipped) continue;
    if (!answersByItem.has(a.item_id)) answersByItem.set(a.item_id, new Map());
    answersByItem.get(a.item_id)!.set(a.evaluator, ans);
  }
  const units: Unit[] = [];
  for (const it of itemRows) {
    const answers = answersByItem.get(it.id) ?? new Map<string, Answer>();
    units.push({ key: it.key, prompt: it.prompt, slot: it.slot, side: 'a', answers });
    if (row.mode === 'pairs') units.push({ key: it.key, prompt: it.prompt, slot: it.slot_b, side: 'b', answers });
  }

  const bootstrap = { resamples: o.resamples, alpha: 1 - o.confidence, seed: o.seed };
  const models = session.models.map((m) => {
    const mine = units.filter((u) => u.slot === m.slot);
    const meanOf = (c: Criterion) => {
      const unitMeans = mine
        .map((u) => ratingsOf(u, c))
        .filter((r) => r.length > 0)
        .map(mean);
      if (unitMeans.length === 0) return { mean: null, ci: null };
      const ci = bootstrapMeanCI(unitMeans, bootstrap);
      return { mean: ci.estimate, ci: [ci.lo, ci.hi] as [number, number] };
    };
    let ratings = 0;
    let n = 0;
    for (const u of mine) {
      const raters = [...u.answers.values()].filter((a) => CRITERIA.some((c) => score(u, a, c) !== null)).length;
      ratings += raters;
      if (raters > 0) n++;
    }
    return { slot: m.slot, run: m.run, label: m.label, s: meanOf('s'), l: meanOf('l'), n, ratings };
  });

  const evaluators = session.evaluators;
  const reliability = (c: Criterion) => {
    const matrix = evaluators.map((e) =>
      units.map((u) => {
        const a = u.answers.get(e);
        return a ? score(u, a, c) : null;
      }),
    );
    const alpha = krippendorffAlpha(matrix, 'ordinal');
    const value = Number.isNaN(alpha) ? null : alpha;
    return {
      alpha: value,
      band: value === null ? null : alphaBand(value),
      units: units.filter((u) => ratingsOf(u, c).length >= 2).length,
    };
  };

  const spreads = units.flatMap((u) =>
    CRITERIA.flatMap((c) => {
      const ratings = ratingsOf(u, c);
      if (ratings.length === 0) return [];
      const s = ratingSpread(ratings);
      const model = u.slot === null ? '(unknown)' : (labelOf.get(u.slot) ?? `model ${u.slot}`);
      return [{ key: u.key, prompt: u.prompt, model, criterion: c, ratings, mean: s.mean, range: s.range, sd: s.sd }];
    }),
  );
  const disagreements = spreads
    .filter((s) => s.ratings.length >= 2)
    .sort((a, b) => b.range - a.range || b.sd - a.sd)
    .slice(0, o.top);

  const counts = countAnswers(all, row.mode);
  const raters = new Set(all.filter((a) => readAnswer(a.answer) !== null).map((a) => a.evaluator)).size;

  return {
    session,
    progress: { answered: counts.answered, expected: counts.total, skipped: counts.skipped, flagged: counts.flagged },
    models,
    alpha: { s: reliability('s'), l: reliability('l') },
    items: spreads,
    disagreements,
    pairs: row.mode === 'pairs' ? pairResults(db, row, session.models, o) : null,
    figure: {
      models: models.flatMap((m) =>
        m.s.mean === null || m.l.mean === null
          ? []
          : [
              {
                label: m.label,
                safety: m.s.mean,
                language: m.l.mean,
                ...(m.s.ci ? { safetyCi: m.s.ci } : {}),
                ...(m.l.ci ? { languageCi: m.l.ci } : {}),
              },
            ],
      ),
      scale: [HUMANEVAL_SCALE[0], HUMANEVAL_SCALE[1]],
      raters,
      samples: session.prompts,
    },
    bootstrap: { resamples: o.resamples, confidence: o.confidence, seed: o.seed },
  };
}

/** Win/tie/loss per model and Bradley–Terry strengths, from every (non-skipped) answer with a preference. */
function pairResults(
  db: Db,
  row: SessionRow,
  models: readonly { slot: number; label: string }[],
  o: ResultOptions,
): NonNullable<HumanEvalResults['pairs']> {
  const slotOf = new Map(items(db, row.id).map((i) => [i.id, { a: i.slot, b: i.slot_b }]));
  const comparisons: PairComparison[] = [];
  const tally = new Map(models.map((m) => [m.slot, { wins: 0, ties: 0, losses: 0 }]));
  for (const a of assignments(db, row.id)) {
    const ans = readAnswer(a.answer);
    const sides = slotOf.get(a.item_id);
    if (!ans || ans.skipped || ans.preference === null || !sides || sides.a === null || sides.b === null) continue;
    const [ta, tb] = [tally.get(sides.a), tally.get(sides.b)];
    if (!ta || !tb) continue;
    comparisons.push({ a: sides.a - 1, b: sides.b - 1, outcome: ans.preference });
    if (ans.preference === 'tie') {
      ta.ties++;
      tb.ties++;
    } else {
      const [w, l] = ans.preference === 'a' ? [ta, tb] : [tb, ta];
      w.wins++;
      l.losses++;
    }
  }
  const perModel = models.map((m) => {
    const t = tally.get(m.slot)!;
    const total = t.wins + t.ties + t.losses;
    const rate = (x: number) => (total === 0 ? null : x / total);
    return {
      slot: m.slot,
      label: m.label,
      ...t,
      winRate: rate(t.wins),
      tieRate: rate(t.ties),
      lossRate: rate(t.losses),
    };
  });
  let bradleyTerry: NonNullable<HumanEvalResults['pairs']>['bradleyTerry'] = [];
  if (comparisons.length > 0 && models.length >= 2) {
    const bt = bradleyTerryBootstrap(models.length, comparisons, {
      resamples: o.resamples,
      confidence: o.confidence,
      seed: o.seed,
    });
    const ranked = models
      .map((m, i) => ({ slot: m.slot, label: m.label, strength: bt.fit.strengths[i]!, ci: bt.ci[i] ?? null }))
      .sort((a, b) => b.strength - a.strength || a.slot - b.slot);
    bradleyTerry = ranked.map((r, i) => ({ ...r, rank: i + 1 }));
  }
  return { comparisons: comparisons.length, perModel, bradleyTerry };
}
